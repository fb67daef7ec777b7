#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/run_store.hpp"
#include "store_fixture.hpp"

namespace stork::state {
namespace {

using ::testing::HasSubstr;

std::vector<EventRecord> make_events(std::int64_t run_id, std::int64_t first_seq, int count) {
  std::vector<EventRecord> events;
  for (int i = 0; i < count; ++i) {
    auto seq = first_seq + i;
    events.push_back({run_id, seq, 1000 + seq, i % 2 ? "output" : "tool_use",
                      R"({"n":)" + std::to_string(seq) + "}"});
  }
  return events;
}

std::vector<std::int64_t> seqs(const std::vector<EventRecord>& events) {
  std::vector<std::int64_t> result;
  for (const auto& event : events)
    result.push_back(event.seq);
  return result;
}

TEST(EventStore, AppendedEventsComeBackInOrderWithEveryField) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  auto events = make_events(run, 1, 5);
  ASSERT_TRUE(store->append_events(events).ok());
  auto stored = store->events_after(run, 0);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, events);
  EXPECT_EQ((**store->run(run)).last_seq, 5);
}

TEST(EventStore, EventsAfterSkipsSeenEventsAndHonoursTheLimit) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  auto other = *store->create_run(new_run(), 1);
  ASSERT_TRUE(store->append_events(make_events(run, 1, 10)).ok());
  ASSERT_TRUE(store->append_events(make_events(other, 1, 3)).ok());
  EXPECT_EQ(seqs(*store->events_after(run, 7)), (std::vector<std::int64_t>{8, 9, 10}));
  EXPECT_EQ(seqs(*store->events_after(run, 2, 3)), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_TRUE(store->events_after(run, 10)->empty());
  EXPECT_EQ(store->events_after(other, 0)->size(), 3u);  // per run
  EXPECT_TRUE(store->events_after(999, 0)->empty());
}

TEST(EventStore, OneBatchMayInterleaveRuns) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto a = *store->create_run(new_run(), 1);
  auto b = *store->create_run(new_run(), 1);
  std::vector<EventRecord> batch{{a, 1, 1, "x", "{}"}, {b, 1, 1, "x", "{}"}, {a, 2, 2, "x", "{}"}};
  ASSERT_TRUE(store->append_events(batch).ok());
  EXPECT_EQ((**store->run(a)).last_seq, 2);
  EXPECT_EQ((**store->run(b)).last_seq, 1);
}

TEST(EventStore, BatchOfTenThousandEventsInOneCall) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  auto events = make_events(run, 1, 10000);
  auto appended = store->append_events(events);
  ASSERT_TRUE(appended.ok()) << appended.error().message;
  auto stored = store->events_after(run, 0);
  ASSERT_EQ(stored->size(), 10000u);
  EXPECT_EQ(stored->front(), events.front());
  EXPECT_EQ(stored->back(), events.back());
  EXPECT_EQ((**store->run(run)).last_seq, 10000);
}

TEST(EventStore, DuplicateSeqIsAnErrorNamingRunAndSeqAndStoresNothingOfTheBatch) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  ASSERT_TRUE(store->append_events(make_events(run, 1, 3)).ok());
  std::vector<EventRecord> batch{{run, 4, 1, "x", "{}"}, {run, 3, 1, "x", "{}"}};
  auto appended = store->append_events(batch);
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.error().message,
              HasSubstr("run " + std::to_string(run) + " already has an event with seq 3"));
  EXPECT_EQ(seqs(*store->events_after(run, 0)), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ((**store->run(run)).last_seq, 3);
}

TEST(EventStore, DuplicateWithinOneBatchIsRefused) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  std::vector<EventRecord> batch{{run, 1, 1, "x", "{}"}, {run, 1, 1, "y", "{}"}};
  auto appended = store->append_events(batch);
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.error().message, HasSubstr("already has an event with seq 1"));
  EXPECT_TRUE(store->events_after(run, 0)->empty());
}

TEST(EventStore, OutOfOrderSeqIsRefused) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto run = *store->create_run(new_run(), 1);
  ASSERT_TRUE(store->append_events(make_events(run, 5, 1)).ok());
  auto appended = store->append_events(make_events(run, 2, 1));  // a gap below seq 5
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.error().message,
              HasSubstr("run " + std::to_string(run) + ": event seq 2 is out of order"));
  EXPECT_THAT(appended.error().message, HasSubstr("up to seq 5"));
}

TEST(EventStore, EventsOfAMissingRunAreRefused) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto appended = store->append_events(make_events(77, 1, 1));
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.error().message, HasSubstr("no run 77"));
}

TEST(EventStore, EmptyBatchIsANoOp) {
  testing::TempDir project;
  auto store = open_store(project.path());
  EXPECT_TRUE(store->append_events({}).ok());
}

}  // namespace
}  // namespace stork::state
