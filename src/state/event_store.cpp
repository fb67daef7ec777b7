// StateStore: the events table. Events arrive in batches from a run's output; one batch is one
// transaction, so appending 1,000 events costs one fsync-free commit (WAL, synchronous=NORMAL)
// rather than 1,000.
#include <algorithm>
#include <limits>
#include <map>

#include "state/run_store.hpp"

namespace stork::state {

StateResult<std::int64_t> StateStore::last_seq_of(std::int64_t run_id) {
  auto query = db_.cached("SELECT last_seq FROM runs WHERE id = ?1");
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, run_id);
  auto row = (*query)->step();
  if (!row) return fail(std::move(row).take_error());
  if (*row == Step::Done) {
    return fail(StateError{"state database " + db_.path().string() +
                               ": cannot append events: no run " + std::to_string(run_id),
                           0});
  }
  return (*query)->column_int64(0);
}

StateError StateStore::event_conflict(const EventRecord& event, std::int64_t last_seq) {
  std::string prefix = "state database " + db_.path().string() + ": cannot append events: run " +
                       std::to_string(event.run_id);
  auto query = db_.cached("SELECT 1 FROM events WHERE run_id = ?1 AND seq = ?2");
  if (query) {
    (*query)->bind(1, event.run_id).bind(2, event.seq);
    auto row = (*query)->step();
    if (row && *row == Step::Row) {
      return {
          prefix + " already has an event with seq " + std::to_string(event.seq) + " (duplicate)",
          0};
    }
  }
  return {prefix + ": event seq " + std::to_string(event.seq) +
              " is out of order (the run's events go up to seq " + std::to_string(last_seq) + ")",
          0};
}

StateResult<void> StateStore::append_events(std::span<const EventRecord> events) {
  if (events.empty()) return {};
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  std::map<std::int64_t, std::int64_t> last_seq;  // run → highest seq so far; few runs a batch
  {
    auto insert = db_.cached(
        "INSERT INTO events (run_id, seq, time_ms, type, payload) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return fail(std::move(insert).take_error());
    for (const auto& event : events) {
      auto known = last_seq.find(event.run_id);
      if (known == last_seq.end()) {
        auto stored = last_seq_of(event.run_id);
        if (!stored) return fail(std::move(stored).take_error());
        known = last_seq.emplace(event.run_id, *stored).first;
      }
      if (event.seq <= known->second) return fail(event_conflict(event, known->second));
      (*insert)
          ->bind(1, event.run_id)
          .bind(2, event.seq)
          .bind(3, event.time_ms)
          .bind(4, std::string_view(event.type))
          .bind(5, std::string_view(event.payload));
      if (auto done = (*insert)->run(); !done) return done;
      (*insert)->reset();
      known->second = event.seq;
    }
    auto update = db_.cached("UPDATE runs SET last_seq = ?2 WHERE id = ?1");
    if (!update) return fail(std::move(update).take_error());
    for (const auto& [run_id, seq] : last_seq) {
      (*update)->bind(1, run_id).bind(2, seq);
      if (auto done = (*update)->run(); !done) return done;
      (*update)->reset();
    }
  }
  return transaction->commit();
}

StateResult<std::vector<EventRecord>> StateStore::events_after(std::int64_t run_id,
                                                               std::int64_t after_seq,
                                                               std::size_t limit) {
  auto query = db_.cached(
      "SELECT seq, time_ms, type, payload FROM events WHERE run_id = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3");
  if (!query) return fail(std::move(query).take_error());
  auto sql_limit = static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
  (*query)->bind(1, run_id).bind(2, after_seq).bind(3, sql_limit);
  std::vector<EventRecord> result;
  result.reserve(std::min<std::size_t>(limit, 1024));
  for (;;) {
    auto row = (*query)->step();
    if (!row) return fail(std::move(row).take_error());
    if (*row == Step::Done) return result;
    result.push_back(EventRecord{run_id, (*query)->column_int64(0), (*query)->column_int64(1),
                                 std::string((*query)->column_text(2)),
                                 std::string((*query)->column_text(3))});
  }
}

}  // namespace stork::state
