// `kill -9` of a stork process that runs two agents: no agent process (nor anything they
// started, even in another session) survives it, and the next `stork run` marks both runs
// interrupted and resumes their sessions.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/subprocess.hpp"
#include "state/run_store.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/process_probe.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace stork {
namespace {

using testing::eventually;

using ::testing::HasSubstr;
using namespace std::chrono_literals;

bool gone(pid_t pid) {
  return testing::process_gone(pid);
}

std::vector<pid_t> read_pids(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<pid_t> pids;
  for (pid_t pid; in >> pid;)
    pids.push_back(pid);
  return pids;
}

TEST(AgentCrash, KillNineLeavesNoAgentProcessAndRestartResumesBothRuns) {
  testing::TempDir dir;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_text(root / ".gitignore",
                      ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n");
  testing::git(root, {"add", ".gitignore"});
  testing::git(root, {"commit", "-qm", "ignore"});
  const auto pids_dir = root / "pids";
  std::filesystem::create_directories(pids_dir);
  // First run: report a session, start a background child and one in its own session, record
  // every pid, wait. A resumed run says which session it resumes and ends.
  const std::string script =
      "if [ -n \"$STORK_RESUME_SESSION\" ]; then echo \"resumed $STORK_RESUME_SESSION\"; exit 0; "
      "fi\n"
      "echo '{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s-'$STORK_AGENT'\"}'\n"
      "sleep 300 & bg=$!\n"
      "setsid sleep 300 & sid=$!\n"
      "echo \"$$ $bg $sid\" > " +
      (pids_dir / "tmp-").string() +
      "$STORK_AGENT\n"
      "mv " +
      (pids_dir / "tmp-").string() + "$STORK_AGENT " + (pids_dir / "").string() +
      "$STORK_AGENT\n"
      "wait\n";
  std::string toml;
  for (const char* name : {"coder-1", "coder-2"}) {
    toml += std::string("[[agent]]\nname = \"") + name +
            "\"\nruntime = \"command\"\ncommand = \"/bin/sh\"\nargs = [\"-c\", '''" + script +
            "''']\n";
  }
  testing::write_text(root / ".storkit/project.toml", toml);
  testing::write_text(root / ".storkit/work/2_current/1_story_a.md", "---\nname: A\n---\n");
  testing::write_text(root / ".storkit/work/2_current/2_story_b.md", "---\nname: B\n---\n");

  // The first stork, in the background.
  const std::string out_file = (root / "first.out").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args{STORK_BINARY, "--project", root.string(),
                                "run",        "1_story_a", "2_story_b"};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t stork = 0;
  ASSERT_EQ(posix_spawn(&stork, STORK_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  ASSERT_TRUE(eventually(
      [&] {
        return std::filesystem::exists(pids_dir / "coder-1") &&
               std::filesystem::exists(pids_dir / "coder-2");
      },
      30s))
      << testing::read_text(out_file);
  std::vector<pid_t> agent_pids = read_pids(pids_dir / "coder-1");
  for (pid_t pid : read_pids(pids_dir / "coder-2"))
    agent_pids.push_back(pid);
  ASSERT_EQ(agent_pids.size(), 6u);
  for (pid_t pid : agent_pids)
    ASSERT_FALSE(gone(pid)) << pid;

  ASSERT_EQ(::kill(stork, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(stork, &status, 0), stork);
  ASSERT_TRUE(WIFSIGNALED(status));
  for (pid_t pid : agent_pids) {
    EXPECT_TRUE(eventually([&] { return gone(pid); }, 3s)) << "process " << pid << " survived";
  }

  // The second stork resumes both runs and they end.
  auto second =
      run_command(Command{{STORK_BINARY, "--project", root.string(), "run"}, root, {}, {}, {}});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->exit_code, 0) << second->out << second->err;
  EXPECT_THAT(second->out, HasSubstr("resuming coder-1 on 1_story_a"));
  EXPECT_THAT(second->out, HasSubstr("resuming coder-2 on 2_story_b"));
  EXPECT_THAT(second->out, HasSubstr("resumed s-coder-1"));
  EXPECT_THAT(second->out, HasSubstr("resumed s-coder-2"));

  auto store = state::StateStore::open(root);
  ASSERT_TRUE(store.ok());
  auto runs = store.value()->runs();
  ASSERT_TRUE(runs.ok());
  int interrupted = 0, completed = 0;
  for (const auto& run : runs.value()) {
    interrupted += run.state == state::RunState::Interrupted;
    completed += run.state == state::RunState::Completed;
  }
  EXPECT_EQ(interrupted, 2);
  EXPECT_EQ(completed, 2);
}

}  // namespace
}  // namespace stork
