// Runs and their events, token usage, the pipeline's event journal: what a client polls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;

class RunRoutes : public ApiTest {
 protected:
  // An agent of stage `other` prints five lines and ends: no completion flow follows.
  void start_with_printer() {
    start_api({TestAgent{"printer", "other", "for i in 1 2 3 4 5; do echo line $i; done"}});
  }
  std::int64_t run_printer(const std::string& story) {
    auto started = start(story, "printer");
    EXPECT_TRUE(started.ok()) << started.error().message;
    wait(story, "printer");
    return started.ok() ? started.value().run_id : 0;
  }
};

TEST_F(RunRoutes, Runs_ListNewestFirstFilteredByStoryWithALimit) {
  start_with_printer();
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  const auto first = run_printer("1_story_a");
  const auto second = run_printer("2_story_b");
  const auto third = run_printer("1_story_a");
  auto all = get("/api/runs");
  ASSERT_EQ(all.status, 200u) << all.body;
  const auto& runs = all.object().at("runs").as_array();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].at("id"), third);
  EXPECT_EQ(runs[1].at("id"), second);
  EXPECT_EQ(runs[2].at("id"), first);
  EXPECT_EQ(runs[0].at("status"), "completed");
  EXPECT_EQ(runs[0].at("agent"), "printer");
  auto of_one = get("/api/runs?story=1");
  ASSERT_EQ(of_one.object().at("runs").as_array().size(), 2u);
  EXPECT_EQ(get("/api/runs?story=1_story_a&limit=1").object().at("runs").as_array().size(), 1u);
  EXPECT_EQ(get("/api/runs?limit=0").error_code(), "invalid_parameter");
  EXPECT_EQ(get("/api/runs?limit=ten").error_code(), "invalid_parameter");
  EXPECT_EQ(get("/api/runs?story=..%2Fx").error_code(), "invalid_id");
  EXPECT_EQ(get("/api/runs?story=55").status, 404u);
}

TEST_F(RunRoutes, RunEvents_PageByAfterAndLimitAndSayWhenTheRunIsComplete) {
  start_with_printer();
  add_item(Stage::Current, "1_story_a");
  const auto run = run_printer("1_story_a");
  const auto base = "/api/runs/" + std::to_string(run) + "/events";
  auto first = get(base + "?limit=3");
  ASSERT_EQ(first.status, 200u) << first.body;
  const auto& events = first.object().at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("seq"), 1);
  EXPECT_EQ(first.object().at("last_seq"), 3);
  EXPECT_EQ(first.object().at("complete"), false);
  EXPECT_EQ(first.object().at("run").at("id"), run);
  auto rest = get(base + "?after=3");
  const auto& more = rest.object().at("events").as_array();
  ASSERT_FALSE(more.empty());
  EXPECT_EQ(more[0].at("seq"), 4);
  EXPECT_EQ(rest.object().at("complete"), true);
  std::string lines;
  for (const auto* page : {&events, &more}) {
    for (const auto& event : *page)
      if (event.at("type") == "output") lines += event.at("payload").at("text").as_string();
  }
  EXPECT_EQ(lines, "line 1line 2line 3line 4line 5");
  EXPECT_EQ(more.back().at("type"), "done");
  auto none = get(base + "?after=" + std::to_string(more.back().at("seq").as_int64()));
  EXPECT_TRUE(none.object().at("events").as_array().empty());
  EXPECT_EQ(none.object().at("complete"), true);
}

TEST_F(RunRoutes, RunEvents_BadRunIdsAre400AndUnknownOnes404) {
  start_with_printer();
  EXPECT_EQ(get("/api/runs/abc/events").error_code(), "invalid_id");
  EXPECT_EQ(get("/api/runs/0/events").error_code(), "invalid_id");
  EXPECT_EQ(get("/api/runs/999/events").status, 404u);
  EXPECT_EQ(get("/api/runs/1/events?after=-1").error_code(), "invalid_parameter");
}

TEST_F(RunRoutes, Usage_SumsByTheRequestedGroupingWithTotals) {
  start_api();
  record_usage("1_story_a", "coder-1", "sonnet", 100, 0.5);
  record_usage("1_story_a", "qa", "opus", 200, 1.0);
  record_usage("2_story_b", "coder-1", "sonnet", 300, 1.5);
  auto by_item = get("/api/usage");
  ASSERT_EQ(by_item.status, 200u) << by_item.body;
  EXPECT_EQ(by_item.object().at("by"), "item");
  const auto& items = by_item.object().at("rows").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("key"), "1_story_a");
  EXPECT_EQ(items[0].at("input_tokens"), 300);
  EXPECT_EQ(items[0].at("runs"), 2);
  EXPECT_EQ(by_item.object().at("total").at("input_tokens"), 600);
  EXPECT_DOUBLE_EQ(by_item.object().at("total").at("cost_usd").as_double(), 3.0);
  auto by_agent = get("/api/usage?by=agent");
  ASSERT_EQ(by_agent.object().at("rows").as_array().size(), 2u);
  EXPECT_EQ(by_agent.object().at("rows").as_array()[0].at("key"), "coder-1");
  EXPECT_DOUBLE_EQ(by_agent.object().at("rows").as_array()[0].at("cost_usd").as_double(), 2.0);
  auto by_day = get("/api/usage?by=day");
  ASSERT_EQ(by_day.object().at("rows").as_array().size(), 1u);
  EXPECT_EQ(by_day.object().at("rows").as_array()[0].at("key"), "2026-11-21");
  EXPECT_EQ(get("/api/usage?by=model").object().at("rows").as_array().size(), 2u);
  auto bad = get("/api/usage?by=week");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.error_code(), "invalid_parameter");
}

TEST_F(RunRoutes, Events_ReplayThePipelineJournalAfterASequenceNumber) {
  start_api();
  add_item(Stage::Backlog, "1_story_a");
  ASSERT_EQ(post("/api/items/1/block", R"({"reason":"r"})").status, 200u);
  ASSERT_EQ(post("/api/items/1/unblock").status, 200u);
  auto all = get("/api/events");
  ASSERT_EQ(all.status, 200u) << all.body;
  const auto& events = all.object().at("events").as_array();
  ASSERT_GE(events.size(), 2u);
  const auto& last = events.back().as_object();
  EXPECT_EQ(last.at("type"), "unblocked");
  EXPECT_EQ(last.at("story"), "1_story_a");
  const auto last_seq = last.at("seq").as_int64();
  EXPECT_EQ(all.object().at("last_seq"), last_seq);
  auto tail = get("/api/events?after=" + std::to_string(last_seq - 1));
  ASSERT_EQ(tail.object().at("events").as_array().size(), 1u);
  EXPECT_EQ(tail.object().at("events").as_array()[0].at("payload").at("was_held"), true);
  EXPECT_EQ(get("/api/events?after=1&limit=1").object().at("events").as_array().size(), 1u);
  EXPECT_EQ(get("/api/events?after=x").error_code(), "invalid_parameter");
}

}  // namespace
}  // namespace stork::testing
