// The bot's answers, one function per command outcome, each a ChatReply with its plain and
// HTML form (chat_reply.hpp). Pure: they render the typed results of src/ops (and the pool's
// and the pipeline's facts) and never run anything, so every reply is unit-tested as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agents/agent_pool.hpp"
#include "chat/chat_command.hpp"
#include "chat/chat_reply.hpp"
#include "chat/git_summary.hpp"
#include "ops/agent_ops.hpp"
#include "ops/item_ops.hpp"
#include "ops/message_ops.hpp"
#include "ops/permission_ops.hpp"
#include "ops/usage_report.hpp"
#include "proc/process_tree.hpp"

namespace stork::chat {

ChatReply help_reply();
ChatReply usage_reply(const ChatUsageError& error);

// status: counts per stage, blocked items, the active runs.
ChatReply status_reply(const ops::ItemListing& listing, const std::vector<agents::AgentInfo>& runs);
// show: name, stage, agent, block, criteria; a board link when `board_url` is set.
ChatReply show_reply(const ops::ItemView& item, std::string_view board_url);
// overview: every item, by stage (archived ones counted only).
ChatReply overview_reply(const ops::ItemListing& listing);
ChatReply cost_reply(const ops::UsageReport& report, ops::UsageGrouping grouping);
ChatReply git_reply(const GitSummary& summary);

// One running agent for htop: its run and the load of its process tree.
struct AgentLoad {
  agents::AgentInfo run;
  proc::TreeLoad load;
  std::int64_t now_ms = 0;
};
ChatReply htop_reply(const std::vector<AgentLoad>& agents);

ChatReply started_reply(const agents::AgentInfo& run);
ChatReply assigned_reply(const ops::ItemView& item);
ChatReply unblocked_reply(const ops::ItemView& item);
ChatReply reset_reply(const ops::ResetOutcome& outcome);
ChatReply approved_reply(const ops::ItemView& item);
ChatReply rejected_reply(const ops::ItemView& item);
// `say`: whether the agent reads it now or at its next start on the item, and why.
ChatReply said_reply(const ops::MessageReceipt& receipt);
ChatReply ambient_reply(bool on);
ChatReply permission_reply(const std::string& id, const ops::PermissionAnswer& answer);
// permit/deny without a request id, not in reply to a request, and not exactly one waiting.
ChatReply which_permission_reply(const std::vector<ops::PendingPermission>& pending);

// A refusal, with the facts the operation gave.
ChatReply op_error_reply(const ops::OpError& error);
ChatReply agent_error_reply(const ops::AgentOpError& error);
ChatReply failure_reply(std::string_view what, std::string_view why);

}  // namespace stork::chat
