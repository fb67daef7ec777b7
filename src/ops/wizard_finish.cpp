// Confirming a wizard step (the overwrite check against the draft's base hash, then the write)
// and the wizard's end: the files it wrote committed as `storkit: setup`.
#include <algorithm>

#include "base/offload.hpp"
#include "engine/pipeline.hpp"
#include "git/git_repo.hpp"
#include "git/work_commits.hpp"
#include "ops/wizard_files.hpp"
#include "ops/wizard_impl.hpp"

namespace stork::ops {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kSetupMessage = "storkit: setup";

enum class WriteProblem { None, Changed, Invalid, Io };
struct WriteOutcome {
  WriteProblem problem = WriteProblem::None;
  std::string message;
};

WriteOutcome write_step(const std::filesystem::path& root, const WizardStepRecord& record,
                        bool overwrite) {
  auto current = read_step_target(root, record.step);
  if (!current) return {WriteProblem::Io, current.error()};
  const std::string file(wizard_step_file(record.step));
  if (target_hash(current.value()) != record.base_hash && !overwrite) {
    return {WriteProblem::Changed,
            file +
                " changed since this step was drafted; confirm with overwrite to replace it, "
                "or generate the step again from the file as it is now"};
  }
  auto content = confirmed_content(record.step, current.value(), record.draft);
  if (!content) return {WriteProblem::Invalid, content.error()};
  if (auto written = write_step_target(root, record.step, content.value()); !written)
    return {WriteProblem::Io, written.error()};
  return {};
}

// Direct, for `stork init --wizard` without a server (no pipeline, no other writer).
Result<std::string, std::string> commit_directly(const std::filesystem::path& root,
                                                 const std::vector<std::string>& paths) {
  auto repo = GitRepo::open(root);
  if (!repo.ok()) return fail(repo.error().message());
  auto committed = commit_paths_retrying(repo.value(), paths, std::string(kSetupMessage));
  if (!committed.ok()) return fail(committed.error().message());
  return std::move(committed.value());
}

asio::awaitable<Result<std::string, std::string>> commit_queued(
    engine::Pipeline& pipeline, const std::vector<std::string>& paths) {
  const std::string message(kSetupMessage);
  auto committed = co_await pipeline.commit_paths(paths, message);
  if (!committed.ok()) co_return fail(committed.error().message);
  co_return std::move(committed.value());
}

}  // namespace

asio::awaitable<OpResult<void>> WizardOps::Impl::write_confirmed(
    WizardStep step, bool overwrite, const std::optional<std::string>& content) {
  auto updated = record(step);
  if (content && *content != updated.draft) {
    // The person's version becomes the draft; a gate script runs first and is shown.
    updated.draft = *content;
    updated.source = "edited";
    if (step == WizardStep::Gate) {
      updated.gate = co_await run_gate_draft(updated.draft);
      if (auto saved = co_await save(updated); !saved) co_return saved;
      co_return fail(OpError(OpError::Kind::Conflict,
                             "the changed gate script ran first (" + updated.gate->outcome +
                                 "); see its result and confirm again to write it"));
    }
  }
  if (step == WizardStep::Gate &&
      (!updated.gate || updated.gate->draft_hash != content_hash(updated.draft))) {
    co_return fail(OpError(OpError::Kind::Conflict,
                           "the gate's draft has not run yet; generate or edit it to run it"));
  }
  auto write = [root = services.project_root, updated, overwrite] {
    return write_step(root, updated, overwrite);
  };
  auto outcome = co_await offload(services.workers, write);
  switch (outcome.problem) {
    case WriteProblem::None:
      break;
    case WriteProblem::Changed:
      co_return fail(OpError(OpError::Kind::Conflict, outcome.message));
    case WriteProblem::Invalid:
      co_return fail(invalid_input("draft", outcome.message));
    case WriteProblem::Io:
      co_return fail(OpError(OpError::Kind::Failed, outcome.message));
  }
  updated.state = WizardStepState::Confirmed;
  updated.written = std::string(wizard_step_file(step));
  updated.updated_at_ms = wizard_now_ms();
  auto saved = co_await save(updated);
  co_return saved;
}

asio::awaitable<OpResult<void>> WizardOps::Impl::commit_if_done() {
  refresh_current();
  if (state->current || state->setup_commit) co_return OpResult<void>();
  std::vector<std::string> paths;
  for (const auto& step : state->steps) {
    if (!step.written.empty() && std::find(paths.begin(), paths.end(), step.written) == paths.end())
      paths.push_back(step.written);
  }
  Result<std::string, std::string> committed = std::string();
  if (!paths.empty() && services.pipeline != nullptr) {
    committed = co_await commit_queued(*services.pipeline, paths);
  } else if (!paths.empty()) {
    auto commit = [root = services.project_root, paths] { return commit_directly(root, paths); };
    committed = co_await offload(services.workers, commit);
  }
  if (!committed) {
    state->commit_error = committed.error();
    co_return fail(OpError(OpError::Kind::Failed,
                           "the files are written but the `storkit: setup` commit failed: " +
                               committed.error() + " (finish the wizard to try again)"));
  }
  auto save_commit = [this, id = committed.value()] {
    return store->save_setup_commit(id, wizard_now_ms());
  };
  if (auto saved = co_await offload(services.workers, save_commit); !saved) {
    co_return fail(
        OpError(OpError::Kind::Failed, "the wizard's state (state.db): " + saved.error()));
  }
  state->commit_error.clear();
  state->setup_commit = committed.value();
  co_return OpResult<void>();
}

}  // namespace stork::ops
