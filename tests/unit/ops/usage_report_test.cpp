// Token usage summed per item, agent, model and UTC day.
#include "ops/usage_report.hpp"

#include <gtest/gtest.h>

namespace stork::ops {
namespace {

state::TokenUsageRecord usage(std::int64_t run, std::string story, std::string agent,
                              std::string model, std::int64_t input, double cost,
                              std::int64_t at_ms) {
  state::TokenUsageRecord record;
  record.run_id = run;
  record.story = std::move(story);
  record.agent = std::move(agent);
  record.model = std::move(model);
  record.input_tokens = input;
  record.output_tokens = input / 10;
  record.cache_creation_input_tokens = 1;
  record.cache_read_input_tokens = 2;
  record.cost_usd = cost;
  record.recorded_at_ms = at_ms;
  return record;
}

constexpr std::int64_t kNov21 = 1795219200000;  // 2026-11-21T00:00:00Z
constexpr std::int64_t kDay = 86400000;

std::vector<state::TokenUsageRecord> sample() {
  return {usage(1, "10_story_b", "coder-1", "sonnet", 100, 0.5, kNov21 + 10),
          usage(2, "9_story_a", "coder-2", "opus", 200, 1.0, kNov21 + kDay - 1),
          usage(2, "9_story_a", "coder-2", "opus", 300, 1.5, kNov21 + kDay),
          usage(3, "10_story_b", "qa", "sonnet", 400, 2.0, kNov21 + 2 * kDay)};
}

TEST(UsageReport, ByItemSortsByNumberAndCountsDistinctRuns) {
  auto report = summarize_usage(sample(), UsageGrouping::Item);
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_EQ(report.rows[0].key, "9_story_a");
  EXPECT_EQ(report.rows[0].input_tokens, 500);
  EXPECT_EQ(report.rows[0].output_tokens, 50);
  EXPECT_DOUBLE_EQ(report.rows[0].cost_usd, 2.5);
  EXPECT_EQ(report.rows[0].runs, 1);
  EXPECT_EQ(report.rows[0].records, 2);
  EXPECT_EQ(report.rows[1].key, "10_story_b");
  EXPECT_EQ(report.rows[1].runs, 2);
  EXPECT_EQ(report.total.input_tokens, 1000);
  EXPECT_EQ(report.total.cache_creation_input_tokens, 4);
  EXPECT_EQ(report.total.cache_read_input_tokens, 8);
  EXPECT_DOUBLE_EQ(report.total.cost_usd, 5.0);
  EXPECT_EQ(report.total.runs, 3);
}

TEST(UsageReport, ByAgentAndModelGroupByName) {
  auto agents = summarize_usage(sample(), UsageGrouping::Agent);
  ASSERT_EQ(agents.rows.size(), 3u);
  EXPECT_EQ(agents.rows[0].key, "coder-1");
  EXPECT_EQ(agents.rows[1].key, "coder-2");
  EXPECT_DOUBLE_EQ(agents.rows[1].cost_usd, 2.5);
  auto models = summarize_usage(sample(), UsageGrouping::Model);
  ASSERT_EQ(models.rows.size(), 2u);
  EXPECT_EQ(models.rows[0].key, "opus");
  EXPECT_EQ(models.rows[1].key, "sonnet");
  EXPECT_EQ(models.rows[1].input_tokens, 500);
}

TEST(UsageReport, ByDayUsesUtcDatesOldestFirst) {
  auto days = summarize_usage(sample(), UsageGrouping::Day);
  ASSERT_EQ(days.rows.size(), 3u);
  EXPECT_EQ(days.rows[0].key, "2026-11-21");
  EXPECT_EQ(days.rows[0].input_tokens, 300);  // the last millisecond of the day counts to it
  EXPECT_EQ(days.rows[1].key, "2026-11-22");
  EXPECT_EQ(days.rows[2].key, "2026-11-23");
}

TEST(UsageReport, NoRecordsGiveNoRowsAndZeroTotals) {
  auto report = summarize_usage({}, UsageGrouping::Day);
  EXPECT_TRUE(report.rows.empty());
  EXPECT_EQ(report.total.runs, 0);
  EXPECT_DOUBLE_EQ(report.total.cost_usd, 0);
}

TEST(UsageReport, GroupingNamesRoundTrip) {
  for (auto grouping :
       {UsageGrouping::Item, UsageGrouping::Agent, UsageGrouping::Model, UsageGrouping::Day})
    EXPECT_EQ(parse_usage_grouping(to_string(grouping)), grouping);
  EXPECT_FALSE(parse_usage_grouping("week"));
}

}  // namespace
}  // namespace stork::ops
