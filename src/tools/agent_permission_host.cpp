#include "tools/agent_permission_host.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include "ops/permission_ops.hpp"
#include "tools/command_policy.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

// The deny-list's verdict on a shell command, as prompt_permission gives it for Bash.
std::optional<std::string> policy_refusal(const agents::PermissionRequest& request) {
  if (request.tool_name != "Bash") return std::nullopt;
  boost::system::error_code ec;
  const json::value input = json::parse(request.input_json, ec);
  const auto* command =
      !ec && input.is_object() ? input.as_object().if_contains("command") : nullptr;
  if (command == nullptr || !command->is_string()) return std::nullopt;
  return refusal_reason(command->as_string());
}

}  // namespace

AgentPermissionHost::AgentPermissionHost(asio::any_io_executor executor)
    : executor_(std::move(executor)) {}

void AgentPermissionHost::bind(const std::shared_ptr<ops::PermissionOps>& permissions) {
  permissions_.store(permissions);
}

void AgentPermissionHost::ask(agents::PermissionRequest request,
                              std::function<void(agents::PermissionReply)> done) {
  auto permissions = permissions_.load().lock();
  if (!permissions) {
    return done({false, "stork: permission questions cannot be answered yet (starting up)"});
  }
  ops::PermissionQuestion question;
  question.policy_refusal = policy_refusal(request);
  question.agent = std::move(request.agent);
  question.story = std::move(request.story);
  question.tool_name = std::move(request.tool_name);
  question.input_json = std::move(request.input_json);
  question.tool_use_id = std::move(request.tool_use_id);
  asio::co_spawn(
      executor_,
      [permissions, question = std::move(question),
       done = std::move(done)]() mutable -> asio::awaitable<void> {
        auto asking = permissions->ask(std::move(question));
        const ops::PermissionAnswer answer = co_await std::move(asking);
        done({answer.allow, answer.message});
      },
      asio::detached);
}

}  // namespace stork::tools
