// WizardStore: the setup wizard's state in .storkit/state.db (migration 7), so the wizard can
// be left and resumed, also across a server restart: one row per step that has left Pending,
// and the `storkit: setup` commit once it is made. Blocking SQLite on a connection of its own:
// WizardOps calls it on the shared workers, one call at a time.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "ops/wizard_steps.hpp"
#include "state/sqlite.hpp"

namespace stork::ops {

class WizardStore {
 public:
  static Result<std::unique_ptr<WizardStore>, std::string> open(
      const std::filesystem::path& project_root);

  // Every step in order; a step never saved is Pending with nothing else set.
  Result<std::array<WizardStepRecord, kWizardSteps.size()>, std::string> load();
  Result<void, std::string> save(const WizardStepRecord& record);
  Result<std::optional<std::string>, std::string> setup_commit();
  Result<void, std::string> save_setup_commit(const std::string& commit_id, std::int64_t now_ms);

 private:
  explicit WizardStore(state::Database db) : db_(std::move(db)) {}
  state::Database db_;
};

}  // namespace stork::ops
