// The command line that starts the Codex CLI for one run of an agent. Pure: builds text only;
// the runtime spawns it in the worktree with CODEX_HOME pointing at the run's config
// (codex_config.hpp) and writes the prompt to its stdin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"

namespace stork::codex {

// argv[0] and the arguments, in this order:
//   AgentConfig::command (else "codex")   argv[0]
//   (always)                              exec
//   resume_session                        resume (continues that thread: `codex exec resume`)
//   (always)                              --json (JSONL events on stdout)
//   AgentConfig::args                     verbatim, so they can add any flag both `codex exec`
//                                         and `codex exec resume` accept (e.g.
//                                         --dangerously-bypass-approvals-and-sandbox, or
//                                         `-c sandbox_mode="workspace-write"`; `--sandbox` is
//                                         refused by `resume`)
//   (always)                              --  then the session id when resuming, then `-` (the
//                                         prompt is read from stdin: no argv length limit)
// model, provider and MCP server are in config.toml, not here.
std::vector<std::string> codex_argv(const AgentConfig& agent,
                                    const std::optional<std::string>& resume_session);

}  // namespace stork::codex
