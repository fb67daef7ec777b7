#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
using testing::stork;

// Every test runs on a copy of the hand-made storkit project (tests/fixtures/storkit_project).
class StoryCommands : public ::testing::Test {
 protected:
  void SetUp() override { testing::make_storkit_fixture_repo(dir.path()); }
  testing::CliRun run(const std::vector<std::string>& args) { return stork(dir.path(), args); }
  std::filesystem::path work(const std::string& relative) {
    return dir / (".storkit/work/" + relative);
  }
  std::string git_subject() { return testing::git(dir.path(), {"log", "-1", "--format=%s"}); }

  testing::TempDir dir;
};

TEST_F(StoryCommands, ListShowsEveryItemOldestFirst) {
  auto result = run({"story", "list"});
  ASSERT_EQ(result.code, 0) << result.err;
  const std::string ids[] = {"1_story_todo_list",  "2_spike_storage_engine",
                             "3_story_export_csv", "4_bug_due_date_timezone",
                             "5_story_dark_mode",  "6_refactor_split_store"};
  size_t last = 0;
  for (const auto& id : ids) {
    auto at = result.out.find(id);
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, last);
    last = at;
  }
  EXPECT_THAT(result.out, HasSubstr("review_hold"));
  EXPECT_THAT(result.out, HasSubstr("merge_failure"));
  EXPECT_THAT(result.out, HasSubstr("retries=1"));
}

TEST_F(StoryCommands, ListJsonFollowsTheDocumentedSchema) {
  auto result = run({"story", "list", "--json"});
  ASSERT_EQ(result.code, 0) << result.err;
  auto json = boost::json::parse(result.out);
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_TRUE(json.at("problems").as_array().empty());
  const auto& bug = items[3].as_object();
  EXPECT_EQ(bug.at("id").as_string(), "4_bug_due_date_timezone");
  EXPECT_EQ(bug.at("number").as_int64(), 4);
  EXPECT_EQ(bug.at("type").as_string(), "bug");
  EXPECT_EQ(bug.at("slug").as_string(), "due_date_timezone");
  EXPECT_EQ(bug.at("name").as_string(), "Due dates shift by one day");
  EXPECT_EQ(bug.at("stage").as_string(), "current");
  EXPECT_EQ(bug.at("path").as_string(), ".storkit/work/2_current/4_bug_due_date_timezone.md");
  EXPECT_EQ(bug.at("agent").as_string(), "coder-opus");
  EXPECT_TRUE(bug.at("qa").is_null());
  EXPECT_EQ(bug.at("retry_count").as_int64(), 1);
  EXPECT_EQ(bug.at("blocked").as_bool(), false);
  EXPECT_EQ(bug.at("criteria_total").as_int64(), 1);
  EXPECT_EQ(bug.at("criteria_checked").as_int64(), 0);
  const auto& merge = items[5].as_object();
  EXPECT_EQ(merge.at("merge_failure").as_string(),
            "CONFLICT (content): Merge conflict in src/store.rs");
  EXPECT_EQ(items[2].at("depends_on").as_array()[0].as_string(), "1_story_todo_list");
}

TEST_F(StoryCommands, ListFiltersByStageInEitherSpelling) {
  auto qa = boost::json::parse(run({"story", "list", "--stage", "qa", "--json"}).out);
  ASSERT_EQ(qa.at("items").as_array().size(), 1u);
  EXPECT_EQ(qa.at("items").as_array()[0].at("id").as_string(), "5_story_dark_mode");
  auto done = boost::json::parse(run({"story", "list", "--stage", "5_done", "--json"}).out);
  EXPECT_EQ(done.at("items").as_array().size(), 1u);
  auto bad = run({"story", "list", "--stage", "shipping"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown stage 'shipping'"));
}

TEST_F(StoryCommands, ListReportsMalformedFilesAndStillListsTheRest) {
  testing::write_text(work("1_backlog/7_story_broken.md"), "---\nname: [oops\n---\n");
  auto result = run({"story", "list", "--json"});
  EXPECT_EQ(result.code, 0);
  auto json = boost::json::parse(result.out);
  EXPECT_EQ(json.at("items").as_array().size(), 6u);
  ASSERT_EQ(json.at("problems").as_array().size(), 1u);
  EXPECT_THAT(std::string(json.at("problems").as_array()[0].at("message").as_string()),
              HasSubstr("7_story_broken.md:"));
  EXPECT_THAT(result.err, HasSubstr("invalid YAML"));
}

TEST_F(StoryCommands, ShowByNumberOrIdWithCriteria) {
  auto by_number = run({"story", "show", "5"});
  ASSERT_EQ(by_number.code, 0) << by_number.err;
  EXPECT_THAT(by_number.out, HasSubstr("5_story_dark_mode  Dark mode"));
  EXPECT_THAT(by_number.out, HasSubstr(" 0. [x] Follows the system setting"));
  EXPECT_THAT(by_number.out, HasSubstr(" 1. [ ] Toggle in settings"));
  EXPECT_THAT(by_number.out, HasSubstr("# Story 5: Dark mode"));
  EXPECT_EQ(run({"story", "show", "5_story_dark_mode"}).out, by_number.out);
}

TEST_F(StoryCommands, ShowJsonHasCriteriaBodyAndKeys) {
  auto json = boost::json::parse(run({"story", "show", "5", "--json"}).out);
  EXPECT_EQ(json.at("criteria").as_array()[1].at("text").as_string(), "Toggle in settings");
  EXPECT_EQ(json.at("criteria").as_array()[0].at("checked").as_bool(), true);
  EXPECT_EQ(json.at("front_matter_keys").as_array().size(), 3u);
  EXPECT_THAT(std::string(json.at("body").as_string()), HasSubstr("# Story 5: Dark mode"));
  EXPECT_EQ(json.at("qa").as_string(), "human");
}

TEST_F(StoryCommands, UnknownAndUnsafeIdsAreClearErrors) {
  auto unknown = run({"story", "show", "99"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no work item '99'"));
  auto traversal = run({"story", "show", "1_story_../../../etc/passwd"});
  EXPECT_EQ(traversal.code, 2);
  EXPECT_THAT(traversal.err, HasSubstr("contains '..'"));
  EXPECT_EQ(run({"story", "move", "../x", "done"}).code, 2);
}

TEST_F(StoryCommands, NewCreatesCommitsAndPrintsTheId) {
  auto result = run({"story", "new", "--name", "Share a list", "--criterion", "Link works",
                     "--criterion", "Link expires", "--depends-on", "3", "--agent", "coder-opus"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "7_story_share_a_list\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(git_subject(), "storkit: create 7_story_share_a_list\n");
  auto json = boost::json::parse(run({"story", "show", "7", "--json"}).out);
  EXPECT_EQ(json.at("depends_on").as_array()[0].as_string(), "3_story_export_csv");
  EXPECT_EQ(json.at("criteria").as_array().size(), 2u);
  EXPECT_EQ(json.at("agent").as_string(), "coder-opus");
  EXPECT_EQ(json.at("stage").as_string(), "backlog");
}

TEST_F(StoryCommands, NewOfEachType) {
  EXPECT_EQ(run({"story", "new", "--name", "Crash on save", "--type", "bug"}).out,
            "7_bug_crash_on_save\n");
  EXPECT_EQ(run({"story", "new", "--name", "Try WASM", "--type", "spike"}).out,
            "8_spike_try_wasm\n");
  EXPECT_EQ(run({"story", "new", "--name", "Tidy", "--type", "refactor"}).out, "9_refactor_tidy\n");
  auto bad = run({"story", "new", "--name", "x", "--type", "epic"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown type 'epic'"));
}

TEST_F(StoryCommands, NewRejectsUnknownDependencyAgentAndQa) {
  auto dep = run({"story", "new", "--name", "x", "--depends-on", "42"});
  EXPECT_EQ(dep.code, 1);
  EXPECT_THAT(dep.err, HasSubstr("depends_on: no work item '42'"));
  auto agent = run({"story", "new", "--name", "x", "--agent", "ghost"});
  EXPECT_EQ(agent.code, 1);
  // Issue 15: the refusal lists the roster, as the start path does.
  EXPECT_THAT(agent.err,
              HasSubstr("--agent: no agent named 'ghost' in .storkit/project.toml "
                        "(configured: coder-1, coder-opus, qa, mergemaster, supervisor)"));
  EXPECT_EQ(run({"story", "new", "--name", "x", "--qa", "robot"}).code, 2);
  EXPECT_EQ(run({"story", "new"}).code, 2);  // --name is required
  EXPECT_EQ(run({"story", "list", "--json"}).out.find("\"number\":7"),
            std::string::npos);  // nothing created
}

// Issue 15: the item must not become the first commit of a repository, alone.
TEST_F(StoryCommands, NewInARepositoryWithNoCommitYetIsRefusedAndWritesNothing) {
  std::filesystem::remove_all(dir / ".git");
  testing::git(dir.path(), {"init", "-q", "-b", "main"});
  auto result = run({"story", "new", "--name", "First thing"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("the repository has no commit yet: commit your project "
                                    "first; `stork doctor` lists what is missing"));
  EXPECT_EQ(result.out, "");
  EXPECT_FALSE(std::filesystem::exists(work("1_backlog/7_story_first_thing.md")));
  EXPECT_EQ(testing::git(dir.path(), {"rev-list", "--all"}), "");
}

TEST_F(StoryCommands, MoveFollowsTheLegalMovesAndCommitsDone) {
  auto to_current = run({"story", "move", "3", "current"});
  ASSERT_EQ(to_current.code, 0) << to_current.err;
  EXPECT_EQ(to_current.out, "3_story_export_csv: backlog -> current\n");
  EXPECT_TRUE(std::filesystem::exists(work("2_current/3_story_export_csv.md")));

  auto illegal = run({"story", "move", "1", "current"});
  EXPECT_EQ(illegal.code, 1);
  EXPECT_THAT(illegal.err, HasSubstr("done"));
  EXPECT_TRUE(std::filesystem::exists(work("5_done/1_story_todo_list.md")));

  auto same = run({"story", "move", "5", "qa"});
  EXPECT_EQ(same.code, 0);
  EXPECT_THAT(same.out, HasSubstr("already in qa"));

  ASSERT_EQ(run({"story", "move", "6", "done"}).code, 0);
  EXPECT_EQ(git_subject(), "storkit: done 6_refactor_split_store\n");
  ASSERT_EQ(run({"story", "move", "6", "archived"}).code, 0);
  EXPECT_EQ(git_subject(), "storkit: archive 6_refactor_split_store\n");
}

TEST_F(StoryCommands, MoveRefusesToSendASpikeToMergeLikeTheServer) {
  auto created = run({"story", "new", "--name", "Try WASM", "--type", "spike"});
  ASSERT_EQ(created.code, 0) << created.err;
  const std::string id = created.out.substr(0, created.out.find('\n'));
  ASSERT_EQ(run({"story", "move", id, "current"}).code, 0);
  auto refused = run({"story", "move", id, "merge"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("spikes never merge"));
  EXPECT_TRUE(std::filesystem::exists(work("2_current/" + id + ".md")));
}

TEST_F(StoryCommands, BlockAndUnblockEditOnlyTheirFields) {
  const auto path = work("2_current/4_bug_due_date_timezone.md");
  const std::string original = testing::read_text(path);
  auto blocked = run({"story", "block", "4", "--reason", "needs a product decision"});
  ASSERT_EQ(blocked.code, 0) << blocked.err;
  std::string text = testing::read_text(path);
  EXPECT_THAT(text, HasSubstr("blocked: true\nblocked_reason: needs a product decision\n---\n"));
  EXPECT_THAT(run({"story", "list"}).out, HasSubstr("blocked,retries=1"));

  ASSERT_EQ(run({"story", "unblock", "4"}).code, 0);
  text = testing::read_text(path);
  EXPECT_EQ(text.find("blocked"), std::string::npos);
  EXPECT_EQ(text.find("retry_count"), std::string::npos);  // a fresh start for retries
  EXPECT_THAT(text, HasSubstr("name: Due dates shift by one day\nagent: coder-opus\n---\n"));
  EXPECT_EQ(text.substr(text.find("---\n# Bug")), original.substr(original.find("---\n# Bug")));
}

TEST_F(StoryCommands, UnblockClearsMergeFailure) {
  ASSERT_EQ(run({"story", "unblock", "6"}).code, 0);
  EXPECT_EQ(testing::read_text(work("4_merge/6_refactor_split_store.md")),
            "---\nname: Split the store module\n---\n# Refactor 6: Split the store module\n");
}

TEST_F(StoryCommands, CheckTicksOneCriterion) {
  const auto path = work("1_backlog/3_story_export_csv.md");
  std::string expected = testing::read_text(path);
  expected.replace(expected.find("- [ ] Columns"), 5, "- [x]");
  auto result = run({"story", "check", "3", "1"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "3_story_export_csv: checked criterion 1\n");
  EXPECT_EQ(testing::read_text(path), expected);
  ASSERT_EQ(run({"story", "check", "3", "1", "--uncheck"}).code, 0);
  EXPECT_THAT(testing::read_text(path), HasSubstr("- [ ] Columns"));
}

TEST_F(StoryCommands, CheckOutOfRangeFailsAndLeavesTheFile) {
  const auto path = work("1_backlog/3_story_export_csv.md");
  const std::string before = testing::read_text(path);
  auto result = run({"story", "check", "3", "5"});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, HasSubstr("has no criterion 5 (it has 2, numbered from 0)"));
  EXPECT_EQ(testing::read_text(path), before);
  EXPECT_EQ(run({"story", "check", "3", "-1"}).code, 2);
}

TEST_F(StoryCommands, WorksFromASubdirectory) {
  std::filesystem::create_directories(dir / "src/nested");
  auto result = stork(dir / "src/nested", {"story", "show", "1"});
  EXPECT_EQ(result.code, 0) << result.err;
}

TEST(Cli, VersionAndHelp) {
  testing::TempDir dir;
  auto version = stork(dir.path(), {"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_THAT(version.out, ::testing::MatchesRegex("stork [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  auto help = stork(dir.path(), {"--help"});
  EXPECT_EQ(help.code, 0);
  for (auto word : {"init", "config", "story", "--project", "--version"})
    EXPECT_THAT(help.out, HasSubstr(word));
  auto story_help = stork(dir.path(), {"story", "--help"});
  for (auto word : {"new", "list", "show", "move", "block", "unblock", "check"})
    EXPECT_THAT(story_help.out, HasSubstr(word));
}

TEST(Cli, UnknownCommandIsAUsageError) {
  testing::TempDir dir;
  auto result = stork(dir.path(), {"frobnicate"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("stork --help"));
  EXPECT_EQ(stork(dir.path(), {}).code, 2);
}

}  // namespace
}  // namespace stork
