// GeminiStreamTranslator: what the Gemini CLI prints with `--output-format stream-json` (one JSON
// object a line: init, message, tool_use, tool_result, error, result; docs/runtime-gemini-cli.md)
// and on stderr (the same pipe), as stork's RuntimeEvents. One per run: it joins the CLI's text
// deltas into one assistant_text, prices the result's per-model token counts, and recognises the
// failures a person must act on (a rate limit, a refused key) so the run's end can name them.
// Lines are hostile input: anything malformed becomes an `output` or `raw` event, never an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "agents/runtime/runtime.hpp"
#include "config/project_config.hpp"

namespace stork::agents {

struct GeminiTranslatorSetup {
  std::vector<ModelPrice> pricing;  // the project's [pricing] (the built-in table after it)
  std::string key_env;              // the variable the key came from, named when it is refused
  std::function<std::int64_t()> now_unix_s;  // for "retry after N s"; empty: the system clock
};

class GeminiStreamTranslator {
 public:
  explicit GeminiStreamTranslator(GeminiTranslatorSetup setup);

  // Appends what one output line means to `events` (possibly nothing: a text delta is held
  // until the next line that is not one).
  void translate(std::string_view line, std::vector<RuntimeEvent>& events);

  // Why the run failed, in words that name what to fix, when the CLI said so (a rate limit, a
  // refused key, a session that cannot be resumed); empty otherwise.
  const std::string& failure() const { return failure_; }

 private:
  void flush_text(std::vector<RuntimeEvent>& events);
  void note_progress(std::vector<RuntimeEvent>& events);
  void translate_plain(std::string_view line, std::vector<RuntimeEvent>& events);
  void translate_failure(const std::string& message, std::vector<RuntimeEvent>& events);
  void translate_result(const boost::json::object& object, std::vector<RuntimeEvent>& events);
  std::int64_t now() const;

  GeminiTranslatorSetup setup_;
  std::string pending_text_;
  std::string session_id_;
  std::string model_;
  std::string failure_;
  bool throttled_ = false;
};

}  // namespace stork::agents
