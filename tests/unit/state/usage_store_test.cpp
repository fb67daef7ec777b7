#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/run_store.hpp"
#include "state/token_usage_line.hpp"
#include "store_fixture.hpp"

namespace stork::state {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "unterminated line";
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TokenUsageRecord usage_of(std::int64_t run_id) {
  TokenUsageRecord usage;
  usage.run_id = run_id;
  usage.story = "1_story_\"quoted\"";
  usage.agent = "coder-1";
  usage.model = "claude-sonnet-4";
  usage.session_id = "sess-9";
  usage.input_tokens = 1200;
  usage.output_tokens = 340;
  usage.cache_creation_input_tokens = 56;
  usage.cache_read_input_tokens = 7800;
  usage.cost_usd = 0.125;
  usage.recorded_at_ms = 1795255200123;  // 2026-11-21T10:00:00.123Z
  return usage;
}

TEST(TokenUsage, RecordedInSqliteAndAsOneJsonLine) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  auto usage = usage_of(run);
  auto recorded = store->record_token_usage(usage);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;

  auto rows = store->token_usage();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front(), usage);

  auto lines = lines_of(testing::read_text(project / ".storkit/token_usage.jsonl"));
  ASSERT_EQ(lines.size(), 1u);
  auto json = boost::json::parse(lines[0]).as_object();
  std::vector<std::string> keys;
  for (const auto& entry : json)
    keys.emplace_back(entry.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"timestamp", "story_id", "agent_name", "model",
                                            "session_id", "usage"}));
  EXPECT_EQ(json.at("timestamp").as_string(), "2026-11-21T10:00:00Z");
  EXPECT_EQ(json.at("story_id").as_string(), "1_story_\"quoted\"");
  EXPECT_EQ(json.at("agent_name").as_string(), "coder-1");
  EXPECT_EQ(json.at("model").as_string(), "claude-sonnet-4");
  EXPECT_EQ(json.at("session_id").as_string(), "sess-9");
  const auto& counts = json.at("usage").as_object();
  keys.clear();
  for (const auto& entry : counts)
    keys.emplace_back(entry.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"input_tokens", "output_tokens",
                                            "cache_creation_input_tokens",
                                            "cache_read_input_tokens", "total_cost_usd"}));
  EXPECT_EQ(counts.at("input_tokens").to_number<std::int64_t>(), 1200);
  EXPECT_EQ(counts.at("output_tokens").to_number<std::int64_t>(), 340);
  EXPECT_EQ(counts.at("cache_creation_input_tokens").to_number<std::int64_t>(), 56);
  EXPECT_EQ(counts.at("cache_read_input_tokens").to_number<std::int64_t>(), 7800);
  EXPECT_DOUBLE_EQ(counts.at("total_cost_usd").to_number<double>(), 0.125);
}

TEST(TokenUsage, LinesAccumulateAndFilterByStory) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run_a = *store->create_run(new_run("1_story_a"), 1);
  auto run_b = *store->create_run(new_run("2_story_b"), 1);
  auto a = usage_of(run_a);
  a.story = "1_story_a";
  a.session_id.reset();
  auto b = usage_of(run_b);
  b.story = "2_story_b";
  ASSERT_TRUE(store->record_token_usage(a).ok());
  ASSERT_TRUE(store->record_token_usage(b).ok());
  ASSERT_TRUE(store->record_token_usage(a).ok());
  EXPECT_EQ(store->token_usage()->size(), 3u);
  auto of_a = store->token_usage("1_story_a");
  ASSERT_EQ(of_a->size(), 2u);
  EXPECT_EQ(of_a->front(), a);
  auto lines = lines_of(testing::read_text(project / ".storkit/token_usage.jsonl"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(boost::json::parse(lines[0]).as_object().at("session_id").is_null());
  EXPECT_EQ(boost::json::parse(lines[1]).as_object().at("story_id").as_string(), "2_story_b");
}

TEST(TokenUsage, UsageOfAMissingRunWritesNoLine) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto recorded = store->record_token_usage(usage_of(404));
  ASSERT_FALSE(recorded.ok());
  EXPECT_THAT(recorded.error().message, HasSubstr("FOREIGN KEY constraint failed"));
  EXPECT_FALSE(std::filesystem::exists(project / ".storkit/token_usage.jsonl"));
}

TEST(TokenUsage, UnwritableJsonlLeavesNoRow) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  std::filesystem::create_directory(project / ".storkit/token_usage.jsonl");  // cannot be opened
  auto recorded = store->record_token_usage(usage_of(run));
  ASSERT_FALSE(recorded.ok());
  EXPECT_THAT(recorded.error().message, HasSubstr("token_usage.jsonl"));
  EXPECT_TRUE(store->token_usage()->empty());
}

TEST(TokenUsage, TwoConnectionsRecordingAtOnceKeepEveryRowAndLine) {
  testing::TempDir project;
  auto first = open_store(project.path());
  auto second = open_store(project.path());  // a second connection, as a second process has
  auto run = *first->create_run(new_run(), 1);
  constexpr int kPerWriter = 100;
  auto write = [&](StateStore& store, const std::string& model) {
    auto usage = usage_of(run);
    usage.model = model + std::string(2000, 'm');  // long lines: a split would show
    for (int i = 0; i < kPerWriter; ++i) {
      auto recorded = store.record_token_usage(usage);
      ASSERT_TRUE(recorded.ok()) << recorded.error().message;
    }
  };
  std::thread a([&] { write(*first, "a"); });
  std::thread b([&] { write(*second, "b"); });
  a.join();
  b.join();
  auto lines = lines_of(testing::read_text(project / ".storkit/token_usage.jsonl"));
  ASSERT_EQ(lines.size(), 2u * kPerWriter);
  for (const auto& line : lines) {
    boost::system::error_code ec;
    auto json = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line.substr(0, 80);
    EXPECT_EQ(json.as_object().at("model").as_string().size(), 2001u);
  }
  EXPECT_EQ(first->token_usage()->size(), 2u * kPerWriter);
}

TEST(TokenUsage, TimestampIsUtcToTheSecond) {
  EXPECT_EQ(utc_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_timestamp(1795255200999), "2026-11-21T10:00:00Z");
  EXPECT_EQ(utc_timestamp(-1), "1969-12-31T23:59:59Z");
}

TEST(Sessions, KeyedByStoryAgentAndModelWithTheLatestWinning) {
  testing::TempDir project;
  auto store = open_store(project.path());
  EXPECT_EQ(*store->last_session("1_story_a", "coder-1", "sonnet"), std::nullopt);
  ASSERT_TRUE(store->remember_session("1_story_a", "coder-1", "sonnet", "s1", 1).ok());
  ASSERT_TRUE(store->remember_session("1_story_a", "coder-1", "opus", "s2", 2).ok());
  ASSERT_TRUE(store->remember_session("1_story_a", "coder-2", "sonnet", "s3", 3).ok());
  ASSERT_TRUE(store->remember_session("2_story_b", "coder-1", "sonnet", "s4", 4).ok());
  ASSERT_TRUE(store->remember_session("1_story_a", "coder-1", "sonnet", "s5", 5).ok());
  EXPECT_EQ(*store->last_session("1_story_a", "coder-1", "sonnet"), "s5");
  EXPECT_EQ(*store->last_session("1_story_a", "coder-1", "opus"), "s2");
  EXPECT_EQ(*store->last_session("1_story_a", "coder-2", "sonnet"), "s3");
  EXPECT_EQ(*store->last_session("2_story_b", "coder-1", "sonnet"), "s4");
  EXPECT_EQ(*store->last_session("2_story_b", "coder-1", "opus"), std::nullopt);
}

}  // namespace
}  // namespace stork::state
