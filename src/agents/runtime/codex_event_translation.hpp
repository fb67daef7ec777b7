// From the JSONL of `codex exec --json` to RuntimeEvents (the line shapes: codex-rs/exec's
// exec_events.rs, as 0.171.0 prints them; docs/runtime-codex.md). One translator per run: it
// remembers the thread id, so the final `result` can name the session. Nothing is dropped: a
// line of a type it does not know becomes a `raw` event, a line that is not JSON `output`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/codex/codex_failure.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents {

struct CodexRunFacts {
  std::string model;                // as configured ("" when the CLI picks its own)
  std::optional<ModelPrice> price;  // for the cost of the run's tokens; none: cost 0
  codex::FailureContext failure;    // for the messages of failed turns
};

class CodexEventTranslator {
 public:
  explicit CodexEventTranslator(CodexRunFacts facts) : facts_(std::move(facts)) {}

  // thread.started → session; item.* → assistant_text, thinking, tool_use, tool_result (MCP
  // tools as mcp__<server>__<tool>, commands as `exec_command`, file changes as
  // `apply_patch`); error and error items → error; turn.completed → result with usage and
  // cost (the CLI's usage counts the whole thread: TokenUsage::session_totals);
  // turn.failed → result with is_error, a rate_limit event before it for a 429.
  void translate(std::string_view line, std::vector<RuntimeEvent>& events);

 private:
  CodexRunFacts facts_;
  std::string thread_id_;
};

}  // namespace stork::agents
