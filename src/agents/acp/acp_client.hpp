// AcpClient: stork's side of one Agent Client Protocol conversation with an agent process, as
// a state machine over lines (no I/O of its own beyond the worktree's files). It sends
// `initialize` (fs read/write, no terminal), `session/new` with the worktree as cwd and stork's
// MCP server, or `session/load` to resume when the agent advertises loadSession, then
// `session/prompt`; it answers the agent's requests (fs/* confined to the worktree,
// session/request_permission through the run's PermissionAsk) and turns session/update
// notifications into RuntimeEvents. Not thread-safe: the run's executor drives it.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "agents/acp/json_rpc.hpp"
#include "agents/acp/session_update.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::acp {

// A permission question of the agent, and how it is answered: `done(allow, message)` exactly
// once, on the client's executor.
struct PermissionQuestion {
  std::string tool_name;   // the tool call's title ("Write /x/y.txt", "git commit ...")
  std::string input_json;  // its rawInput, a JSON object's text
  std::string tool_use_id;
};
using PermissionDone = std::function<void(bool allow, const std::string& message)>;
using PermissionAsk = std::function<void(PermissionQuestion, PermissionDone)>;

struct AcpClientOptions {
  std::filesystem::path worktree;
  std::string prompt;
  std::optional<std::string> resume_session;
  boost::json::array mcp_servers;    // session/new's mcpServers (acp_mcp_servers)
  std::optional<std::string> model;  // session/set_model, when the agent lists models
  PermissionAsk ask_permission;
};

class AcpClient {
 public:
  using Send = std::function<void(std::string line)>;
  AcpClient(AcpClientOptions options, Send send);

  void start();  // sends `initialize`
  // One line of the agent's stdout; what it meant goes to `events`.
  void on_line(std::string_view line, std::vector<agents::RuntimeEvent>& events);
  // A person's message: sent as the next prompt when this turn ends. False once the run ended.
  bool queue_message(const std::string& text);
  // session/cancel for the running turn; pending permission questions are answered cancelled.
  void cancel();
  // True once the last prompt was answered (the run's work is over) or the protocol failed.
  bool finished() const { return finished_; }
  const std::optional<std::string>& session_id() const { return session_id_; }

 private:
  enum class Pending { Initialize, NewSession, LoadSession, SetModel, Prompt };
  void send_request(Pending what, std::string_view method, boost::json::object params);
  void on_response(const Message& message, std::vector<agents::RuntimeEvent>& events);
  void on_request(const Message& message, std::vector<agents::RuntimeEvent>& events);
  void on_initialized(const boost::json::value& result, std::vector<agents::RuntimeEvent>& events);
  void on_session(const boost::json::value& result, bool loaded,
                  std::vector<agents::RuntimeEvent>& events);
  void on_prompt_answer(const Message& message, std::vector<agents::RuntimeEvent>& events);
  void new_session();
  void send_prompt(const std::string& text);
  void answer_permission(const Message& message, std::vector<agents::RuntimeEvent>& events);
  void fail_protocol(const std::string& why, std::vector<agents::RuntimeEvent>& events);

  AcpClientOptions options_;
  Send send_;
  SessionUpdateTranslator translator_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, Pending> pending_;
  std::map<std::string, boost::json::value> open_permissions_;  // key: serialized id
  std::deque<std::string> queued_messages_;
  std::optional<std::string> session_id_;
  bool load_session_ = false;
  bool loading_ = false;  // session/load replays history as updates: not this run's events
  bool finished_ = false;
  bool cancelled_ = false;
};

// stork's MCP server for session/new, from the worktree's .mcp.json (the server "storkit":
// its url and headers, ${STORK_AGENT:-} and ${STORK_STORY_ID:-} expanded with `agent`, `story`),
// as an ACP McpServer of type http. An error names the file and what is missing.
Result<boost::json::array, std::string> acp_mcp_servers(const std::filesystem::path& mcp_json,
                                                        const std::string& agent,
                                                        const std::string& story);

}  // namespace stork::acp
