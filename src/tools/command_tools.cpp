// Tools that run or permit shell commands: run_command (bash in the item's worktree, with a
// time limit and the output's tail) and prompt_permission (Claude Code's
// --permission-prompt-tool, answered through ops/permission_ops.hpp). Both refuse what
// command_policy denies.
#include <chrono>

#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>

#include "engine/gate_runner.hpp"
#include "git/worktree_manager.hpp"
#include "ops/permission_ops.hpp"
#include "tools/command_policy.hpp"
#include "tools/command_slots.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"
#include "tools/worktree_command.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

mcp::Tool run_command(const ToolServices& services, const std::shared_ptr<CommandSlots>& slots) {
  mcp::Tool tool;
  tool.name = "run_command";
  tool.title = "Run a command in the item's worktree";
  tool.description =
      "Runs a bash command in the item's worktree (cwd = the worktree) and returns its exit "
      "outcome and the last 8 KB of its output. Time limit timeout_secs (default 120, at most "
      "600). Refused: sudo, rm -rf on / or ~, git push, git on another checkout, and the other "
      "rules of docs/mcp-tools.md.";
  tool.input_schema = input_schema(
      {story_id_param(),
       {"command", text_schema("The bash command line", kMaxCommandBytes), true},
       {"timeout_secs", integer_schema("Time limit in seconds (default 120)", 1, 600)}});
  tool.destructive = true;
  tool.handler = [services, slots](const json::object& args, mcp::ToolContext& ctx) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    const auto command = text_arg(args, "command");
    if (auto refused = refusal_reason(command)) co_return mcp::ToolResult::error(*refused);
    const auto worktree =
        WorktreeManager({services.project_root, {}, {}, {}, {}}).worktree_path(entry.value().id);
    std::error_code ec;
    if (!std::filesystem::is_directory(worktree, ec)) {
      co_return mcp::ToolResult::error("No worktree for " + id +
                                       " yet: create_worktree (or start_agent) makes it");
    }
    const auto config = services.config ? services.config() : nullptr;
    const LimitsConfig limits = config ? config->limits : LimitsConfig{};
    std::string refusal;
    auto lease = slots->acquire(ctx.session_id(), limits.commands_per_session,
                                limits.commands_total, refusal);
    if (!lease) co_return mcp::ToolResult::error(refusal);
    auto spec = worktree_command_spec(services.project_root, id, worktree, command,
                                      integer_arg(args, "timeout_secs", 120));
    spec.max_output_bytes = limits.command_output_bytes;
    apply_command_sandbox(spec, config.get());
    const auto executor = co_await asio::this_coro::executor;
    // Cancelled with the call: the client disconnected, sent notifications/cancelled, or
    // ended its session (DELETE /mcp). The process group is stopped, not left running.
    auto running = engine::run_gate(executor, spec, ctx.cancellation_slot());
    const auto result = co_await std::move(running);
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", id},
                                                    {"command", command},
                                                    {"succeeded", result.passed},
                                                    {"outcome", result.outcome},
                                                    {"duration_ms", result.duration.count()},
                                                    {"output", result.output_tail}});
  };
  return tool;
}

// Claude Code accepts exactly one text block holding the decision's JSON; a result with
// structuredContent beside it is rejected ("Permission prompt tool returned an invalid
// result"), so this is not ok_json.
mcp::ToolResult permission_answer(const json::object& decision) {
  return mcp::ToolResult::ok(json::serialize(decision));
}

// The question as ops sees it: who asks (the caller's X-Stork-* headers, written by stork
// into its agents' MCP configuration), what, and what the command policy says about it.
ops::PermissionQuestion question_of(const json::object& args, const mcp::ToolContext& ctx) {
  ops::PermissionQuestion question;
  question.agent = ctx.caller().agent;
  question.story = ctx.caller().story;
  question.tool_name = text_arg(args, "tool_name");
  const auto* tool_use_id = args.if_contains("tool_use_id");  // optional
  if (tool_use_id != nullptr && tool_use_id->is_string())
    question.tool_use_id = std::string(tool_use_id->get_string());
  const auto& input = args.at("input").as_object();
  question.input_json = json::serialize(input);
  if (question.tool_name == "Bash") {
    const auto* command = input.if_contains("command");
    if (command != nullptr && command->is_string())
      question.policy_refusal = refusal_reason(command->as_string());
  }
  return question;
}

mcp::Tool prompt_permission(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "prompt_permission";
  tool.title = "Decide a tool permission";
  tool.description =
      "Claude Code's --permission-prompt-tool: answers whether the agent may use a tool with "
      "this input, as JSON text {\"behavior\":\"allow\",\"updatedInput\":...} or "
      "{\"behavior\":\"deny\",\"message\":...}. Bash commands on run_command's deny-list are "
      "denied; then the rules of .storkit/permissions.toml and the agent's permission_mode "
      "decide (\"ask\" waits for a person, up to permission_timeout_secs).";
  tool.input_schema = input_schema(
      {{"tool_name", text_schema("The tool the agent wants to use, e.g. Bash", 200), true},
       {"input", json::object{{"type", "object"}, {"description", "The tool's input"}}, true},
       {"tool_use_id", text_schema("Claude Code's id of the tool use", 200)}});
  tool.read_only = true;
  tool.handler = [permissions = services.permissions](const json::object& args,
                                                      mcp::ToolContext& ctx) -> Handler {
    const auto& input = args.at("input").as_object();
    auto question = question_of(args, ctx);
    if (!permissions) {
      if (question.policy_refusal) {
        co_return permission_answer(
            json::object{{"behavior", "deny"}, {"message", "stork " + *question.policy_refusal}});
      }
      co_return permission_answer(json::object{{"behavior", "allow"}, {"updatedInput", input}});
    }
    auto asking = permissions->ask(std::move(question), ctx.cancellation_slot());
    const ops::PermissionAnswer answer = co_await std::move(asking);
    if (answer.allow) {
      co_return permission_answer(json::object{{"behavior", "allow"}, {"updatedInput", input}});
    }
    co_return permission_answer(json::object{{"behavior", "deny"}, {"message", answer.message}});
  };
  return tool;
}

}  // namespace

void register_command_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(run_command(services, std::make_shared<CommandSlots>()));
  registry.add(prompt_permission(services));
}

}  // namespace stork::tools
