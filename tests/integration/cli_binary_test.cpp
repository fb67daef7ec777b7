// The real `stork` executable as a user runs it: exit codes, stdout vs stderr, a whole session
// of commands on a fresh git repository.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_io.hpp"
#include "base/subprocess.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

CommandOutput stork_in(const std::filesystem::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), STORK_BINARY);
  auto result = run_command(Command{args, cwd, {}, {}, {}});
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? *result : CommandOutput{};
}

TEST(StorkBinary, VersionAndHelpExitZero) {
  testing::TempDir dir;
  auto version = stork_in(dir.path(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("stork 0."));
  auto help = stork_in(dir.path(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("story"));
}

TEST(StorkBinary, InitOutsideGitExitsTwo) {
  testing::TempDir dir;
  auto result = stork_in(dir.path(), {"init"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("not inside a git repository"));
}

TEST(StorkBinary, AWholeSessionOnAFreshRepository) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  EXPECT_EQ(stork_in(dir.path(), {"init"}).exit_code, 0);
  EXPECT_EQ(stork_in(dir.path(), {"config", "check"}).exit_code, 0);
  auto created =
      stork_in(dir.path(), {"story", "new", "--name", "Say hello", "--criterion", "prints hello"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "1_story_say_hello\n");
  EXPECT_EQ(stork_in(dir.path(), {"story", "move", "1", "current"}).exit_code, 0);
  EXPECT_EQ(stork_in(dir.path(), {"story", "check", "1", "0"}).exit_code, 0);
  auto shown = stork_in(dir.path(), {"story", "show", "1"});
  EXPECT_THAT(shown.out, HasSubstr("[x] prints hello"));
  auto illegal = stork_in(dir.path(), {"story", "move", "1", "archived"});
  EXPECT_EQ(illegal.exit_code, 1);
  EXPECT_EQ(illegal.out, "");
  // The move out of the backlog was committed (issue 15 item 7), the illegal one not.
  EXPECT_EQ(testing::git(dir.path(), {"log", "-1", "--format=%s"}),
            "storkit: start 1_story_say_hello\n");
  // No deletion of the item's backlog file left behind (the rest of .storkit/ is uncommitted).
  const auto status = testing::git(dir.path(), {"status", "--porcelain"});
  EXPECT_EQ(status.find("1_story_say_hello"), std::string::npos) << status;
}

// `stork init --wizard` in a terminal with no server running: the wizard in-process, from
// templates. A first session edits the context in $EDITOR, confirms it, skips the stack, sees
// the gate draft run (under the bwrap sandbox `stork init` asks for) and quits; a second one
// resumes at the gate and skips the rest; the setup commit holds the edited context.
TEST(StorkBinary, InitWizardInATerminalEditsConfirmsQuitsAndResumes) {
  testing::TempDir dir;
  const auto repo = dir / "repo";
  testing::init_repo(repo);
  const auto editor = dir / "editor.sh";
  ASSERT_TRUE(write_file_atomic(editor, "#!/bin/sh\necho 'Edited in the editor.' >> \"$1\"\n"));
  std::filesystem::permissions(editor, std::filesystem::perms::owner_all);
  auto wizard = [&](std::string answers) {
    auto result = run_command(Command{{STORK_BINARY, "init", "--wizard"},
                                      repo,
                                      {{"EDITOR", editor.string()}},
                                      {},
                                      std::move(answers)});
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : CommandOutput{};
  };
  const auto first = wizard("e\nc\ns\nq\n");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("through"));
  EXPECT_THAT(first.out, HasSubstr("Edited in the editor."));
  EXPECT_THAT(first.out, HasSubstr("-- the gate ran: "));
  EXPECT_THAT(first.out, ::testing::Not(HasSubstr("linked worktree")));
  EXPECT_THAT(first.out, HasSubstr("left the wizard"));
  const auto context = read_file(repo / ".storkit/specs/00_CONTEXT.md");
  ASSERT_TRUE(context.ok());
  EXPECT_THAT(*context, HasSubstr("Edited in the editor."));
  EXPECT_NE(testing::git(repo, {"log", "-1", "--format=%s"}), "storkit: setup\n");

  const auto second = wizard("s\ns\ns\n");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr("already initialised"));
  EXPECT_THAT(second.out, HasSubstr("the wizard is finished; committed"));
  EXPECT_EQ(testing::git(repo, {"log", "-1", "--format=%s"}), "storkit: setup\n");
  EXPECT_THAT(testing::git(repo, {"show", "HEAD:.storkit/specs/00_CONTEXT.md"}),
              HasSubstr("Edited in the editor."));
}

TEST(StorkBinary, OutputToAClosedPipeDoesNotCrash) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  ASSERT_EQ(stork_in(dir.path(), {"init"}).exit_code, 0);
  auto result = run_command(
      Command{{"sh", "-c", std::string("'") + STORK_BINARY + "' --help | head -c 1 >/dev/null"},
              dir.path(),
              {},
              {},
              {}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->err, "");
}

}  // namespace
}  // namespace stork
