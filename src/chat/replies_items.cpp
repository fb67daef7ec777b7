// The replies about items and runs: status, show, overview and the outcomes of the commands
// that change an item.
#include <map>

#include "chat/replies.hpp"

namespace stork::chat {
namespace {

std::string item_line(const ops::ItemView& item) {
  std::string text = item.name.empty() ? std::string("(no name)") : item.name;
  if (item.agent) text += " [" + *item.agent + "]";
  if (item.blocked) text += " BLOCKED" + (item.blocked_reason ? ": " + *item.blocked_reason : "");
  if (item.merge_failure) text += " merge failed: " + *item.merge_failure;
  if (item.review_hold) text += " (waiting for review)";
  return text;
}

std::string run_line(const agents::AgentInfo& run) {
  std::string text =
      run.agent_name + " on " + run.story_id + " (" + std::string(agents::to_string(run.status));
  if (!run.model.empty()) text += ", " + run.model;
  return text + ")";
}

}  // namespace

ChatReply status_reply(const ops::ItemListing& listing,
                       const std::vector<agents::AgentInfo>& runs) {
  std::map<Stage, int> counts;
  std::vector<const ops::ItemView*> blocked;
  for (const auto& item : listing.items) {
    counts[item.stage] += 1;
    if (item.blocked || item.merge_failure) blocked.push_back(&item);
  }
  ReplyBuilder reply;
  reply.title("Status");
  std::string stages;
  for (Stage stage : kAllStages) {
    if (stage == Stage::Archived) continue;
    if (!stages.empty()) stages += ", ";
    stages += std::string(stage_name(stage)) + " " + std::to_string(counts[stage]);
  }
  reply.field("Items", stages);
  std::vector<const agents::AgentInfo*> active;
  for (const auto& run : runs) {
    if (agents::is_active(run.status)) active.push_back(&run);
  }
  reply.field("Agents running", std::to_string(active.size()));
  for (const auto* run : active)
    reply.entry(run_line(*run));
  if (!blocked.empty()) {
    reply.field("Blocked", std::to_string(blocked.size()));
    for (const auto* item : blocked)
      reply.code_entry(item->id, item_line(*item));
  }
  if (!listing.problems.empty())
    reply.field("Unreadable item files", std::to_string(listing.problems.size()));
  return reply.build();
}

ChatReply show_reply(const ops::ItemView& item, std::string_view board_url) {
  ReplyBuilder reply;
  reply.title(item.id + ": " + item.name);
  reply.field("Stage", std::string(stage_name(item.stage)));
  reply.field("Type", item.type);
  if (item.agent) reply.field("Agent", *item.agent);
  if (item.qa) reply.field("QA", *item.qa);
  if (item.blocked) reply.field("Blocked", item.blocked_reason.value_or("yes"));
  if (item.merge_failure) reply.field("Merge failed", *item.merge_failure);
  if (item.retry_count > 0) reply.field("Retries", std::to_string(item.retry_count));
  if (!item.depends_on.empty()) {
    std::string list;
    for (const auto& dependency : item.depends_on)
      list += (list.empty() ? "" : ", ") + dependency;
    reply.field("Depends on", list);
  }
  reply.field("Criteria", std::to_string(item.criteria_checked) + " of " +
                              std::to_string(item.criteria.size()) + " done");
  for (const auto& criterion : item.criteria)
    reply.entry(std::string(criterion.checked ? "[x] " : "[ ] ") + criterion.text);
  if (!board_url.empty()) {
    std::string url(board_url);
    if (url.back() == '/') url.pop_back();
    reply.link("Open on the board", url + "/items/" + item.id);
  }
  return reply.build();
}

ChatReply overview_reply(const ops::ItemListing& listing) {
  ReplyBuilder reply;
  reply.title("Pipeline");
  int archived = 0;
  for (Stage stage : kAllStages) {
    if (stage == Stage::Archived) continue;
    bool any = false;
    for (const auto& item : listing.items) {
      if (item.stage != stage) continue;
      if (!any) reply.field(std::string(stage_name(stage)), "");
      any = true;
      reply.code_entry(item.id, item_line(item));
    }
  }
  for (const auto& item : listing.items)
    archived += item.stage == Stage::Archived ? 1 : 0;
  if (listing.items.empty()) reply.line("No items.");
  if (archived > 0) reply.field("archived", std::to_string(archived) + " items");
  return reply.build();
}

ChatReply started_reply(const agents::AgentInfo& run) {
  return ReplyBuilder()
      .line("Started " + run.agent_name + " on " + run.story_id + " (run " +
            std::to_string(run.run_id) + ", " + std::string(agents::to_string(run.status)) + ")")
      .build();
}

ChatReply assigned_reply(const ops::ItemView& item) {
  return ReplyBuilder()
      .line(item.id + " now prefers " + item.agent.value_or("any free coder"))
      .build();
}

ChatReply unblocked_reply(const ops::ItemView& item) {
  return ReplyBuilder()
      .line("Unblocked " + item.id + " (in " + std::string(stage_name(item.stage)) + ")")
      .build();
}

ChatReply reset_reply(const ops::ResetOutcome& outcome) {
  ReplyBuilder reply;
  reply.line("Reset " + outcome.story + ": back in backlog (was in " +
             std::string(stage_name(outcome.from)) + ")");
  if (outcome.stopped_agents.empty()) {
    reply.field("Stopped", "no agent was running");
  } else {
    std::string names;
    for (const auto& agent : outcome.stopped_agents)
      names += (names.empty() ? "" : ", ") + agent;
    reply.field("Stopped", names);
  }
  if (outcome.worktree_removed) reply.line("Its worktree and branch are removed.");
  return reply.build();
}

ChatReply approved_reply(const ops::ItemView& item) {
  return ReplyBuilder()
      .line("Approved " + item.id + " (now in " + std::string(stage_name(item.stage)) + ")")
      .build();
}

ChatReply rejected_reply(const ops::ItemView& item) {
  return ReplyBuilder()
      .line("Rejected " + item.id + ": back to " + std::string(stage_name(item.stage)) +
            " with the notes")
      .build();
}

ChatReply said_reply(const ops::MessageReceipt& receipt) {
  ReplyBuilder reply;
  if (receipt.live) {
    reply.line("Told " + receipt.agent + " on " + receipt.story_id + " (run " +
               std::to_string(receipt.run_id) + "): it reads it in this run");
  } else {
    reply.line("Queued for " + receipt.agent + " on " + receipt.story_id +
               ": it reads it at its next start");
    if (!receipt.queued_reason.empty()) reply.field("Why", receipt.queued_reason);
  }
  return reply.build();
}

ChatReply op_error_reply(const ops::OpError& error) {
  ReplyBuilder reply;
  std::string text = error.message;
  if (!error.field.empty()) text = error.field + ": " + text;
  reply.line("Refused (" + std::string(ops::to_string(error.kind)) + "): " + text);
  return reply.build();
}

ChatReply agent_error_reply(const ops::AgentOpError& error) {
  if (const auto* op = std::get_if<ops::OpError>(&error.cause)) return op_error_reply(*op);
  const auto& pool = std::get<agents::PoolError>(error.cause);
  return ReplyBuilder().line("Refused: " + pool.message).build();
}

ChatReply failure_reply(std::string_view what, std::string_view why) {
  return ReplyBuilder().line(std::string(what) + " failed: " + std::string(why)).build();
}

}  // namespace stork::chat
