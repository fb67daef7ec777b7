// StateStore: token usage (SQLite + storkit's token_usage.jsonl) and the session store.
#include "state/append_file.hpp"
#include "state/run_store.hpp"
#include "state/token_usage_line.hpp"

namespace stork::state {

StateResult<void> StateStore::record_token_usage(const TokenUsageRecord& usage) {
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  {
    auto insert = db_.cached(
        "INSERT INTO token_usage (run_id, story, agent, model, session_id, input_tokens, "
        "output_tokens, cache_creation_input_tokens, cache_read_input_tokens, cost_usd, "
        "recorded_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!insert) return fail(std::move(insert).take_error());
    (*insert)
        ->bind(1, usage.run_id)
        .bind(2, std::string_view(usage.story))
        .bind(3, std::string_view(usage.agent))
        .bind(4, std::string_view(usage.model))
        .bind(5, usage.session_id)
        .bind(6, usage.input_tokens)
        .bind(7, usage.output_tokens)
        .bind(8, usage.cache_creation_input_tokens)
        .bind(9, usage.cache_read_input_tokens)
        .bind(10, usage.cost_usd)
        .bind(11, usage.recorded_at_ms);
    if (auto done = (*insert)->run(); !done) return done;
  }
  // The line goes out after the row is in (a bad run id fails before any line is written) and
  // before the commit, so a failed write leaves neither.
  auto appended = append_to_file(storkit_dir_ / "token_usage.jsonl", token_usage_line(usage));
  if (!appended) return appended;
  return transaction->commit();
}

StateResult<std::vector<TokenUsageRecord>> StateStore::token_usage(
    std::optional<std::string> story) {
  constexpr std::string_view kColumns =
      "SELECT run_id, story, agent, model, session_id, input_tokens, output_tokens, "
      "cache_creation_input_tokens, cache_read_input_tokens, cost_usd, recorded_at_ms "
      "FROM token_usage ";
  static const std::string kOfStory = std::string(kColumns) + "WHERE story = ?1 ORDER BY id";
  static const std::string kAll = std::string(kColumns) + "ORDER BY id";
  auto query = db_.cached(story ? kOfStory : kAll);
  if (!query) return fail(std::move(query).take_error());
  if (story) (*query)->bind(1, std::string_view(*story));
  std::vector<TokenUsageRecord> result;
  for (;;) {
    auto row = (*query)->step();
    if (!row) return fail(std::move(row).take_error());
    if (*row == Step::Done) return result;
    const Statement& r = **query;
    TokenUsageRecord usage;
    usage.run_id = r.column_int64(0);
    usage.story = r.column_text(1);
    usage.agent = r.column_text(2);
    usage.model = r.column_text(3);
    usage.session_id = r.column_optional_text(4);
    usage.input_tokens = r.column_int64(5);
    usage.output_tokens = r.column_int64(6);
    usage.cache_creation_input_tokens = r.column_int64(7);
    usage.cache_read_input_tokens = r.column_int64(8);
    usage.cost_usd = r.column_double(9);
    usage.recorded_at_ms = r.column_int64(10);
    result.push_back(std::move(usage));
  }
}

StateResult<void> StateStore::remember_session(std::string_view story, std::string_view agent,
                                               std::string_view model, std::string_view session_id,
                                               std::int64_t now_ms) {
  auto upsert = db_.cached(
      "INSERT INTO sessions (story, agent, model, session_id, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (story, agent, model) DO UPDATE SET "
      "session_id = excluded.session_id, updated_at_ms = excluded.updated_at_ms");
  if (!upsert) return fail(std::move(upsert).take_error());
  (*upsert)->bind(1, story).bind(2, agent).bind(3, model).bind(4, session_id).bind(5, now_ms);
  return (*upsert)->run();
}

StateResult<std::optional<std::string>> StateStore::last_session(std::string_view story,
                                                                 std::string_view agent,
                                                                 std::string_view model) {
  auto query =
      db_.cached("SELECT session_id FROM sessions WHERE story = ?1 AND agent = ?2 AND model = ?3");
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, story).bind(2, agent).bind(3, model);
  auto row = (*query)->step();
  if (!row) return fail(std::move(row).take_error());
  if (*row == Step::Done) return std::optional<std::string>();
  return std::optional<std::string>((*query)->column_text(0));
}

}  // namespace stork::state
