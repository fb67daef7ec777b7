#include "git/work_commits.hpp"

#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

class WorkCommitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::init_repo(dir.path());
    testing::write_text(dir / ".storkit/.gitignore",
                        "work/2_current/\nwork/3_qa/\nwork/4_merge/\n");
    testing::git(dir.path(), {"add", ".storkit/.gitignore"});
    testing::git(dir.path(), {"commit", "-q", "-m", "storkit layout"});
    repo = std::make_unique<GitRepo>(*GitRepo::open(dir.path()));
  }
  std::string last_subject() { return testing::git(dir.path(), {"log", "-1", "--format=%s"}); }
  std::string last_files() {
    return testing::git(dir.path(), {"show", "--name-status", "--format=", "HEAD"});
  }

  testing::TempDir dir;
  StageStore store{dir.path()};
  std::unique_ptr<GitRepo> repo;
};

TEST(WorkCommitMessage, UsesStorkitWording) {
  StoryId id{42, ItemType::Story, "login"};
  EXPECT_EQ(work_commit_message(WorkEvent::Create, id), "storkit: create 42_story_login");
  EXPECT_EQ(work_commit_message(WorkEvent::Start, id), "storkit: start 42_story_login");
  EXPECT_EQ(work_commit_message(WorkEvent::Done, id), "storkit: done 42_story_login");
  EXPECT_EQ(work_commit_message(WorkEvent::Archive, id), "storkit: archive 42_story_login");
  EXPECT_EQ(event_for_move(Stage::Done), WorkEvent::Done);
  EXPECT_EQ(event_for_move(Stage::Archived), WorkEvent::Archive);
  EXPECT_FALSE(event_for_move(Stage::Current));
  EXPECT_EQ(work_commit_message(WorkEvent::Backlog, id), "storkit: backlog 42_story_login");
}

// Every move that changes what git tracks has an event; moves among the untracked stages none.
TEST(WorkCommitMessage, MovesInAndOutOfTrackedStagesAreRecorded) {
  EXPECT_EQ(event_for_move(Stage::Backlog, Stage::Current), WorkEvent::Start);
  EXPECT_EQ(event_for_move(Stage::Backlog, Stage::Qa), WorkEvent::Start);
  EXPECT_EQ(event_for_move(Stage::Current, Stage::Backlog), WorkEvent::Backlog);
  EXPECT_EQ(event_for_move(Stage::Merge, Stage::Done), WorkEvent::Done);
  EXPECT_EQ(event_for_move(Stage::Done, Stage::Archived), WorkEvent::Archive);
  EXPECT_FALSE(event_for_move(Stage::Current, Stage::Qa));
  EXPECT_FALSE(event_for_move(Stage::Qa, Stage::Merge));
  EXPECT_FALSE(event_for_move(Stage::Backlog, Stage::Backlog));
}

TEST_F(WorkCommitsTest, CreationIsCommittedAlone) {
  NewItem item;
  item.name = "Login";
  auto created = store.create(item);
  ASSERT_TRUE(created.ok());
  testing::write_text(dir / "unrelated.txt", "user work in progress");
  auto commit = commit_work_event(*repo, store, created->id, WorkEvent::Create);
  ASSERT_TRUE(commit.ok()) << commit.error().message();
  EXPECT_EQ(last_subject(), "storkit: create 1_story_login\n");
  EXPECT_EQ(last_files(), "A\t.storkit/work/1_backlog/1_story_login.md\n");
  EXPECT_EQ(testing::git(dir.path(), {"status", "--porcelain"}), "?? unrelated.txt\n");
}

TEST_F(WorkCommitsTest, DoneRecordsTheBacklogDeletionAndTheDoneFile) {
  NewItem item;
  item.name = "Login";
  auto created = store.create(item);
  ASSERT_TRUE(commit_work_event(*repo, store, created->id, WorkEvent::Create).ok());
  ASSERT_TRUE(store.move("1", Stage::Current).ok());  // gitignored stage
  ASSERT_TRUE(store.move("1", Stage::Merge).ok());
  ASSERT_TRUE(store.move("1", Stage::Done).ok());
  auto commit = commit_work_event(*repo, store, created->id, WorkEvent::Done);
  ASSERT_TRUE(commit.ok()) << commit.error().message();
  EXPECT_EQ(last_subject(), "storkit: done 1_story_login\n");
  EXPECT_EQ(
      last_files(),
      "R100\t.storkit/work/1_backlog/1_story_login.md\t.storkit/work/5_done/1_story_login.md\n");
  EXPECT_EQ(testing::git(dir.path(), {"status", "--porcelain"}), "");
}

TEST_F(WorkCommitsTest, ArchiveMovesTheTrackedFile) {
  NewItem item;
  item.name = "Old";
  auto created = store.create(item);
  ASSERT_TRUE(store.move("1", Stage::Done).ok());
  ASSERT_TRUE(commit_work_event(*repo, store, created->id, WorkEvent::Done).ok());
  ASSERT_TRUE(store.move("1", Stage::Archived).ok());
  ASSERT_TRUE(commit_work_event(*repo, store, created->id, WorkEvent::Archive).ok());
  EXPECT_EQ(last_subject(), "storkit: archive 1_story_old\n");
  EXPECT_EQ(testing::git(dir.path(), {"ls-files", ".storkit/work"}),
            ".storkit/work/6_archived/1_story_old.md\n");
}

}  // namespace
}  // namespace stork
