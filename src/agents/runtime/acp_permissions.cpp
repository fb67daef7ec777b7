#include "agents/runtime/acp_permissions.hpp"

#include <boost/json/parse.hpp>

#include "agents/runtime/permission_host.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

// ACP names a tool call by its title ("`git commit -m x`", "Write /x/y"); a call whose input has
// a shell `command` is asked as "Bash", so the deny-list and the Bash rules of
// .storkit/permissions.toml apply to it as they do to Claude Code's Bash tool.
std::string tool_name_of(const acp::PermissionQuestion& question) {
  boost::system::error_code ec;
  const json::value input = json::parse(question.input_json, ec);
  if (!ec && input.is_object()) {
    const auto* command = input.as_object().if_contains("command");
    if (command != nullptr && command->is_string()) return "Bash";
  }
  return question.tool_name;
}

}  // namespace

acp::PermissionAsk acp_permission_ask(const LaunchContext& context,
                                      std::function<void(std::function<void()>)> deliver) {
  const AgentConfig& agent = *context.agent;
  if (!agent.permission_mode) {
    return [](acp::PermissionQuestion, acp::PermissionDone done) { done(true, {}); };
  }
  std::shared_ptr<PermissionHost> host = context.permission_host;
  if (!host) {
    // Without the app's flow (a bare pool in tests): the mode alone, and "ask" has nobody.
    const bool allow = *agent.permission_mode == PermissionMode::Allow;
    return [allow](acp::PermissionQuestion, acp::PermissionDone done) {
      done(allow, allow ? "" : "stork: no one can answer permission questions here");
    };
  }
  return [host, deliver = std::move(deliver), agent = agent.name, story = context.story_id](
             acp::PermissionQuestion question, acp::PermissionDone done) {
    PermissionRequest request{agent, story, tool_name_of(question), question.input_json,
                              question.tool_use_id};
    host->ask(std::move(request), [deliver, done = std::move(done)](PermissionReply reply) {
      deliver([done, reply] { done(reply.allow, reply.message); });
    });
  };
}

}  // namespace stork::agents
