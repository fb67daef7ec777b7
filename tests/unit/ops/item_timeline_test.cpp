// The item timeline: built from a real pipeline's journal and a real state database (a retried
// item: gate failed → retry → merged), from given records (a merge conflict resolved by the
// mergemaster), and its text helpers; the legal actions of an item where it is.
#include "ops/item_timeline.hpp"

#include <algorithm>

#include <boost/asio/thread_pool.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../engine/pipeline_fixture.hpp"
#include "config/config_loader.hpp"
#include "ops/item_actions.hpp"
#include "ops/item_ops.hpp"
#include "ops/timeline_json.hpp"
#include "ops/timeline_text.hpp"

namespace stork::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> kinds(const ops::ItemTimeline& timeline) {
  std::vector<std::string> out;
  for (const auto& entry : timeline.entries)
    out.push_back(entry.kind);
  return out;
}

const ops::TimelineEntry* find_kind(const ops::ItemTimeline& timeline, const std::string& kind,
                                    int nth = 0) {
  for (const auto& entry : timeline.entries) {
    if (entry.kind == kind && nth-- == 0) return &entry;
  }
  return nullptr;
}

// The position of the nth entry of `kind`, or -1.
long index_of(const ops::ItemTimeline& timeline, const std::string& kind, int nth = 0) {
  const auto* entry = find_kind(timeline, kind, nth);
  return entry == nullptr ? -1 : entry - timeline.entries.data();
}

class TimelineOpTest : public PipelineTest {
 protected:
  void open() {
    open_pipeline();
    auto loaded = load_project_config(root() / ".storkit/project.toml");
    ASSERT_TRUE(loaded.ok());
    auto config = std::make_shared<const ProjectConfig>(loaded.value().config);
    items_ = std::make_unique<ops::ItemOps>(ops::OpsServices{root(), pipeline_.get(), pool_.get(),
                                                             [config] { return config; },
                                                             workers_.get_executor()});
  }

  boost::asio::thread_pool workers_{1};
  std::unique_ptr<ops::ItemOps> items_;
};

TEST_F(TimelineOpTest, RetriedItem_ShowsGateFailedThenRetryThenMergedWithItsCommit) {
  add_item(Stage::Current, "1_story_flaky");
  open();
  ASSERT_TRUE(wait_for_stage("1_story_flaky", Stage::Done, std::chrono::seconds(30)));
  ASSERT_TRUE(eventually([&] { return has_event("1_story_flaky", "merged"); }));

  auto timeline = run(items_->timeline("1"));  // a number resolves to the item
  ASSERT_TRUE(timeline.ok()) << timeline.error().message;
  EXPECT_EQ(timeline.value().story, "1_story_flaky");
  const auto& t = timeline.value();
  const auto first_run = index_of(t, "run_started");
  const auto failed = index_of(t, "gate_failed");
  const auto retry = index_of(t, "retry");
  const auto second_run = index_of(t, "run_started", 1);
  const auto passed = index_of(t, "gate_passed");
  const auto merged = index_of(t, "merged");
  ASSERT_GE(first_run, 0) << ::testing::PrintToString(kinds(t));
  EXPECT_LT(first_run, failed);
  EXPECT_LT(failed, retry);
  EXPECT_LT(retry, second_run);
  EXPECT_LT(second_run, passed);
  EXPECT_LT(passed, merged);

  const auto* gate = find_kind(t, "gate_failed");
  EXPECT_TRUE(gate->failure);
  EXPECT_THAT(gate->detail, HasSubstr("gate: broken files"));  // the tail of its output
  EXPECT_THAT(find_kind(t, "retry")->title, HasSubstr("retry 1 of"));
  const auto* landed = find_kind(t, "merged");
  ASSERT_TRUE(landed->commit.has_value());
  // The squash commit is on main (bookkeeping commits may follow it).
  EXPECT_THAT(git(root(), {"log", "--format=%H", "main"}), HasSubstr(*landed->commit));
  EXPECT_EQ(landed->commit->size(), 40u);
  EXPECT_THAT(landed->paths, ::testing::Contains("1_story_flaky.txt"));
  const auto* run_one = find_kind(t, "run_started");
  ASSERT_TRUE(run_one->run_id.has_value());
  EXPECT_EQ(run_one->agent, "coder-1");
  EXPECT_TRUE(std::is_sorted(t.entries.begin(), t.entries.end(),
                             [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; }));

  const auto json = ops::timeline_json(t);
  EXPECT_EQ(json.at("story").as_string(), "1_story_flaky");
  EXPECT_EQ(json.at("entries").as_array().size(), t.entries.size());
}

TEST_F(TimelineOpTest, UnknownItem_IsNotFound) {
  open();
  auto missing = run(items_->timeline("42"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ops::OpError::Kind::NotFound);
  auto unsafe = run(items_->timeline("../x"));
  ASSERT_FALSE(unsafe.ok());
  EXPECT_EQ(unsafe.error().kind, ops::OpError::Kind::InvalidId);
}

state::PipelineEventRecord event(std::int64_t seq, std::int64_t time, std::string type,
                                 std::string payload) {
  return {seq, time, "2_story_mul", std::move(type), std::move(payload)};
}

ops::RunActivity activity(std::int64_t id, std::string agent, std::int64_t from, std::int64_t to,
                          AgentStage stage, std::vector<state::EventRecord> events = {}) {
  state::RunRecord run;
  run.id = id;
  run.story = "2_story_mul";
  run.agent = std::move(agent);
  run.state = state::RunState::Completed;
  run.started_at_ms = from;
  run.ended_at_ms = to;
  return {run, std::move(events), stage};
}

TEST(BuildTimeline, MergeConflict_ShowsPathsThenMergemasterThenMerged) {
  const std::vector<state::PipelineEventRecord> events = {
      event(1, 100, "moved", R"({"from":"backlog","to":"current","reason":"x"})"),
      event(2, 300, "gate_passed", R"({"where":"worktree","duration_ms":1500})"),
      event(3, 310, "merge_failed", R"({"reason":"conflict","conflicted":["calc.py"]})"),
      event(4, 320, "assigned", R"({"agent":"mergemaster","stage":"merge"})"),
      event(5, 600, "merged", R"({"commit":"0123456789abcdef0123","files":["calc.py"]})"),
      event(6, 601, "merge_step", R"({"step":"done"})"),
      event(7, 602, "something_new", "not json"),
  };
  std::vector<state::EventRecord> tools = {
      {20, 1, 500, "tool_use", R"({"name":"Bash","input":{"command":"git merge main"}})"},
      {20, 2, 510, "tool_use", R"({"name":"Bash","input":{"command":"python3 -m unittest"}})"},
      {20, 3, 520, "output", R"({"text":"\u001b[32mresolved calc.py\u001b[0m"})"},
      {20, 4, 530, "output", R"({"text":"[mm] {\"queue_position\":1,\"message\":\"queued\"}"})"},
  };
  const auto timeline =
      ops::build_timeline("2_story_mul", events,
                          {activity(20, "mergemaster", 400, 550, AgentStage::Mergemaster, tools),
                           activity(10, "coder-2", 150, 250, AgentStage::Coder)});
  EXPECT_THAT(kinds(timeline),
              ElementsAre("moved", "run_started", "run_ended", "gate_passed", "merge_failed",
                          "mergemaster", "run_ended", "merged", "something_new"));
  EXPECT_THAT(find_kind(timeline, "merge_failed")->paths, ElementsAre("calc.py"));
  EXPECT_THAT(find_kind(timeline, "gate_passed")->title, HasSubstr("1.5 s"));
  const auto* resolved = find_kind(timeline, "run_ended", 1);
  EXPECT_EQ(resolved->tool_calls, 2);
  ASSERT_EQ(resolved->tools.size(), 1u);
  EXPECT_EQ(resolved->tools[0].name, "Bash");
  EXPECT_THAT(resolved->detail, HasSubstr("Bash: git merge main"));
  EXPECT_THAT(resolved->detail, HasSubstr("last: [mm] queued"));  // a JSON reply, readable
  EXPECT_THAT(resolved->detail, Not(HasSubstr("\x1b")));
  EXPECT_EQ(find_kind(timeline, "merged")->title, "merged as 0123456789ab");
}

TEST(TimelineText, CleanTextStripsCsiOscAndControls) {
  EXPECT_EQ(ops::clean_text("\x1b[1;31mred\x1b[0m plain"), "red plain");
  EXPECT_EQ(ops::clean_text("\x1b]0;title\x07"
                            "after"),
            "after");
  EXPECT_EQ(ops::clean_text("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");
  EXPECT_EQ(ops::clean_text("a\r\nb\rc\x01"), "a\nb\nc");
  EXPECT_EQ(ops::clean_text("cut \x1b["), "cut ");
  EXPECT_EQ(ops::last_lines("1\n2\n3\n4\n", 2), "3\n4");
  EXPECT_EQ(ops::one_line("a\n  b\tc", 80), "a b c");
  EXPECT_EQ(ops::one_line("héllo wörld", 2), "h…");
}

TEST(TimelineText, ShortToolInputNeverShowsJson) {
  EXPECT_EQ(ops::short_tool_input(R"({"command":"ls -la\n| wc"})"), "ls -la | wc");
  EXPECT_EQ(ops::short_tool_input(R"({"file_path":"/tmp/x.py","content":"..."})"), "/tmp/x.py");
  EXPECT_EQ(ops::short_tool_input(R"({"limit":3,"all":true,"nested":{"a":1}})"),
            "limit=3 all=true");
  EXPECT_EQ(ops::short_tool_input("not json"), "not json");
}

TEST(TimelineText, ReadableLineShowsJsonAsItsMessageOrFields) {
  EXPECT_EQ(ops::readable_line(R"([agent] {"position":1,"ok":true,"list":[1]})", 80),
            "[agent] position: 1, ok: true");
  EXPECT_EQ(ops::readable_line(R"({"message":"queued at 1"})", 80), "queued at 1");
  EXPECT_EQ(ops::readable_line("\x1b[31m{broken\x1b[0m", 80), "{broken");
  EXPECT_EQ(ops::readable_line("plain {a} text", 80), "plain {a} text");
}

ops::ItemView view_at(Stage stage, std::string type = "story") {
  ops::ItemView view;
  view.stage = stage;
  view.type = std::move(type);
  return view;
}

TEST(LegalActions, DoneItemsOfferNeitherStartNorUnblock) {
  auto done = view_at(Stage::Done);
  done.retry_count = 1;  // a retried bug, merged: history, not a hold
  const auto actions = ops::legal_actions(done);
  EXPECT_FALSE(actions.start);
  EXPECT_FALSE(actions.unblock);
  EXPECT_FALSE(actions.approve_qa);
  EXPECT_THAT(actions.moves, ElementsAre(Stage::Archived));
  EXPECT_FALSE(ops::legal_actions(view_at(Stage::Archived)).start);

  auto current = view_at(Stage::Current);
  current.retry_count = 1;
  EXPECT_TRUE(ops::legal_actions(current).start);
  EXPECT_TRUE(ops::legal_actions(current).unblock);
  auto blocked_done = view_at(Stage::Done);
  blocked_done.merge_failure = "landed, but the item could not be moved";
  EXPECT_TRUE(ops::legal_actions(blocked_done).unblock);
}

TEST(LegalActions, QaActionsOnlyInQaAndSpikesNeverMoveToMerge) {
  const auto spike = ops::legal_actions(view_at(Stage::Qa, "spike"));
  EXPECT_TRUE(spike.approve_qa);
  EXPECT_TRUE(spike.reject_qa);
  EXPECT_EQ(std::count(spike.moves.begin(), spike.moves.end(), Stage::Merge), 0);
  EXPECT_FALSE(ops::legal_actions(view_at(Stage::Current)).approve_qa);
  const auto json = ops::actions_json(ops::legal_actions(view_at(Stage::Current)));
  EXPECT_TRUE(json.at("request_qa").as_bool());
  EXPECT_FALSE(json.at("approve_qa").as_bool());
}

}  // namespace
}  // namespace stork::testing
