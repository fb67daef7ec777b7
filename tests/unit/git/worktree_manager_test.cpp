#include "git/worktree_manager.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_call_log.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr const char* kMcpUrl = "http://127.0.0.1:3000/mcp";

StoryId story(const std::string& text) {
  return parse_story_id(text).value();
}

size_t line_count(const fs::path& path) {
  if (!fs::exists(path)) return 0;
  auto text = testing::read_text(path);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

class WorktreeManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::init_repo(root_); }

  WorktreeManager manager(std::vector<ComponentConfig> components = {},
                          std::string base = "main") const {
    return WorktreeManager(
        WorktreeSettings{root_, std::move(base), kMcpUrl, "", std::move(components)});
  }

  // A component whose setup appends a line to a file outside the project, to count runs.
  ComponentConfig counting_component() const {
    return ComponentConfig{"counter", ".", {"echo run >> '" + counter_.string() + "'"}, {}};
  }

  std::string git(const fs::path& dir, const std::vector<std::string>& args) const {
    return testing::git(dir, args);
  }

  std::string main_head() const { return git(root_, {"rev-parse", "HEAD"}).substr(0, 40); }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "project";
  fs::path counter_ = dir_ / "setup-runs.txt";
};

TEST_F(WorktreeManagerTest, Create_OnFreshRepoBranchesFromBaseWritesMcpJsonAndStaysClean) {
  auto id = story("1_story_login");
  auto created = manager().create(id);
  ASSERT_TRUE(created.ok()) << created.error().message;

  const auto path = root_ / ".storkit/worktrees/1_story_login";
  EXPECT_EQ(created->info.path, path);
  EXPECT_EQ(manager().worktree_path(id), path);
  EXPECT_EQ(created->info.branch, "feature/story-1_story_login");
  EXPECT_EQ(created->info.head, main_head());
  EXPECT_FALSE(created->reused);
  EXPECT_EQ(git(path, {"symbolic-ref", "--short", "HEAD"}), "feature/story-1_story_login\n");
  EXPECT_EQ(testing::read_text(path / ".mcp.json"),
            R"({"mcpServers":{"storkit":{"type":"http","url":"http://127.0.0.1:3000/mcp",)"
            R"("headers":{"X-Stork-Agent":"${STORK_AGENT:-}",)"
            R"("X-Stork-Story":"${STORK_STORY_ID:-}"}}}})"
            "\n");
  EXPECT_EQ(git(path, {"status", "--porcelain", "--ignored=no"}), "");
}

TEST_F(WorktreeManagerTest, Create_McpJsonTheProjectIgnoresAlreadyAddsNoExcludeLine) {
  testing::write_text(root_ / ".gitignore", ".mcp.json\n");
  git(root_, {"add", ".gitignore"});
  git(root_, {"commit", "-q", "-m", "ignore"});
  const auto exclude = root_ / ".git" / "info" / "exclude";
  const auto lines_before = line_count(exclude);

  auto created = manager().create(story("3_story_ignored"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(fs::exists(created->info.path / ".mcp.json"));
  EXPECT_EQ(line_count(exclude), lines_before);
  EXPECT_EQ(git(created->info.path, {"status", "--porcelain", "--ignored=no"}), "");
}

TEST_F(WorktreeManagerTest, Create_UntrackedMcpJsonIsExcludedOnceForAllWorktrees) {
  const auto exclude = root_ / ".git" / "info" / "exclude";
  const auto lines_before = line_count(exclude);
  ASSERT_TRUE(manager().create(story("4_story_one")).ok());
  const auto lines_after_first = line_count(exclude);
  EXPECT_GT(lines_after_first, lines_before);
  ASSERT_TRUE(manager().create(story("5_story_two")).ok());
  EXPECT_EQ(line_count(exclude), lines_after_first);
  EXPECT_EQ(git(root_ / ".storkit/worktrees/5_story_two", {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_ReusedWorktreeFollowsTheServersUrlAndToken) {
  auto id = story("1_story_login");
  ASSERT_TRUE(manager().create(id).ok());
  // The server restarted on another port with a token: the reused worktree is told.
  WorktreeManager moved(WorktreeSettings{root_, "main", "http://127.0.0.1:4111/mcp", "s3cret", {}});
  auto reused = moved.create(id);
  ASSERT_TRUE(reused.ok()) << reused.error().message;
  EXPECT_TRUE(reused.value().reused);
  const auto path = reused.value().info.path;
  EXPECT_EQ(
      testing::read_text(path / ".mcp.json"),
      "{\"mcpServers\":{\"storkit\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:4111/"
      "mcp\",\"headers\":{\"Authorization\":\"Bearer s3cret\","
      "\"X-Stork-Agent\":\"${STORK_AGENT:-}\",\"X-Stork-Story\":\"${STORK_STORY_ID:-}\"}}}}\n");
  EXPECT_EQ(git(path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_TrackedMcpJsonWithOtherContentIsHiddenFromStatus) {
  testing::write_text(root_ / ".mcp.json",
                      R"({"mcpServers":{"docs":{"type":"http","url":"http://docs/mcp"}}})");
  git(root_, {"add", ".mcp.json"});
  git(root_, {"commit", "-q", "-m", "mcp"});

  auto created = manager().create(story("2_story_mcp"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto path = created->info.path;
  auto content = testing::read_text(path / ".mcp.json");
  EXPECT_THAT(content, HasSubstr(R"("storkit":{"type":"http","url":"http://127.0.0.1:3000/mcp",)"));
  EXPECT_THAT(content, HasSubstr(R"("docs":)"));  // the project's own servers are kept
  EXPECT_EQ(git(path, {"ls-files", "-v", ".mcp.json"}), "S .mcp.json\n");
  EXPECT_EQ(git(path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_TrackedMcpJsonThatAlreadySaysTheSameIsLeftAsCommitted) {
  const std::string committed =
      "{\n  \"mcpServers\": {\"storkit\": {\"url\": \"http://127.0.0.1:3000/mcp\", "
      "\"type\": \"http\", \"headers\": {\"X-Stork-Story\": \"${STORK_STORY_ID:-}\", "
      "\"X-Stork-Agent\": \"${STORK_AGENT:-}\"}}}\n}\n";
  testing::write_text(root_ / ".mcp.json", committed);
  git(root_, {"add", ".mcp.json"});
  git(root_, {"commit", "-q", "-m", "mcp"});

  auto created = manager().create(story("3_story_same"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(testing::read_text(created->info.path / ".mcp.json"), committed);
  EXPECT_EQ(git(created->info.path, {"ls-files", "-v", ".mcp.json"}), "H .mcp.json\n");
  EXPECT_EQ(git(created->info.path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_SecondCallReusesTheWorktreeWithoutRerunningSetup) {
  auto stork = manager({counting_component()});
  auto first = stork.create(story("4_story_twice"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(line_count(counter_), 1u);

  auto second = stork.create(story("4_story_twice"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->reused);
  EXPECT_EQ(second->info.path, first->info.path);
  EXPECT_EQ(second->info.head, first->info.head);
  EXPECT_THAT(second->setup_steps, IsEmpty());
  EXPECT_EQ(line_count(counter_), 1u);
  EXPECT_EQ(git(first->info.path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_ExistingBranchIsCheckedOutAsItIsNotResetToBase) {
  git(root_, {"checkout", "-q", "-b", "feature/story-5_story_resume"});
  testing::write_text(root_ / "progress.txt", "half done\n");
  git(root_, {"add", "progress.txt"});
  git(root_, {"commit", "-q", "-m", "earlier work"});
  auto earlier = main_head();
  git(root_, {"checkout", "-q", "main"});

  auto created = manager().create(story("5_story_resume"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_FALSE(created->reused);
  EXPECT_EQ(created->info.head, earlier);
  EXPECT_EQ(testing::read_text(created->info.path / "progress.txt"), "half done\n");
}

TEST_F(WorktreeManagerTest, Create_AfterTheDirectoryWasDeletedByHandPrunesAndKeepsTheBranch) {
  auto stork = manager({counting_component()});
  auto first = stork.create(story("6_story_deleted"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto path = first->info.path;
  testing::write_text(path / "work.txt", "agent work\n");
  git(path, {"add", "work.txt"});
  git(path, {"commit", "-q", "-m", "agent commit"});
  auto agent_commit = git(path, {"rev-parse", "HEAD"}).substr(0, 40);
  fs::remove_all(path);

  auto again = stork.create(story("6_story_deleted"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->reused);
  EXPECT_EQ(again->info.head, agent_commit);
  EXPECT_EQ(line_count(counter_), 2u);  // a fresh checkout gets its setup again
  EXPECT_EQ(git(path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_CopiesIgnoredFilesMatchingWorktreeIncludeKeepingTheirMode) {
  testing::write_text(root_ / ".gitignore", ".env\nconfig/local.json\n*.log\n.storkit/\n");
  testing::write_text(root_ / ".worktreeinclude", ".env\nconfig/\nnotes.txt\n");
  testing::write_text(root_ / "config/tracked.json", "{\"committed\":true}\n");
  git(root_, {"add", ".gitignore", ".worktreeinclude", "config/tracked.json"});
  git(root_, {"commit", "-q", "-m", "ignores"});
  testing::write_text(root_ / ".env", "SECRET=1\n");
  fs::permissions(root_ / ".env", fs::perms::owner_read | fs::perms::owner_write);
  testing::write_text(root_ / "config/local.json", "{\"local\":true}\n");
  testing::write_text(root_ / "config/tracked.json", "{\"edited\":true}\n");  // tracked: no
  testing::write_text(root_ / "notes.txt", "untracked, not ignored\n");       // would dirty
  testing::write_text(root_ / "debug.log", "ignored, not listed\n");

  auto created = manager().create(story("7_story_env"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto path = created->info.path;
  EXPECT_THAT(created->copied_files, ElementsAre(".env", "config/local.json"));
  EXPECT_EQ(testing::read_text(path / ".env"), "SECRET=1\n");
  EXPECT_EQ(fs::status(path / ".env").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(testing::read_text(path / "config/local.json"), "{\"local\":true}\n");
  EXPECT_EQ(testing::read_text(path / "config/tracked.json"), "{\"committed\":true}\n");
  EXPECT_FALSE(fs::exists(path / "notes.txt"));
  EXPECT_FALSE(fs::exists(path / "debug.log"));
  EXPECT_EQ(git(path, {"status", "--porcelain"}), "");
}

TEST_F(WorktreeManagerTest, Create_SkipsAnIncludedSymlinkThatPointsOutOfTheProject) {
  testing::write_text(root_ / ".gitignore", ".env\n.storkit/\n");
  testing::write_text(root_ / ".worktreeinclude", ".env\n");
  git(root_, {"add", ".gitignore", ".worktreeinclude"});
  git(root_, {"commit", "-q", "-m", "ignores"});
  testing::write_text(dir_ / "outside-secret", "not yours\n");
  fs::create_symlink(dir_ / "outside-secret", root_ / ".env");

  auto created = manager().create(story("8_story_symlink"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_THAT(created->copied_files, IsEmpty());
  ASSERT_EQ(created->skipped_files.size(), 1u);
  EXPECT_THAT(created->skipped_files[0], HasSubstr(".env: it leads outside the project"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(created->info.path / ".env")));
}

TEST_F(WorktreeManagerTest, Create_RunsSetupInTheComponentPathWithStoryEnvAndCapturesOutput) {
  testing::write_text(root_ / "app/package.json", "{}\n");
  git(root_, {"add", "app"});
  git(root_, {"commit", "-q", "-m", "app"});
  ComponentConfig app{
      "app", "app", {"pwd -P", "echo \"$STORK_STORY_ID|$STORK_WORKTREE\"; echo oops >&2"}, {}};

  auto created = manager({app}).create(story("9_story_setup"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto path = created->info.path;
  ASSERT_EQ(created->setup_steps.size(), 2u);
  EXPECT_EQ(created->setup_steps[0].component, "app");
  EXPECT_EQ(created->setup_steps[0].command, "pwd -P");
  EXPECT_EQ(created->setup_steps[0].exit_code, 0);
  EXPECT_EQ(created->setup_steps[0].output, fs::canonical(path / "app").string() + "\n");
  EXPECT_EQ(created->setup_steps[1].output, "9_story_setup|" + path.string() + "\noops\n");
}

TEST_F(WorktreeManagerTest,
       Create_FailingSetupNamesCommandExitCodeAndOutputAndTheNextCreateRetries) {
  const auto flag = dir_ / "fixed";
  ComponentConfig web{"web",
                      ".",
                      {"echo first-step", "echo installing; test -f '" + flag.string() +
                                              "' || { echo 'no lockfile' >&2; exit 3; }"},
                      {}};
  auto stork = manager({web});
  auto failed = stork.create(story("10_story_broken"));
  ASSERT_FALSE(failed.ok());
  const auto& error = failed.error();
  EXPECT_EQ(error.story, "10_story_broken");
  EXPECT_EQ(error.step, "setup");
  ASSERT_TRUE(error.failed_step.has_value());
  EXPECT_EQ(error.failed_step->component, "web");
  EXPECT_EQ(error.failed_step->exit_code, 3);
  EXPECT_EQ(error.failed_step->output, "installing\nno lockfile\n");
  EXPECT_THAT(error.message, HasSubstr("10_story_broken"));
  EXPECT_THAT(error.message, HasSubstr("component 'web'"));
  EXPECT_THAT(error.message, HasSubstr("exited with 3"));
  EXPECT_THAT(error.message, HasSubstr("test -f"));
  EXPECT_THAT(error.message, HasSubstr("no lockfile"));
  EXPECT_TRUE(fs::is_directory(stork.worktree_path(story("10_story_broken"))));  // left to look at

  testing::write_text(flag, "");
  auto retried = stork.create(story("10_story_broken"));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_FALSE(retried->reused);
  EXPECT_EQ(retried->setup_steps.size(), 2u);
  EXPECT_TRUE(stork.create(story("10_story_broken"))->reused);
}

TEST_F(WorktreeManagerTest, Create_RefusesAComponentPathThatLeavesTheWorktree) {
  ComponentConfig escape{"escape", "../..", {"touch escaped"}, {}};
  auto created = manager({escape}).create(story("11_story_escape"));
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(created.error().message, HasSubstr("'../..' leads outside the worktree"));
  EXPECT_FALSE(fs::exists(root_ / ".storkit/escaped"));
  EXPECT_FALSE(fs::exists(root_ / "escaped"));
}

TEST_F(WorktreeManagerTest, Create_WithAnUnknownBaseBranchCarriesGitsStderr) {
  auto created = manager({}, "no-such-base").create(story("12_story_base"));
  ASSERT_FALSE(created.ok());
  const auto& error = created.error();
  EXPECT_EQ(error.step, "git worktree add");
  ASSERT_TRUE(error.git.has_value());
  EXPECT_THAT(error.git->stderr_text, HasSubstr("no-such-base"));
  EXPECT_THAT(error.message, HasSubstr("12_story_base"));
  EXPECT_THAT(error.message, HasSubstr(error.git->stderr_text.substr(0, 20)));
}

TEST_F(WorktreeManagerTest, CreateAndRemove_AskGitNothingTheyCanReadOrTryFirst) {
  auto id = story("13_story_count");
  const auto base_head = main_head();
  testing::GitCallLog log;
  auto created = manager().create(id);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->info.branch, "feature/story-13_story_count");
  EXPECT_EQ(created->info.head, base_head);
  // The branch is new: no look-up before `worktree add -b`; the admin dir comes from the
  // worktree's .git file; branch and head are read together.
  EXPECT_THAT(log.calls_with("rev-parse --verify"), IsEmpty());
  EXPECT_THAT(log.calls_with("--absolute-git-dir"), IsEmpty());
  EXPECT_THAT(log.calls_with("symbolic-ref"), IsEmpty());
  EXPECT_THAT(log.calls_with("worktree add"), ::testing::SizeIs(1));
  // Nothing was at the path: added straight away, no list read first. What git makes of
  // .mcp.json (tracked, untracked, ignored) is one `ls-files`.
  EXPECT_THAT(log.calls_with("worktree list"), IsEmpty());
  EXPECT_THAT(log.calls_with("check-ignore"), IsEmpty());
  EXPECT_THAT(log.calls_with("ls-files"), ::testing::SizeIs(1));
  // The exclude file's place and the new worktree's branch and commit come from git's files.
  EXPECT_THAT(log.calls_with("rev-parse"), IsEmpty());

  log.clear();
  ASSERT_TRUE(manager().create(id).ok());  // a restart: the worktree reads as ours from its files
  EXPECT_THAT(log.calls_with("worktree"), IsEmpty());

  log.clear();
  ASSERT_TRUE(manager().remove(id).ok());
  EXPECT_THAT(log.calls_with("branch -D"), ::testing::SizeIs(1));
  EXPECT_THAT(log.calls_with("rev-parse"), IsEmpty());
  EXPECT_THAT(log.calls_with("worktree list"), IsEmpty());
  EXPECT_THAT(log.calls_with("worktree remove"), ::testing::SizeIs(1));
  EXPECT_EQ(git(root_, {"branch", "--list", "feature/story-13_story_count"}), "");
}

TEST_F(WorktreeManagerTest, Remove_RunsTeardownThenDeletesTheDirectoryAndTheBranch) {
  const auto log = dir_ / "teardown.txt";
  ComponentConfig db{"db", ".", {}, {"echo \"down $STORK_STORY_ID\" >> '" + log.string() + "'"}};
  auto stork = manager({db});
  auto created = stork.create(story("13_story_done"));
  ASSERT_TRUE(created.ok()) << created.error().message;

  auto removed = stork.remove(story("13_story_done"));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ((*removed)[0].exit_code, 0);
  EXPECT_EQ(testing::read_text(log), "down 13_story_done\n");
  EXPECT_FALSE(fs::exists(created->info.path));
  EXPECT_EQ(git(root_, {"branch", "--list", "feature/story-13_story_done"}), "");
  EXPECT_EQ(git(root_, {"worktree", "list", "--porcelain"}).find("13_story_done"),
            std::string::npos);
}

TEST_F(WorktreeManagerTest, Remove_GoesOnWhenTeardownFailsAndReportsIt) {
  ComponentConfig db{"db", ".", {}, {"echo cannot stop; exit 7", "echo second"}};
  auto stork = manager({db});
  ASSERT_TRUE(stork.create(story("14_story_teardown")).ok());
  auto removed = stork.remove(story("14_story_teardown"));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  ASSERT_EQ(removed->size(), 2u);
  EXPECT_EQ((*removed)[0].exit_code, 7);
  EXPECT_EQ((*removed)[0].output, "cannot stop\n");
  EXPECT_EQ((*removed)[1].output, "second\n");
  EXPECT_FALSE(fs::exists(stork.worktree_path(story("14_story_teardown"))));
}

TEST_F(WorktreeManagerTest, Remove_OfSomethingAlreadyGoneSucceeds) {
  auto stork = manager();
  ASSERT_TRUE(stork.create(story("15_story_gone")).ok());
  ASSERT_TRUE(stork.remove(story("15_story_gone")).ok());
  auto again = stork.remove(story("15_story_gone"));
  EXPECT_TRUE(again.ok()) << again.error().message;
  auto never = stork.remove(story("16_story_never"));
  EXPECT_TRUE(never.ok()) << never.error().message;
}

TEST_F(WorktreeManagerTest, Remove_AfterTheDirectoryWasDeletedByHandPrunesAndDeletesTheBranch) {
  auto stork = manager();
  auto created = stork.create(story("17_story_pruned"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  fs::remove_all(created->info.path);
  auto removed = stork.remove(story("17_story_pruned"));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(git(root_, {"branch", "--list", "feature/story-17_story_pruned"}), "");
}

TEST_F(WorktreeManagerTest, List_ShowsOnlyStorkWorktrees) {
  auto stork = manager();
  ASSERT_TRUE(stork.create(story("18_story_one")).ok());
  ASSERT_TRUE(stork.create(story("19_bug_two")).ok());
  git(root_, {"worktree", "add", "-q", "-b", "mine", (dir_ / "users-own").string()});
  git(root_,
      {"worktree", "add", "-q", "-b", "odd", (root_ / ".storkit/worktrees/not-a-story").string()});

  auto listed = stork.list();
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  std::vector<std::string> names;
  for (const auto& info : *listed) {
    names.push_back(info.story.str() + " " + info.branch);
    EXPECT_EQ(info.path, stork.worktree_path(info.story));
    EXPECT_EQ(info.head, main_head());
  }
  EXPECT_THAT(names, UnorderedElementsAre("18_story_one feature/story-18_story_one",
                                          "19_bug_two feature/story-19_bug_two"));
}

}  // namespace
}  // namespace stork
