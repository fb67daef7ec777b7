// Issue 16, item 5: one run's stored output is bounded: head and tail kept, the middle dropped
// and counted, facts (session, result, status) always passed.
#include "agents/run_output_budget.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/agent_event.hpp"

namespace stork::agents {
namespace {

using ::testing::HasSubstr;

RuntimeEvent event(const char* type, std::string payload) {
  RuntimeEvent made;
  made.type = type;
  made.payload = std::move(payload);
  return made;
}

TEST(RunOutputBudget, ThreeHundredThousandLines_HeadTailAndADropNote) {
  RunOutputBudget budget(64 * 1024);
  std::uint64_t stored_bytes = 0;
  std::size_t stored_events = 0;
  std::vector<std::string> first, last;
  for (int i = 0; i < 300000; ++i) {
    std::vector<std::string> lines{"line " + std::to_string(i)};
    std::vector<RuntimeEvent> events{
        event(event_type::kOutput, R"({"text":"line )" + std::to_string(i) + R"("})")};
    if (i == 150000) events.push_back(event(event_type::kSession, R"({"session_id":"s"})"));
    budget.admit(lines, events);
    for (const auto& line : lines) {
      stored_bytes += line.size() + 1;
      if (first.size() < 3) first.push_back(line);
    }
    for (const auto& passed : events) {
      ++stored_events;
      if (i == 150000) {
        EXPECT_EQ(passed.type, event_type::kSession);
      }
    }
  }
  auto rest = budget.finish();
  for (const auto& line : rest.lines)
    stored_bytes += line.size() + 1;
  stored_events += rest.events.size();
  EXPECT_LE(stored_bytes, 64 * 1024 + 200);
  EXPECT_LT(stored_events, 20000U);
  EXPECT_EQ(first.front(), "line 0");
  ASSERT_FALSE(rest.lines.empty());
  EXPECT_THAT(rest.lines.front(), HasSubstr("lines ("));
  EXPECT_THAT(rest.lines.front(), HasSubstr("dropped"));
  EXPECT_EQ(rest.lines.back(), "line 299999");
  EXPECT_THAT(rest.events.front().payload, HasSubstr("dropped"));
  EXPECT_THAT(rest.events.back().payload, HasSubstr("line 299999"));
}

TEST(RunOutputBudget, SmallRunIsStoredWholeWithoutNote) {
  RunOutputBudget budget(64 * 1024);
  std::vector<std::string> lines{"a", "b"};
  std::vector<RuntimeEvent> events{event(event_type::kOutput, R"({"text":"a"})")};
  budget.admit(lines, events);
  EXPECT_EQ(lines.size(), 2U);
  EXPECT_EQ(events.size(), 1U);
  auto rest = budget.finish();
  EXPECT_TRUE(rest.lines.empty());
  EXPECT_TRUE(rest.events.empty());
}

}  // namespace
}  // namespace stork::agents
