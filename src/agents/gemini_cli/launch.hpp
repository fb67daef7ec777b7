// What starts the Gemini CLI (@google/gemini-cli) for one run of an agent: its command line, the
// settings file of the run's own GEMINI_CLI_HOME (API-key auth, no telemetry or update checks,
// stork's MCP server) and the environment that points it at the agent's endpoint. Pure: builds
// text only; GeminiCliRuntime writes the file and spawns the CLI in the worktree with the prompt
// on stdin. Never reads or writes the person's own ~/.gemini.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "config/project_config.hpp"

namespace stork::gemini_cli {

// stork's MCP server as the CLI reaches it (Streamable HTTP), with the headers to send.
struct McpServer {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct LaunchInput {
  std::optional<std::string> model;           // AgentConfig::model, else the default coder model
  std::optional<std::string> resume_session;  // the session id (a UUID) of an earlier run
};

// argv[0] and the flags, in this order:
//   AgentConfig::command (else "gemini")  argv[0]
//   (always)                              --output-format stream-json --skip-trust
//                                         --approval-mode yolo
//                                         (headless: nobody can answer a question; an
//                                         untrusted folder would turn yolo back into asking)
//   LaunchInput::model                    -m <model>  (without it the CLI's "auto" first asks
//                                         a small model to route the request)
//   LaunchInput::resume_session           --resume <session id>
//   (always)                              -p ""  (headless; the prompt comes on stdin, which
//                                         keeps a long prompt out of argv)
//   AgentConfig::args                     appended verbatim, last
std::vector<std::string> gemini_cli_argv(const AgentConfig& agent, const LaunchInput& input);

// The settings.json of the run's GEMINI_CLI_HOME/.gemini: API-key auth selected, usage
// statistics, telemetry and auto-update off, `max_turns` as model.maxSessionTurns, and stork's
// MCP server (trusted) as mcpServers.storkit.
std::string gemini_cli_settings(const AgentConfig& agent, const std::optional<McpServer>& mcp);

// stork's server from the text of a worktree's .mcp.json (mcpServers.storkit.url and its
// Authorization header). The placeholders Claude Code expands there (${STORK_AGENT:-}) mean
// nothing to the Gemini CLI, so the caller headers are written out: X-Stork-Agent = `agent`,
// X-Stork-Story = `story`. An error says what is missing or malformed.
Result<McpServer, std::string> storkit_mcp_server(std::string_view mcp_json,
                                                  const std::string& agent,
                                                  const std::string& story);

}  // namespace stork::gemini_cli
