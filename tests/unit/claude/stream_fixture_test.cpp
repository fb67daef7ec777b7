// Every line the real CLI printed in the recorded runs (tests/fixtures/claude/*.jsonl, made by
// tests/e2e/record_claude_fixtures.sh) parses into the events it should: no Raw event for the
// line types stork acts on, the tool calls and results in order, and the result's figures.
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "agents/claude/stream_parser.hpp"
#include "support/temp_dir.hpp"

namespace stork::claude {
namespace {

std::vector<std::string> fixture_lines(std::string_view name) {
  const auto path = std::filesystem::path(STORK_TEST_DATA_DIR) / "claude" / name;
  std::istringstream in(testing::read_text(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  EXPECT_FALSE(lines.empty()) << path;
  return lines;
}

std::vector<StreamEvent> parse_fixture(std::string_view name) {
  std::vector<StreamEvent> events;
  for (const std::string& line : fixture_lines(name)) {
    auto line_events = parse_stream_line(line);
    events.insert(events.end(), line_events.begin(), line_events.end());
  }
  return events;
}

std::vector<const StreamEvent*> of_type(const std::vector<StreamEvent>& events,
                                        StreamEventType type) {
  std::vector<const StreamEvent*> found;
  for (const StreamEvent& event : events)
    if (event.type == type) found.push_back(&event);
  return found;
}

const StreamEvent& only(const std::vector<StreamEvent>& events, StreamEventType type) {
  auto found = of_type(events, type);
  EXPECT_EQ(found.size(), 1u) << to_string(type);
  static const StreamEvent none;
  return found.empty() ? none : *found.front();
}

const char* const kFixtures[] = {
    "write_commit.jsonl",
    "resume.jsonl",
    "multi_tool.jsonl",
    "max_turns.jsonl",
    "rate_limit_rejected_api_key.jsonl",
    "rate_limit_rejected_gateway.jsonl",
    "rate_limit_warning_api_key.jsonl",
    "rate_limit_warning_gateway.jsonl",
    "stall_timeout.jsonl",
};

// The line types the parser turns into typed events; the CLI's other system lines
// (api_retry, thinking_tokens) are kept as Raw.
bool is_typed_line(const boost::json::object& line) {
  const auto type = line.at("type").as_string();
  if (type == "system") return line.at("subtype").as_string() == "init";
  return type == "assistant" || type == "user" || type == "rate_limit_event" || type == "result";
}

TEST(StreamFixtures, TypedLinesGiveNoRawEventsAndOtherLinesOneRawCopy) {
  for (const char* fixture : kFixtures) {
    for (const std::string& line : fixture_lines(fixture)) {
      const auto object = boost::json::parse(line).as_object();
      const auto events = parse_stream_line(line);
      ASSERT_FALSE(events.empty()) << fixture << ": " << line;
      const std::string session_id(object.at("session_id").as_string());
      for (const StreamEvent& event : events)
        EXPECT_EQ(event.session_id, session_id) << line;
      if (is_typed_line(object)) {
        EXPECT_TRUE(of_type(events, StreamEventType::Raw).empty()) << fixture << ": " << line;
      } else {
        ASSERT_EQ(events.size(), 1u) << line;
        EXPECT_EQ(events[0].type, StreamEventType::Raw);
        EXPECT_EQ(events[0].text, line);
      }
    }
  }
}

TEST(StreamFixtures, WriteCommitRunGivesToolCallsResultsAndCost) {
  const auto events = parse_fixture("write_commit.jsonl");
  const StreamEvent& init = only(events, StreamEventType::Init);
  EXPECT_EQ(init.model, "claude-opus-5-5");
  EXPECT_EQ(init.session_id.size(), 36u);  // a UUID

  const auto uses = of_type(events, StreamEventType::ToolUse);
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_EQ(uses[0]->tool_name, "Write");
  EXPECT_NE(uses[0]->tool_input_json.find(R"("content":"hello from the scripted agent\n")"),
            std::string::npos)
      << uses[0]->tool_input_json;
  EXPECT_EQ(uses[1]->tool_name, "Bash");
  EXPECT_EQ(boost::json::parse(uses[1]->tool_input_json).at("command"),
            "git add -A && git commit -q -m 'Add hello.txt'");

  const auto results = of_type(events, StreamEventType::ToolResult);
  ASSERT_EQ(results.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(results[i]->tool_use_id, uses[i]->tool_use_id);
    EXPECT_FALSE(results[i]->is_error);
  }
  EXPECT_NE(results[0]->text.find("File created successfully"), std::string::npos);
  EXPECT_EQ(results[1]->text, "(Bash completed with no output)");

  const auto texts = of_type(events, StreamEventType::AssistantText);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1]->text, "Created hello.txt and committed it.");

  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_EQ(result.result_subtype, "success");
  EXPECT_FALSE(result.is_error);
  EXPECT_EQ(result.text, "Created hello.txt and committed it.");
  EXPECT_EQ(result.num_turns, 3);
  ASSERT_TRUE(result.total_cost_usd);
  EXPECT_DOUBLE_EQ(*result.total_cost_usd, 0.00324);
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(*result.usage, (Usage{360, 90, 0, 0}));
  EXPECT_EQ(result.model, "claude-opus-5-5");
  EXPECT_FALSE(result.rate_limit);
  EXPECT_TRUE(of_type(events, StreamEventType::RateLimit).empty());
}

TEST(StreamFixtures, ResumedRunKeepsSessionAndReportsSessionCostSeparately) {
  const auto first = parse_fixture("write_commit.jsonl");
  const auto resumed = parse_fixture("resume.jsonl");
  EXPECT_EQ(only(resumed, StreamEventType::Init).session_id,
            only(first, StreamEventType::Init).session_id);
  const StreamEvent& result = only(resumed, StreamEventType::Result);
  ASSERT_TRUE(result.total_cost_usd && result.run_cost_usd);
  EXPECT_DOUBLE_EQ(*result.total_cost_usd, 0.00432);  // includes the first run's 0.00324
  EXPECT_DOUBLE_EQ(*result.run_cost_usd, 0.00108);
  EXPECT_EQ(*result.usage, (Usage{120, 30, 0, 0}));
}

TEST(StreamFixtures, MultiToolAnswerSplitsIntoThinkingTextAndEachToolCall) {
  const auto events = parse_fixture("multi_tool.jsonl");
  EXPECT_EQ(only(events, StreamEventType::Init).model, "claude-sonnet-4-5");
  EXPECT_EQ(only(events, StreamEventType::Thinking).text, "Two files are needed, then a check.");
  const auto uses = of_type(events, StreamEventType::ToolUse);
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0]->tool_name, "Write");
  EXPECT_EQ(uses[1]->tool_name, "Write");
  EXPECT_EQ(uses[2]->tool_name, "Bash");
  const auto results = of_type(events, StreamEventType::ToolResult);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[1]->is_error);
  EXPECT_TRUE(results[2]->is_error);
  EXPECT_EQ(results[2]->text, "Exit code 1\ncat: does-not-exist.txt: No such file or directory");
  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_EQ(result.num_turns, 4);
  EXPECT_DOUBLE_EQ(*result.total_cost_usd, 0.00243);
  EXPECT_EQ(*result.usage, (Usage{360, 90, 0, 0}));
  EXPECT_EQ(result.model, "claude-sonnet-4-5");
}

TEST(StreamFixtures, MaxTurnsResultIsAnErrorWithTheCliMessage) {
  const auto events = parse_fixture("max_turns.jsonl");
  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_EQ(result.result_subtype, "error_max_turns");
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.text, "Reached maximum number of turns (1)");
  EXPECT_EQ(of_type(events, StreamEventType::ToolUse).size(), 2u);
}

TEST(StreamFixtures, RejectedLimitAsGatewayClientGivesEventWithResetAndRejectedResult) {
  const auto events = parse_fixture("rate_limit_rejected_gateway.jsonl");
  const StreamEvent& limit = only(events, StreamEventType::RateLimit);
  ASSERT_TRUE(limit.rate_limit);
  EXPECT_EQ(limit.rate_limit->level, RateLimit::Level::Rejected);
  EXPECT_EQ(limit.rate_limit->limit_type, "five_hour");
  EXPECT_EQ(limit.rate_limit->resets_at_unix_s, 1795245059);

  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_TRUE(result.is_error);
  ASSERT_TRUE(result.rate_limit);
  EXPECT_EQ(result.rate_limit->level, RateLimit::Level::Rejected);
  EXPECT_EQ(result.text, "You've hit your 5-hour limit · resets 7:10am (UTC)");
  EXPECT_DOUBLE_EQ(*result.total_cost_usd, 0.0);
}

TEST(StreamFixtures, RejectedLimitWithApiKeyIsOnlyAnErrorResult) {
  const auto events = parse_fixture("rate_limit_rejected_api_key.jsonl");
  EXPECT_TRUE(of_type(events, StreamEventType::RateLimit).empty());
  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.result_subtype, "success");  // sic: the CLI's subtype for API errors
  ASSERT_TRUE(result.rate_limit);
  EXPECT_EQ(result.rate_limit->level, RateLimit::Level::Rejected);
  EXPECT_FALSE(result.rate_limit->resets_at_unix_s);
  // The CLI's own retry notice stays a Raw event.
  const auto raws = of_type(events, StreamEventType::Raw);
  ASSERT_EQ(raws.size(), 1u);
  EXPECT_NE(raws[0]->text.find(R"("subtype":"api_retry")"), std::string::npos);
}

TEST(StreamFixtures, WarningLimitAsGatewayClientGivesWarningEvent) {
  const auto events = parse_fixture("rate_limit_warning_gateway.jsonl");
  const StreamEvent& limit = only(events, StreamEventType::RateLimit);
  EXPECT_EQ(limit.rate_limit->level, RateLimit::Level::Warning);
  EXPECT_EQ(limit.rate_limit->limit_type, "five_hour");
  EXPECT_EQ(limit.rate_limit->resets_at_unix_s, 1795248661);
  const StreamEvent& result = only(events, StreamEventType::Result);
  EXPECT_FALSE(result.is_error);
  EXPECT_FALSE(result.rate_limit);

  EXPECT_TRUE(of_type(parse_fixture("rate_limit_warning_api_key.jsonl"), StreamEventType::RateLimit)
                  .empty());
}

}  // namespace
}  // namespace stork::claude
