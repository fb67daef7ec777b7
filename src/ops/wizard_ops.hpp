// WizardOps: the setup wizard (docs/wizard.md), once for every surface (MCP wizard_* tools,
// REST /api/wizard, the board's wizard page, `stork init --wizard`). Five steps in order
// (wizard_steps.hpp); the step being worked on is the first that is neither confirmed nor
// skipped, and only it can be drafted, retried with feedback, edited, confirmed or skipped.
// A draft comes from the agent named by `[wizard] agent` (a one-shot, read-only run in the
// project root, through the WizardDrafter the app provides) or from templates. The gate step's
// draft is run before it can be confirmed. A confirm writes the step's file unless that file
// changed since the draft (then only with `overwrite`); when every step is settled the files
// written are committed as `storkit: setup` through the pipeline's commit queue. State lives in
// state.db (WizardStore), so a restart resumes where the wizard was.
//
// All state lives on one strand; an action in progress (a draft, a gate run) makes the others
// answer Busy rather than interleave. Every public function may be called from any coroutine.
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"
#include "ops/op_error.hpp"
#include "ops/ops_services.hpp"
#include "ops/wizard_steps.hpp"

namespace stork::ops {

// One draft asked of an agent: run `agent` once in `cwd`, read-only, with `prompt`; the
// answer is its final message, or why the run failed.
struct WizardDraftRequest {
  std::string agent;
  std::filesystem::path cwd;
  std::string prompt;
};
using WizardDrafter = std::function<boost::asio::awaitable<Result<std::string, std::string>>(
    WizardDraftRequest request)>;

struct WizardStatus {
  std::array<WizardStepRecord, kWizardSteps.size()> steps;
  std::optional<WizardStep> current;  // none: every step is confirmed or skipped
  // Set once the wizard has finished: the `storkit: setup` commit ("" when nothing was written).
  std::optional<std::string> setup_commit;
  std::string commit_error;          // why the last attempt at that commit failed
  std::optional<std::string> agent;  // `[wizard] agent`; none: templates
  // No project context yet (00_CONTEXT.md absent, or `stork init`'s placeholder): the board
  // opens on the wizard.
  bool specs_missing = false;
};

class WizardOps {
 public:
  class Impl;

  // `drafter` runs the `[wizard] agent`; empty: drafts come from templates even when one is
  // configured (`stork init --wizard` without a server).
  WizardOps(const boost::asio::any_io_executor& executor, OpsServices services,
            WizardDrafter drafter = {});
  ~WizardOps();
  WizardOps(const WizardOps&) = delete;
  WizardOps& operator=(const WizardOps&) = delete;

  boost::asio::awaitable<OpResult<WizardStatus>> status();
  // `step` "" means the current step. A drafted step is drafted afresh.
  boost::asio::awaitable<OpResult<WizardStatus>> generate(std::string step);
  // Drafts a drafted step again, with the previous draft and `feedback` for the drafter.
  boost::asio::awaitable<OpResult<WizardStatus>> retry(std::string step, std::string feedback);
  // The person's own version of the draft (the gate's is run again).
  boost::asio::awaitable<OpResult<WizardStatus>> edit(std::string step, std::string content);
  // Writes the draft (or `content`, which becomes the draft first: for the gate step a changed
  // script is run and must be confirmed again once its result has been seen).
  boost::asio::awaitable<OpResult<WizardStatus>> confirm(std::string step, bool overwrite,
                                                         std::optional<std::string> content);
  boost::asio::awaitable<OpResult<WizardStatus>> skip(std::string step);
  // Makes the `storkit: setup` commit again after it failed (the last settle does it first).
  boost::asio::awaitable<OpResult<WizardStatus>> finish();

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::ops
