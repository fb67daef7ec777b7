#include "proc/exit_status.hpp"

#include <csignal>

#include <gtest/gtest.h>

namespace stork::proc {
namespace {

TEST(ExitStatus, DescribesEachWayAProcessEnds) {
  EXPECT_EQ((ExitStatus{ExitReason::Exited, 3, 0}).describe(), "exit code 3");
  EXPECT_EQ((ExitStatus{ExitReason::Signaled, -1, SIGSEGV}).describe(), "killed by SIGSEGV");
  EXPECT_EQ((ExitStatus{ExitReason::Inactive, -1, SIGKILL, std::chrono::seconds(30)}).describe(),
            "inactive: no output for 30 s (killed by SIGKILL)");
  EXPECT_EQ(
      (ExitStatus{ExitReason::Inactive, -1, SIGKILL, std::chrono::milliseconds(300)}).describe(),
      "inactive: no output for 300 ms (killed by SIGKILL)");
  EXPECT_EQ((ExitStatus{ExitReason::Stopped, -1, SIGTERM}).describe(), "stopped");
}

TEST(ExitStatus, SucceededOnlyForExitCodeZero) {
  EXPECT_TRUE((ExitStatus{ExitReason::Exited, 0, 0}).succeeded());
  EXPECT_FALSE((ExitStatus{ExitReason::Exited, 1, 0}).succeeded());
  EXPECT_FALSE((ExitStatus{ExitReason::Stopped, 0, 0}).succeeded());
}

}  // namespace
}  // namespace stork::proc
