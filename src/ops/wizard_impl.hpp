// WizardOps' state and steps, private to the wizard's files: the strand, the steps as last
// saved, and the helpers each action is made of. Everything here runs on the strand; blocking
// work (SQLite, files, git, templates) is offloaded to the shared workers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/strand.hpp>

#include "ops/wizard_ops.hpp"
#include "ops/wizard_store.hpp"

namespace stork::ops {

class WizardOps::Impl {
 public:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;
  Impl(const boost::asio::any_io_executor& executor, OpsServices services_in,
       WizardDrafter drafter_in);

  Strand strand;
  OpsServices services;
  WizardDrafter drafter;
  std::unique_ptr<WizardStore> store;  // opened on first use
  std::optional<WizardStatus> state;   // loaded on first use
  bool busy = false;                   // an action is under way (it awaits)

  // ---- wizard_ops_state.cpp ----
  // Opens the store and loads the steps once; refreshes specs_missing and the agent.
  boost::asio::awaitable<OpResult<void>> load();
  boost::asio::awaitable<OpResult<void>> save(const WizardStepRecord& record);
  WizardStepRecord& record(WizardStep step) { return state->steps[static_cast<std::size_t>(step)]; }
  // The step an action names ("" = the current one), checked to be the current one.
  OpResult<WizardStep> actionable(const std::string& name) const;
  // The step must hold a draft (Drafted): Conflict naming what it is instead.
  OpResult<void> require_draft(WizardStep step, std::string_view action);
  void refresh_current();

  // ---- wizard_draft.cpp ----
  // A new draft for `step` (agent or template), with the target's base hash; the gate step's
  // draft is run. Nothing is written to the step's file.
  boost::asio::awaitable<OpResult<void>> draft(WizardStep step, const std::string& feedback);
  // Runs the gate step's draft (as script/.wizard-draft-test, beside where it will live).
  boost::asio::awaitable<WizardGateRun> run_gate_draft(const std::string& draft);

  // ---- wizard_finish.cpp ----
  // Writes the drafted (or given) content into the step's file and marks it confirmed.
  boost::asio::awaitable<OpResult<void>> write_confirmed(WizardStep step, bool overwrite,
                                                         const std::optional<std::string>& content);
  // When every step is settled and no commit was made yet: `storkit: setup`.
  boost::asio::awaitable<OpResult<void>> commit_if_done();
};

std::int64_t wizard_now_ms();

}  // namespace stork::ops
