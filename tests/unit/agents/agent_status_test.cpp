#include "agents/agent_status.hpp"

#include <gtest/gtest.h>

namespace stork::agents {
namespace {

constexpr AgentStatus kAll[] = {
    AgentStatus::Pending,   AgentStatus::Running, AgentStatus::Throttled, AgentStatus::Blocked,
    AgentStatus::Completed, AgentStatus::Failed,  AgentStatus::Stopped,   AgentStatus::Interrupted};

TEST(AgentStatus, NamesRoundTrip) {
  for (auto status : kAll)
    EXPECT_EQ(parse_agent_status(to_string(status)), status);
  EXPECT_FALSE(parse_agent_status("sleeping").has_value());
}

TEST(AgentStatus, ThrottledAndBlockedRunsStillOccupyTheirAgent) {
  EXPECT_EQ(to_run_status(AgentStatus::Throttled), pipeline::RunStatus::Running);
  EXPECT_EQ(to_run_status(AgentStatus::Blocked), pipeline::RunStatus::Running);
  EXPECT_TRUE(is_active(AgentStatus::Blocked));
  EXPECT_FALSE(is_finished(AgentStatus::Blocked));
}

TEST(AgentStatus, EndedRunsNeverConflict) {
  for (auto status : {AgentStatus::Completed, AgentStatus::Failed, AgentStatus::Stopped,
                      AgentStatus::Interrupted}) {
    EXPECT_FALSE(pipeline::is_active(to_run_status(status))) << to_string(status);
  }
}

}  // namespace
}  // namespace stork::agents
