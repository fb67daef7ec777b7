// Crash safety of the pipeline: `stork run --pipeline` is SIGKILLed at each step of a merge
// (and during a coder's gate), through the test-only STORK_TEST_KILL_AT kill points, and a
// second `stork run --pipeline` must end in a consistent state: the squash commit on main
// exactly once, the item in 5_done, the merge workspace clean, no journal job left open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "base/subprocess.hpp"
#include "state/journal.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kCoder = R"(set -e
echo "work of $STORK_STORY_ID" > "$STORK_STORY_ID.txt"
git add -A .
git commit -qm "work on $STORK_STORY_ID"
)";

void make_project(const std::filesystem::path& root) {
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\necho gate ok\n");
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\nruntime = \"command\"\n"
                      "command = \"/bin/sh\"\nargs = [\"-c\", '''" +
                          std::string(kCoder) + "''']\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project"});
  testing::write_text(root / ".storkit/work/2_current/1_story_feature.md",
                      "---\nname: Feature\n---\n\n# Story 1: Feature\n");
}

CommandOutput run_stork(const std::filesystem::path& root, const std::string& kill_at) {
  Command command;
  command.argv = {STORK_BINARY, "run", "--pipeline"};
  command.cwd = root;
  if (!kill_at.empty()) command.set_env.emplace_back("STORK_TEST_KILL_AT", kill_at);
  command.merge_stderr = true;
  auto output = run_command(command);
  EXPECT_TRUE(output.ok());
  return output.ok() ? output.value() : CommandOutput{};
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

class MergeFault : public ::testing::TestWithParam<const char*> {};

TEST_P(MergeFault, RestartAfterSigkillEndsConsistent) {
  testing::TempDir dir;
  const auto root = dir.path();
  make_project(root);

  auto crashed = run_stork(root, GetParam());
  ASSERT_EQ(crashed.term_signal, SIGKILL) << "exit " << crashed.exit_code << "\n" << crashed.out;

  auto restarted = run_stork(root, "");
  ASSERT_TRUE(restarted.succeeded()) << restarted.out;

  // The item is done, its code is on main exactly once, and main's tree has it.
  EXPECT_TRUE(std::filesystem::exists(root / ".storkit/work/5_done/1_story_feature.md"))
      << restarted.out;
  auto log = testing::git(root, {"log", "--format=%s", "main"});
  EXPECT_EQ(count(log, "storkit: merge 1_story_feature"), 1) << log;
  EXPECT_EQ(testing::git(root, {"show", "main:1_story_feature.txt"}), "work of 1_story_feature\n");
  // Nothing left over: no open job, no queue branch, a clean merge workspace.
  auto journal = state::Journal::open(root);
  ASSERT_TRUE(journal.ok());
  auto open = journal.value()->open_jobs();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open.value().empty()) << open.value().front().step;
  EXPECT_EQ(testing::git(root, {"branch", "--list", "merge-queue/*"}), "");
  if (std::filesystem::exists(root / ".storkit/merge_workspace")) {
    EXPECT_EQ(testing::git(root / ".storkit/merge_workspace", {"status", "--porcelain"}), "");
  }
}

INSTANTIATE_TEST_SUITE_P(EveryStep, MergeFault,
                         ::testing::Values("completion:gate", "merge:before_squash",
                                           "merge:after_squash", "merge:gate",
                                           "merge:before_advance", "merge:after_advance",
                                           "merge:after_move"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                           std::string name = param.param;
                           for (auto& c : name)
                             if (c == ':') c = '_';
                           return name;
                         });

TEST(MergeFault, WithoutAKillPointOneRunMergesEverything) {
  testing::TempDir dir;
  make_project(dir.path());
  auto output = run_stork(dir.path(), "");
  ASSERT_TRUE(output.succeeded()) << output.out;
  EXPECT_THAT(output.out, HasSubstr("merged"));
  EXPECT_TRUE(std::filesystem::exists(dir / ".storkit/work/5_done/1_story_feature.md"));
}

}  // namespace
}  // namespace stork
