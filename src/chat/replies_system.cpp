// The replies that are not about one item: help, usage, cost, git, htop, ambient and the
// permission answers.
#include <cstdio>

#include "chat/replies.hpp"

namespace stork::chat {
namespace {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string megabytes(std::int64_t bytes) {
  return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MiB";
}

std::string duration(std::int64_t ms) {
  const std::int64_t seconds = ms / 1000;
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600)
    return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
  return std::to_string(seconds / 3600) + "h" + std::to_string(seconds % 3600 / 60) + "m";
}

std::string totals_line(const ops::UsageTotals& totals) {
  return "$" + fixed(totals.cost_usd, 4) + ", " + std::to_string(totals.input_tokens) + " in / " +
         std::to_string(totals.output_tokens) + " out tokens, " + std::to_string(totals.runs) +
         " runs";
}

}  // namespace

ChatReply help_reply() {
  ReplyBuilder reply;
  reply.title("stork commands");
  for (const auto& line : command_help())
    reply.code_entry(line.usage, line.summary);
  reply.line(
      "In a group room, start with !stork or my name. Reply permit or deny to a permission "
      "request.");
  return reply.build();
}

ChatReply usage_reply(const ChatUsageError& error) {
  ReplyBuilder reply;
  reply.line(error.message);
  if (!error.usage.empty()) {
    reply.code_entry(error.usage, "");
  } else {
    reply.line("Say help for the commands.");
  }
  return reply.build();
}

ChatReply cost_reply(const ops::UsageReport& report, ops::UsageGrouping grouping) {
  ReplyBuilder reply;
  reply.title("Cost by " + std::string(ops::to_string(grouping)));
  for (const auto& row : report.rows)
    reply.code_entry(row.key.empty() ? "(unknown)" : row.key, totals_line(row));
  if (report.rows.empty()) reply.line("No token usage recorded yet.");
  reply.field("Total", totals_line(report.total));
  return reply.build();
}

ChatReply git_reply(const GitSummary& summary) {
  ReplyBuilder reply;
  reply.title("git");
  reply.field(summary.base_branch, summary.head + " " + summary.subject);
  reply.field("Worktrees", std::to_string(summary.worktrees.size()));
  for (const auto& worktree : summary.worktrees)
    reply.code_entry(worktree.branch.empty() ? "(detached)" : worktree.branch, worktree.path);
  reply.field("Branches ahead of " + summary.base_branch, std::to_string(summary.ahead.size()));
  for (const auto& branch : summary.ahead) {
    reply.code_entry(branch.branch, std::to_string(branch.commits) +
                                        (branch.commits == 1 ? " commit" : " commits"));
  }
  return reply.build();
}

ChatReply htop_reply(const std::vector<AgentLoad>& agents) {
  ReplyBuilder reply;
  reply.title("Running agents");
  if (agents.empty()) reply.line("No agent is running.");
  for (const auto& agent : agents) {
    const std::int64_t run_ms = agent.now_ms - agent.run.started_at_ms;
    const double cpu_share =
        run_ms > 0 ? 100.0 * agent.load.cpu_seconds / (static_cast<double>(run_ms) / 1000.0) : 0;
    std::string text = agent.run.story_id + ", up " + duration(run_ms) + ", CPU " +
                       fixed(agent.load.cpu_seconds, 1) + "s (" + fixed(cpu_share, 0) + "% avg), " +
                       megabytes(agent.load.rss_bytes) + ", " +
                       std::to_string(agent.load.processes) + " processes";
    if (agent.run.pid) text += ", pid " + std::to_string(*agent.run.pid);
    reply.code_entry(agent.run.agent_name, text);
  }
  return reply.build();
}

ChatReply ambient_reply(bool on) {
  return ReplyBuilder()
      .line(on ? "Ambient on: every pipeline move is posted in this room."
               : "Ambient off: only the configured notifications are posted here.")
      .build();
}

ChatReply permission_reply(const std::string& id, const ops::PermissionAnswer& answer) {
  std::string text = std::string(answer.allow ? "Permitted" : "Denied") + " request " + id;
  if (!answer.allow && !answer.message.empty()) text += ": " + answer.message;
  return ReplyBuilder().line(text).build();
}

ChatReply which_permission_reply(const std::vector<ops::PendingPermission>& pending) {
  ReplyBuilder reply;
  if (pending.empty()) return reply.line("No permission request is waiting.").build();
  reply.line("Which request? Reply to its message, or name it:");
  for (const auto& request : pending) {
    reply.code_entry(request.id,
                     request.question.agent + " asks to use " + request.question.tool_name);
  }
  return reply.build();
}

}  // namespace stork::chat
