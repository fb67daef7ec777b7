// StateStore's agent inbox (table agent_inbox, migration 5): what the pool buffers for an idle
// agent, taken out once at its next start.
#include "state/run_store.hpp"

namespace stork::state {

StateResult<void> StateStore::add_inbox_entry(const InboxEntry& entry) {
  auto insert = db_.cached(
      "INSERT INTO agent_inbox (story, agent, kind, text, time_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)
      ->bind(1, std::string_view(entry.story))
      .bind(2, std::string_view(entry.agent))
      .bind(3, std::string_view(entry.kind))
      .bind(4, std::string_view(entry.text))
      .bind(5, entry.time_ms);
  return (*insert)->run();
}

StateResult<std::vector<InboxEntry>> StateStore::take_inbox(std::string_view story,
                                                            std::string_view agent) {
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  std::vector<InboxEntry> entries;
  {
    auto query = db_.cached(
        "SELECT kind, text, time_ms FROM agent_inbox WHERE story = ?1 AND agent = ?2 "
        "ORDER BY id");
    if (!query) return fail(std::move(query).take_error());
    (*query)->bind(1, story).bind(2, agent);
    for (;;) {
      auto row = (*query)->step();
      if (!row) return fail(std::move(row).take_error());
      if (*row == Step::Done) break;
      entries.push_back(
          InboxEntry{std::string(story), std::string(agent), std::string((*query)->column_text(0)),
                     std::string((*query)->column_text(1)), (*query)->column_int64(2)});
    }
  }
  auto remove = db_.cached("DELETE FROM agent_inbox WHERE story = ?1 AND agent = ?2");
  if (!remove) return fail(std::move(remove).take_error());
  (*remove)->bind(1, story).bind(2, agent);
  if (auto removed = (*remove)->run(); !removed) return fail(std::move(removed).take_error());
  if (auto committed = transaction->commit(); !committed)
    return fail(std::move(committed).take_error());
  return entries;
}

}  // namespace stork::state
