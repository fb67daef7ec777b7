// Reading process trees from /proc for `htop`: the stat line's fields, and a tree summed over
// children and the process group, on this test's own real child processes.
#include "proc/process_tree.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stork::proc {
namespace {

TEST(ProcessTree, ParsesStatWithSpacesAndParensInName) {
  const std::string line =
      "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 9999 "
      "1000000 300 18446744073709551615";
  auto sample = parse_stat(line, 100, 4096);
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->pid, 4242);
  EXPECT_EQ(sample->ppid, 1);
  EXPECT_EQ(sample->pgid, 4242);
  EXPECT_DOUBLE_EQ(sample->cpu_seconds, 3.0);
  EXPECT_EQ(sample->rss_bytes, 300 * 4096);
  EXPECT_FALSE(parse_stat("garbage", 100, 4096));
}

TEST(ProcessTree, SumsChildrenAndGroupOnce) {
  std::vector<ProcessSample> processes{{10, 1, 10, 1.0, 100},
                                       {11, 10, 10, 2.0, 200},
                                       {12, 11, 10, 4.0, 400},
                                       {13, 1, 10, 8.0, 800},  // reparented, same group
                                       {14, 1, 14, 16.0, 1600}};
  auto load = tree_load(processes, 10);
  EXPECT_EQ(load.processes, 4);
  EXPECT_DOUBLE_EQ(load.cpu_seconds, 15.0);
  EXPECT_EQ(load.rss_bytes, 1500);
}

TEST(ProcessTree, FindsThisProcessesRealChild) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  ASSERT_GT(child, 0);
  auto load = tree_load(read_processes(), ::getpid());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_GE(load.processes, 2);  // this test process and its child
  EXPECT_GT(load.rss_bytes, 0);
}

}  // namespace
}  // namespace stork::proc
