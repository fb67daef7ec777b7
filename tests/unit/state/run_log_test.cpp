#include "state/run_log.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

using ::testing::HasSubstr;

TEST(RunLog, CreatesNestedDirectoriesAndAppends) {
  testing::TempDir project;
  auto log = RunLog::open(project.path(), "42_story_login", "coder-1", "sess-1");
  ASSERT_TRUE(log.ok()) << log.error().message;
  auto expected = project / ".storkit/logs/42_story_login/coder-1-sess-1.log";
  EXPECT_EQ(log->path(), expected);
  std::vector<std::string> first{"line one", "line two"};
  ASSERT_TRUE(log->append_lines(first).ok());
  std::vector<std::string> second{"line three"};
  ASSERT_TRUE(log->append_lines(second).ok());
  ASSERT_TRUE(log->flush().ok());
  EXPECT_EQ(testing::read_text(expected), "line one\nline two\nline three\n");
}

TEST(RunLog, ReopeningAppendsInsteadOfTruncating) {
  testing::TempDir project;
  std::vector<std::string> line{"before"};
  {
    auto log = RunLog::open(project.path(), "1_story_a", "qa", "s");
    ASSERT_TRUE(log->append_lines(line).ok());
  }
  auto log = RunLog::open(project.path(), "1_story_a", "qa", "s");
  line[0] = "after";
  ASSERT_TRUE(log->append_lines(line).ok());
  EXPECT_EQ(testing::read_text(log->path()), "before\nafter\n");
}

TEST(RunLog, RenameToSessionMovesTheFileAndKeepsAppending) {
  testing::TempDir project;
  auto log = RunLog::open(project.path(), "1_story_a", "coder-1", "run-17");
  ASSERT_TRUE(log.ok());
  auto provisional = log->path();
  std::vector<std::string> line{"early"};
  ASSERT_TRUE(log->append_lines(line).ok());
  auto renamed = log->rename_to_session("sess-xyz");
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_FALSE(std::filesystem::exists(provisional));
  EXPECT_EQ(log->path(), project / ".storkit/logs/1_story_a/coder-1-sess-xyz.log");
  line[0] = "late";
  ASSERT_TRUE(log->append_lines(line).ok());
  EXPECT_EQ(testing::read_text(log->path()), "early\nlate\n");
}

TEST(RunLog, RenameNeverReplacesAnotherLog) {
  testing::TempDir project;
  testing::write_text(project / ".storkit/logs/1_story_a/coder-1-taken.log", "other run\n");
  auto log = RunLog::open(project.path(), "1_story_a", "coder-1", "run-1");
  auto renamed = log->rename_to_session("taken");
  ASSERT_FALSE(renamed.ok());
  EXPECT_THAT(renamed.error().message, HasSubstr("already exists"));
  EXPECT_EQ(testing::read_text(project / ".storkit/logs/1_story_a/coder-1-taken.log"),
            "other run\n");
  EXPECT_EQ(log->path(), project / ".storkit/logs/1_story_a/coder-1-run-1.log");
}

TEST(RunLog, RejectsNamesThatAreNotOnePathComponent) {
  testing::TempDir project;
  struct Case {
    std::string story, agent, session, fragment;
  };
  for (const auto& c : std::vector<Case>{
           {"../x", "coder-1", "s", "story name \"../x\""},
           {"a/b", "coder-1", "s", "contains '/'"},
           {"..", "coder-1", "s", "contains \"..\""},
           {"", "coder-1", "s", "is empty"},
           {"1_story_a", "../../etc", "s", "agent name"},
           {"1_story_a", std::string("co\0der", 6), "s", "NUL"},
           {"1_story_a", "coder-1", "../s", "session name"},
           {".", "coder-1", "s", "is \".\""},
       }) {
    auto log = RunLog::open(project.path(), c.story, c.agent, c.session);
    ASSERT_FALSE(log.ok()) << c.story << " " << c.agent << " " << c.session;
    EXPECT_THAT(log.error().message, HasSubstr(c.fragment));
  }
  EXPECT_FALSE(std::filesystem::exists(project / ".storkit/logs"));
  EXPECT_FALSE(std::filesystem::exists(project / "x"));

  auto log = RunLog::open(project.path(), "1_story_a", "coder-1", "run-1");
  auto renamed = log->rename_to_session("../escape");
  ASSERT_FALSE(renamed.ok());
  EXPECT_THAT(renamed.error().message, HasSubstr("session name"));
}

}  // namespace
}  // namespace stork::state
