// WizardOps' state on its strand: loading and saving the steps (offloaded SQLite), and which
// step an action may act on.
#include <chrono>

#include "base/offload.hpp"
#include "config/wizard_settings.hpp"
#include "ops/wizard_files.hpp"
#include "ops/wizard_impl.hpp"

namespace stork::ops {
namespace asio = boost::asio;

namespace {

// `stork init`'s placeholder context: a project that still has it has no specs yet.
constexpr std::string_view kPlaceholderContext = "What this project is for, who uses it";

bool context_missing(const std::filesystem::path& root) {
  auto content = read_step_target(root, WizardStep::Context);
  if (!content || !*content) return true;
  return content->value().find(kPlaceholderContext) != std::string::npos;
}

OpError failed(std::string message) {
  return OpError(OpError::Kind::Failed, "the wizard's state (state.db): " + std::move(message));
}

}  // namespace

std::int64_t wizard_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

WizardOps::Impl::Impl(const asio::any_io_executor& executor, OpsServices services_in,
                      WizardDrafter drafter_in)
    : strand(asio::make_strand(executor)),
      services(std::move(services_in)),
      drafter(std::move(drafter_in)) {}

asio::awaitable<OpResult<void>> WizardOps::Impl::load() {
  if (!state) {
    struct Loaded {
      std::unique_ptr<WizardStore> store;
      WizardStatus status;
      std::string error;
    };
    auto open = [root = services.project_root] {
      Loaded out;
      auto opened = WizardStore::open(root);
      if (!opened) {
        out.error = opened.error();
        return out;
      }
      auto steps = (*opened)->load();
      auto commit = (*opened)->setup_commit();
      if (!steps || !commit) {
        out.error = !steps ? steps.error() : commit.error();
        return out;
      }
      out.status.steps = std::move(steps.value());
      out.status.setup_commit = std::move(commit.value());
      out.store = std::move(opened.value());
      return out;
    };
    auto loaded = co_await offload(services.workers, open);
    if (!loaded.error.empty()) co_return fail(failed(loaded.error));
    store = std::move(loaded.store);
    state = std::move(loaded.status);
  }
  struct Facts {
    Result<std::optional<std::string>, std::string> agent = std::optional<std::string>();
    bool specs_missing = false;
  };
  auto read = [root = services.project_root] {
    return Facts{load_wizard_agent(root), context_missing(root)};
  };
  auto facts = co_await offload(services.workers, read);
  if (!facts.agent) co_return fail(OpError(OpError::Kind::Malformed, facts.agent.error()));
  state->agent = std::move(facts.agent.value());
  state->specs_missing = facts.specs_missing;
  refresh_current();
  co_return OpResult<void>();
}

asio::awaitable<OpResult<void>> WizardOps::Impl::save(const WizardStepRecord& updated) {
  auto write = [this, updated] { return store->save(updated); };
  auto saved = co_await offload(services.workers, write);
  if (!saved) co_return fail(failed(saved.error()));
  record(updated.step) = updated;
  // A confirmed context step wrote 00_CONTEXT.md: the project has its specs now.
  if (updated.step == WizardStep::Context && updated.state == WizardStepState::Confirmed)
    state->specs_missing = false;
  refresh_current();
  co_return OpResult<void>();
}

void WizardOps::Impl::refresh_current() {
  state->current.reset();
  for (const auto& step : state->steps) {
    if (step.state == WizardStepState::Pending || step.state == WizardStepState::Drafted) {
      state->current = step.step;
      return;
    }
  }
}

OpResult<WizardStep> WizardOps::Impl::actionable(const std::string& name) const {
  if (name.empty()) {
    if (!state->current) {
      return fail(
          OpError(OpError::Kind::Conflict, "the wizard is finished: every step is settled"));
    }
    return *state->current;
  }
  auto step = parse_wizard_step(name);
  if (!step) {
    return fail(invalid_input(
        "step", "unknown step '" + name + "' (steps: context, stack, gate, components, agents)"));
  }
  const auto& wanted = state->steps[static_cast<std::size_t>(*step)];
  if (wanted.state == WizardStepState::Confirmed || wanted.state == WizardStepState::Skipped) {
    return fail(OpError(OpError::Kind::Conflict,
                        "step '" + name + "' is already " + std::string(to_string(wanted.state)) +
                            "; a settled step is not drafted, retried or confirmed again"));
  }
  if (state->current && *state->current != *step) {
    const auto& first = state->steps[static_cast<std::size_t>(*state->current)];
    return fail(OpError(OpError::Kind::Conflict,
                        "step '" + name + "' comes after '" + std::string(to_string(first.step)) +
                            "', which is " + std::string(to_string(first.state)) +
                            ": confirm or skip that step first (steps go in order)"));
  }
  return *step;
}

OpResult<void> WizardOps::Impl::require_draft(WizardStep step, std::string_view action) {
  if (record(step).state == WizardStepState::Drafted) return {};
  return fail(OpError(OpError::Kind::Conflict, "step '" + std::string(to_string(step)) +
                                                   "' has no draft to be " + std::string(action) +
                                                   "; generate one first (wizard_generate)"));
}

}  // namespace stork::ops
