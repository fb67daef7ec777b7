#include "state/journal.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/run_store.hpp"
#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

std::unique_ptr<Journal> open_journal(const std::filesystem::path& root) {
  auto journal = Journal::open(root);
  EXPECT_TRUE(journal.ok()) << journal.error().message;
  return std::move(journal).value();
}

TEST(Journal, JobKeepsItsStepsAndCommitsAcrossReopen) {
  testing::TempDir project;
  std::int64_t id = 0;
  {
    auto journal = open_journal(project.path());
    id = *journal->begin_job(JobKind::Merge, "1_story_a", "", "squashing", 10);
    ASSERT_TRUE(journal->set_commits(id, "abc", "def", 11).ok());
    ASSERT_TRUE(journal->set_step(id, "gating", 12, "running script/test").ok());
  }
  auto journal = open_journal(project.path());
  auto job = journal->job(id);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->kind, JobKind::Merge);
  EXPECT_EQ((*job)->story, "1_story_a");
  EXPECT_EQ((*job)->step, "gating");
  EXPECT_EQ((*job)->detail, "running script/test");
  EXPECT_EQ((*job)->base_before, "abc");
  EXPECT_EQ((*job)->commit, "def");
  EXPECT_EQ((*job)->created_at_ms, 10);
  EXPECT_EQ((*job)->updated_at_ms, 12);
  EXPECT_FALSE((*job)->finished());
}

TEST(Journal, OpenJobsLeaveOutDoneAndFailedOldestFirst) {
  testing::TempDir project;
  auto journal = open_journal(project.path());
  auto a = *journal->begin_job(JobKind::Merge, "1_story_a", "", "queued", 1);
  auto b = *journal->begin_job(JobKind::Completion, "2_story_b", "coder-1", "gating", 2);
  auto c = *journal->begin_job(JobKind::Merge, "3_story_c", "", "queued", 3);
  auto d = *journal->begin_job(JobKind::Merge, "4_story_d", "", "queued", 4);
  ASSERT_TRUE(journal->set_step(a, kJobDone, 5).ok());
  ASSERT_TRUE(journal->set_step(c, kJobFailed, 5, "conflict").ok());
  auto open = journal->open_jobs();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, b);
  EXPECT_EQ((*open)[0].kind, JobKind::Completion);
  EXPECT_EQ((*open)[0].agent, "coder-1");
  EXPECT_EQ((*open)[1].id, d);
  auto of_c = journal->jobs(std::string("3_story_c"));
  ASSERT_TRUE(of_c.ok());
  ASSERT_EQ(of_c->size(), 1u);
  EXPECT_EQ((*of_c)[0].detail, "conflict");
  EXPECT_TRUE((*of_c)[0].finished());
}

TEST(Journal, SetStepOfAMissingJobFails) {
  testing::TempDir project;
  auto journal = open_journal(project.path());
  auto result = journal->set_step(42, "gating", 1);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, ::testing::HasSubstr("no job 42"));
}

TEST(Journal, EventsGetIncreasingSequenceNumbersAndReplayAfterOne) {
  testing::TempDir project;
  auto journal = open_journal(project.path());
  EXPECT_EQ(*journal->last_event_seq(), 0);
  std::vector<std::int64_t> seqs;
  for (int i = 0; i < 5; ++i) {
    auto event = journal->append_event(
        {0, 100 + i, "1_story_a", "moved", R"({"n":)" + std::to_string(i) + "}"});
    ASSERT_TRUE(event.ok());
    seqs.push_back(event->seq);
  }
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(*journal->last_event_seq(), seqs.back());
  auto after = journal->events_after(seqs[2]);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].seq, seqs[3]);
  EXPECT_EQ((*after)[0].payload, R"({"n":3})");
  EXPECT_EQ((*after)[1].time_ms, 104);
}

TEST(Journal, SharesTheDatabaseWithTheRunStore) {
  testing::TempDir project;
  auto journal = open_journal(project.path());
  auto store = StateStore::open(project.path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(journal->begin_job(JobKind::Merge, "1_story_a", "", "queued", 1).ok());
  ASSERT_TRUE((*store)->runs().ok());
}

TEST(Journal, EventsOfOneItemAreItsNewestOldestFirst) {
  testing::TempDir project;
  auto journal = open_journal(project.path());
  for (int i = 0; i < 6; ++i) {
    const std::string story = i % 2 == 0 ? "1_story_a" : "2_story_b";
    ASSERT_TRUE(journal->append_event({0, 100 + i, story, "step" + std::to_string(i), "{}"}).ok());
  }
  auto all = journal->events_of("1_story_a");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].type, "step0");
  EXPECT_EQ((*all)[2].type, "step4");
  auto newest = journal->events_of("1_story_a", 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].type, "step2");
  EXPECT_EQ((*newest)[1].type, "step4");
  EXPECT_TRUE(journal->events_of("9_story_none")->empty());
}

}  // namespace
}  // namespace stork::state
