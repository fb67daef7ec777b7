// Every chat reply in its plain and HTML form, with item text that would be markup if it
// were not escaped.
#include "chat/replies.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::chat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ops::ItemView item(std::string id, Stage stage) {
  ops::ItemView view;
  view.id = std::move(id);
  view.type = "story";
  view.name = "Login <b>form</b>";
  view.stage = stage;
  return view;
}

TEST(ChatReplyBuilder, EscapesAndPairsBothForms) {
  auto reply = ReplyBuilder()
                   .title("T & <x>")
                   .field("Stage", "qa")
                   .entry("a\"b")
                   .code_entry("42_story", "'x'")
                   .link("Board", "http://h/items/1?a=1&b=2")
                   .build();
  EXPECT_EQ(reply.plain,
            "T & <x>\nStage: qa\n- a\"b\n- 42_story  'x'\nBoard: http://h/items/1?a=1&b=2");
  EXPECT_EQ(reply.html,
            "<p><b>T &amp; &lt;x&gt;</b></p><p><b>Stage:</b> qa</p><ul><li>a&quot;b</li>"
            "<li><code>42_story</code> &#39;x&#39;</li></ul>"
            "<p><a href=\"http://h/items/1?a=1&amp;b=2\">Board</a></p>");
}

TEST(ChatReplies, Help) {
  auto reply = help_reply();
  EXPECT_THAT(reply.plain, HasSubstr("- start ID [AGENT]  start an agent on an item"));
  EXPECT_THAT(reply.html, HasSubstr("<li><code>reset ID</code>"));
}

TEST(ChatReplies, Usage) {
  auto reply = usage_reply(ChatUsageError{"start", "an item id is missing", "start ID [AGENT]"});
  EXPECT_EQ(reply.plain, "an item id is missing\n- start ID [AGENT]");
  EXPECT_EQ(reply.html,
            "<p>an item id is missing</p><ul><li><code>start ID [AGENT]</code></li></ul>");
  reply = usage_reply(ChatUsageError{"x", "unknown command 'x'", ""});
  EXPECT_EQ(reply.plain, "unknown command 'x'\nSay help for the commands.");
  EXPECT_EQ(reply.html, "<p>unknown command &#39;x&#39;</p><p>Say help for the commands.</p>");
}

TEST(ChatReplies, StatusCountsStagesRunsAndBlocks) {
  ops::ItemListing listing;
  listing.items.push_back(item("1_story_a", Stage::Backlog));
  auto blocked = item("2_story_b", Stage::Current);
  blocked.blocked = true;
  blocked.blocked_reason = "gate <failed>";
  listing.items.push_back(blocked);
  agents::AgentInfo run;
  run.story_id = "2_story_b";
  run.agent_name = "coder-1";
  run.status = agents::AgentStatus::Running;
  auto reply = status_reply(listing, {run});
  EXPECT_EQ(reply.plain,
            "Status\nItems: backlog 1, current 1, qa 0, merge 0, done 0\nAgents running: 1\n"
            "- coder-1 on 2_story_b (running)\nBlocked: 1\n"
            "- 2_story_b  Login <b>form</b> BLOCKED: gate <failed>");
  EXPECT_THAT(reply.html, HasSubstr("<li><code>2_story_b</code> Login &lt;b&gt;form&lt;/b&gt; "
                                    "BLOCKED: gate &lt;failed&gt;</li>"));
  EXPECT_THAT(reply.html, Not(HasSubstr("<b>form")));
}

TEST(ChatReplies, ShowWithCriteriaAndLink) {
  auto view = item("3_story_c", Stage::Qa);
  view.agent = "coder-2";
  view.criteria.push_back(Criterion{0, true, "works", 0, 1});
  view.criteria.push_back(Criterion{1, false, "fast", 0, 2});
  view.criteria_checked = 1;
  auto reply = show_reply(view, "http://board:3000/");
  EXPECT_EQ(reply.plain,
            "3_story_c: Login <b>form</b>\nStage: qa\nType: story\nAgent: coder-2\n"
            "Criteria: 1 of 2 done\n- [x] works\n- [ ] fast\n"
            "Open on the board: http://board:3000/items/3_story_c");
  EXPECT_THAT(reply.html, HasSubstr("<a href=\"http://board:3000/items/3_story_c\">"));
  EXPECT_THAT(show_reply(view, "").plain, Not(HasSubstr("board")));
}

TEST(ChatReplies, OverviewByStage) {
  ops::ItemListing listing;
  listing.items.push_back(item("1_story_a", Stage::Backlog));
  listing.items.push_back(item("4_story_d", Stage::Archived));
  auto reply = overview_reply(listing);
  EXPECT_EQ(reply.plain, "Pipeline\nbacklog: \n- 1_story_a  Login <b>form</b>\narchived: 1 items");
  EXPECT_THAT(reply.html, HasSubstr("<p><b>backlog:</b> </p><ul><li><code>1_story_a</code>"));
  EXPECT_EQ(overview_reply({}).plain, "Pipeline\nNo items.");
}

TEST(ChatReplies, Cost) {
  ops::UsageReport report;
  ops::UsageTotals row;
  row.key = "coder-1";
  row.cost_usd = 0.5;
  row.input_tokens = 10;
  row.output_tokens = 20;
  row.runs = 2;
  report.rows.push_back(row);
  report.total = row;
  auto reply = cost_reply(report, ops::UsageGrouping::Agent);
  EXPECT_EQ(reply.plain,
            "Cost by agent\n- coder-1  $0.5000, 10 in / 20 out tokens, 2 runs\n"
            "Total: $0.5000, 10 in / 20 out tokens, 2 runs");
  EXPECT_THAT(reply.html, HasSubstr("<li><code>coder-1</code> $0.5000"));
}

TEST(ChatReplies, Git) {
  GitSummary summary{"main", "abc1234", "fix <it>", {{"/w/1", "story-1"}}, {{"story-1", 2}}};
  auto reply = git_reply(summary);
  EXPECT_EQ(reply.plain,
            "git\nmain: abc1234 fix <it>\nWorktrees: 1\n- story-1  /w/1\n"
            "Branches ahead of main: 1\n- story-1  2 commits");
  EXPECT_THAT(reply.html, HasSubstr("<p><b>main:</b> abc1234 fix &lt;it&gt;</p>"));
}

TEST(ChatReplies, Htop) {
  AgentLoad load;
  load.run.agent_name = "coder-1";
  load.run.story_id = "5_story_e";
  load.run.started_at_ms = 1000;
  load.run.pid = 77;
  load.now_ms = 1000 + 125'000;
  load.load = proc::TreeLoad{3, 12.5, 64 * 1024 * 1024};
  auto reply = htop_reply({load});
  EXPECT_EQ(reply.plain,
            "Running agents\n- coder-1  5_story_e, up 2m5s, CPU 12.5s (10% avg), 64.0 MiB, "
            "3 processes, pid 77");
  EXPECT_THAT(reply.html, HasSubstr("<li><code>coder-1</code> 5_story_e"));
  EXPECT_EQ(htop_reply({}).plain, "Running agents\nNo agent is running.");
}

TEST(ChatReplies, ItemOutcomes) {
  agents::AgentInfo run;
  run.agent_name = "coder-1";
  run.story_id = "1_story_a";
  run.run_id = 9;
  EXPECT_EQ(started_reply(run).plain, "Started coder-1 on 1_story_a (run 9, pending)");
  EXPECT_EQ(started_reply(run).html, "<p>Started coder-1 on 1_story_a (run 9, pending)</p>");
  auto view = item("1_story_a", Stage::Current);
  view.agent = "coder-2";
  EXPECT_EQ(assigned_reply(view).plain, "1_story_a now prefers coder-2");
  EXPECT_EQ(unblocked_reply(view).plain, "Unblocked 1_story_a (in current)");
  EXPECT_EQ(approved_reply(item("1_story_a", Stage::Merge)).html,
            "<p>Approved 1_story_a (now in merge)</p>");
  EXPECT_EQ(rejected_reply(view).plain, "Rejected 1_story_a: back to current with the notes");
  ops::MessageReceipt live{"1_story_a", "coder-1", 12, true, ""};
  EXPECT_EQ(said_reply(live).plain, "Told coder-1 on 1_story_a (run 12): it reads it in this run");
  ops::MessageReceipt queued{"1_story_a", "coder-1", 12, false, "its run <12> is over"};
  EXPECT_EQ(said_reply(queued).plain,
            "Queued for coder-1 on 1_story_a: it reads it at its next start\n"
            "Why: its run <12> is over");
  EXPECT_EQ(said_reply(queued).html,
            "<p>Queued for coder-1 on 1_story_a: it reads it at its next start</p>"
            "<p><b>Why:</b> its run &lt;12&gt; is over</p>");
  ops::ResetOutcome reset{"1_story_a", {"coder-1"}, true, Stage::Current};
  EXPECT_EQ(reset_reply(reset).plain,
            "Reset 1_story_a: back in backlog (was in current)\nStopped: coder-1\n"
            "Its worktree and branch are removed.");
  EXPECT_THAT(reset_reply(reset).html, HasSubstr("<p><b>Stopped:</b> coder-1</p>"));
}

TEST(ChatReplies, AmbientAndPermissions) {
  EXPECT_THAT(ambient_reply(true).plain, HasSubstr("Ambient on"));
  EXPECT_THAT(ambient_reply(false).html, HasSubstr("<p>Ambient off"));
  ops::PermissionAnswer answer;
  answer.allow = false;
  answer.message = "no <rm>";
  EXPECT_EQ(permission_reply("p-1", answer).plain, "Denied request p-1: no <rm>");
  EXPECT_EQ(permission_reply("p-1", answer).html, "<p>Denied request p-1: no &lt;rm&gt;</p>");
  answer.allow = true;
  EXPECT_EQ(permission_reply("p-2", answer).plain, "Permitted request p-2");
  ops::PendingPermission pending;
  pending.id = "p-3";
  pending.question.agent = "coder-1";
  pending.question.tool_name = "Bash";
  EXPECT_EQ(which_permission_reply({pending, pending}).plain,
            "Which request? Reply to its message, or name it:\n- p-3  coder-1 asks to use Bash\n"
            "- p-3  coder-1 asks to use Bash");
  EXPECT_EQ(which_permission_reply({}).plain, "No permission request is waiting.");
}

TEST(ChatReplies, Errors) {
  ops::OpError error(ops::OpError::Kind::NotFound, "no item 99");
  EXPECT_EQ(op_error_reply(error).plain, "Refused (not_found): no item 99");
  error = ops::invalid_input("agent", "'x' is not in the roster");
  EXPECT_EQ(op_error_reply(error).html,
            "<p>Refused (invalid_input): agent: &#39;x&#39; is not in the roster</p>");
  agents::PoolError pool;
  pool.message = "coder-1 is busy";
  EXPECT_EQ(agent_error_reply(ops::AgentOpError{pool}).plain, "Refused: coder-1 is busy");
  EXPECT_EQ(failure_reply("git", "not a repo").plain, "git failed: not a repo");
}

}  // namespace
}  // namespace stork::chat
