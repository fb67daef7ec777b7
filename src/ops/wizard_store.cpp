#include "ops/wizard_store.hpp"

#include "state/schema.hpp"

namespace stork::ops {
namespace {

template <class T>
using StoreResult = Result<T, std::string>;

std::string text(const state::StateError& error) {
  return error.message;
}

// A row that does not parse is reported, never guessed at: another stork wrote it.
StoreResult<WizardStepRecord> read_row(const state::Statement& row) {
  WizardStepRecord record;
  auto step = parse_wizard_step(row.column_text(0));
  auto state = parse_wizard_step_state(row.column_text(1));
  if (!step || !state) {
    return fail("state.db wizard_steps: unknown step or state '" + std::string(row.column_text(0)) +
                "'/'" + std::string(row.column_text(1)) + "'");
  }
  record.step = *step;
  record.state = *state;
  record.draft = row.column_text(2);
  record.source = row.column_text(3);
  record.base_hash = row.column_text(4);
  record.feedback = row.column_text(5);
  if (!row.column_text(6).empty()) {
    record.gate = WizardGateRun{std::string(row.column_text(6)), row.column_int64(7) != 0,
                                std::string(row.column_text(8)), std::string(row.column_text(9))};
  }
  record.written = row.column_text(10);
  record.updated_at_ms = row.column_int64(11);
  return record;
}

}  // namespace

StoreResult<std::unique_ptr<WizardStore>> WizardStore::open(const std::filesystem::path& root) {
  auto db = state::open_project_database(root);
  if (!db) return fail(text(db.error()));
  return std::unique_ptr<WizardStore>(new WizardStore(std::move(db.value())));
}

StoreResult<std::array<WizardStepRecord, kWizardSteps.size()>> WizardStore::load() {
  std::array<WizardStepRecord, kWizardSteps.size()> records;
  for (std::size_t i = 0; i < kWizardSteps.size(); ++i)
    records[i].step = kWizardSteps[i];
  auto statement = db_.cached(
      "SELECT step, state, draft, source, base_hash, feedback, gate_hash, gate_passed, "
      "gate_outcome, gate_output, written, updated_at_ms FROM wizard_steps");
  if (!statement) return fail(text(statement.error()));
  for (;;) {
    auto row = (*statement)->step();
    if (!row) return fail(text(row.error()));
    if (*row != state::Step::Row) break;
    auto record = read_row(**statement);
    if (!record) return fail(std::move(record).take_error());
    records[static_cast<std::size_t>(record->step)] = std::move(record.value());
  }
  return records;
}

StoreResult<void> WizardStore::save(const WizardStepRecord& record) {
  auto statement = db_.cached(
      "INSERT INTO wizard_steps(step, state, draft, source, base_hash, feedback, gate_hash, "
      "gate_passed, gate_outcome, gate_output, written, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT(step) DO UPDATE SET state = excluded.state, draft = excluded.draft, "
      "source = excluded.source, base_hash = excluded.base_hash, feedback = excluded.feedback, "
      "gate_hash = excluded.gate_hash, gate_passed = excluded.gate_passed, "
      "gate_outcome = excluded.gate_outcome, gate_output = excluded.gate_output, "
      "written = excluded.written, updated_at_ms = excluded.updated_at_ms");
  if (!statement) return fail(text(statement.error()));
  const WizardGateRun none;
  const WizardGateRun& gate = record.gate ? *record.gate : none;
  (*statement)
      ->bind(1, to_string(record.step))
      .bind(2, to_string(record.state))
      .bind(3, std::string_view(record.draft))
      .bind(4, std::string_view(record.source))
      .bind(5, std::string_view(record.base_hash))
      .bind(6, std::string_view(record.feedback))
      .bind(7, std::string_view(gate.draft_hash))
      .bind(8, gate.passed ? 1 : 0)
      .bind(9, std::string_view(gate.outcome))
      .bind(10, std::string_view(gate.output))
      .bind(11, std::string_view(record.written))
      .bind(12, record.updated_at_ms);
  if (auto done = (*statement)->run(); !done) return fail(text(done.error()));
  return {};
}

StoreResult<std::optional<std::string>> WizardStore::setup_commit() {
  auto statement = db_.cached("SELECT commit_id FROM wizard_commit WHERE id = 1");
  if (!statement) return fail(text(statement.error()));
  auto row = (*statement)->step();
  if (!row) return fail(text(row.error()));
  if (*row != state::Step::Row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*statement)->column_text(0)));
}

StoreResult<void> WizardStore::save_setup_commit(const std::string& commit_id,
                                                 std::int64_t now_ms) {
  auto statement = db_.cached(
      "INSERT INTO wizard_commit(id, commit_id, time_ms) VALUES (1, ?1, ?2) "
      "ON CONFLICT(id) DO UPDATE SET commit_id = excluded.commit_id, time_ms = excluded.time_ms");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(commit_id)).bind(2, now_ms);
  if (auto done = (*statement)->run(); !done) return fail(text(done.error()));
  return {};
}

}  // namespace stork::ops
