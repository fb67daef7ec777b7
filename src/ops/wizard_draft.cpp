// Drafting a wizard step: by the `[wizard] agent` (one read-only run in the project root,
// through the app's WizardDrafter) or from templates; and running the gate step's draft, which
// must have run before it can be confirmed.
#include <system_error>

#include "agents/runtime/runtime.hpp"
#include "base/file_io.hpp"
#include "base/offload.hpp"
#include "engine/gate_runner.hpp"
#include "ops/wizard_files.hpp"
#include "ops/wizard_impl.hpp"
#include "ops/wizard_templates.hpp"

namespace stork::ops {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxDraftBytes = std::size_t{256} * 1024;
// Beside script/test, so a draft that finds the project from its own path (`cd "$(dirname
// "$0")/.."`) behaves as it will once written.
constexpr std::string_view kGateDraftPath = "script/.wizard-draft-test";

struct Drafted {
  std::string text;
  std::string source;
  std::string base_hash;
  std::string error;
};

Drafted template_for(const fs::path& root, WizardStep step, const std::string& feedback) {
  Drafted out;
  const auto facts = detect_project_facts(root);
  const auto environment = detect_roster_environment();
  const RuntimeSupported supported = [](const std::string& runtime) {
    return agents::make_runtime(runtime).ok();
  };
  out.text = template_draft(step, facts, environment, supported, feedback);
  out.source = "template";
  return out;
}

// Plain functions, so the by-value arguments of the calls they make are not temporaries of
// the caller's co_await (GCC 12 frees those wrongly across the suspension).
asio::awaitable<Result<std::string, std::string>> ask(const WizardDrafter& drafter,
                                                      const WizardDraftRequest& request) {
  return drafter(request);
}
asio::awaitable<engine::GateResult> gate(const asio::any_io_executor& executor,
                                         const engine::GateSpec& spec) {
  return engine::run_gate(executor, spec);
}

}  // namespace

asio::awaitable<OpResult<void>> WizardOps::Impl::draft(WizardStep step,
                                                       const std::string& feedback) {
  auto record_now = record(step);
  Drafted drafted;
  if (state->agent && drafter) {
    const auto environment = detect_roster_environment();
    WizardDraftRequest request{*state->agent, services.project_root,
                               draft_prompt(step, environment, record_now.draft, feedback)};
    auto answer = co_await ask(drafter, request);
    if (!answer) {
      co_return fail(
          OpError(OpError::Kind::Failed, "agent '" + *state->agent + "' could not draft step '" +
                                             std::string(to_string(step)) + "': " + answer.error() +
                                             " (nothing was written; retry, or generate again)"));
    }
    drafted.text = draft_from_answer(answer.value());
    drafted.source = "agent:" + *state->agent;
    if (drafted.text.empty()) {
      co_return fail(OpError(OpError::Kind::Failed,
                             "agent '" + *state->agent + "' answered with an empty draft for '" +
                                 std::string(to_string(step)) + "' (nothing was written)"));
    }
  } else {
    auto make = [root = services.project_root, step, feedback] {
      return template_for(root, step, feedback);
    };
    drafted = co_await offload(services.workers, make);
  }
  if (drafted.text.size() > kMaxDraftBytes) {
    co_return fail(OpError(OpError::Kind::Failed,
                           "the draft for '" + std::string(to_string(step)) + "' is " +
                               std::to_string(drafted.text.size()) + " bytes, more than " +
                               std::to_string(kMaxDraftBytes) + " (nothing was written)"));
  }
  auto base = [root = services.project_root, step] { return read_step_target(root, step); };
  auto current = co_await offload(services.workers, base);
  if (!current) co_return fail(OpError(OpError::Kind::Failed, current.error()));
  record_now.state = WizardStepState::Drafted;
  record_now.draft = std::move(drafted.text);
  record_now.source = std::move(drafted.source);
  record_now.base_hash = target_hash(current.value());
  record_now.feedback = feedback;
  record_now.gate.reset();
  record_now.updated_at_ms = wizard_now_ms();
  if (step == WizardStep::Gate) {
    record_now.gate = co_await run_gate_draft(record_now.draft);
  }
  auto saved = co_await save(record_now);
  co_return saved;
}

asio::awaitable<WizardGateRun> WizardOps::Impl::run_gate_draft(const std::string& draft) {
  const auto config = services.config ? services.config() : nullptr;
  const auto script = services.project_root / kGateDraftPath;
  auto place = [script, draft]() -> std::string {
    std::error_code error;
    fs::create_directories(script.parent_path(), error);
    if (auto written = write_file_atomic(script, draft); !written) return written.error().message;
    fs::permissions(script, fs::perms::owner_all, error);
    return error ? error.message() : std::string();
  };
  WizardGateRun run;
  run.draft_hash = content_hash(draft);
  if (auto problem = co_await offload(services.workers, place); !problem.empty()) {
    run.outcome = "could not be written to run: " + problem;
    co_return run;
  }
  engine::GateSpec spec;
  spec.command = std::string(kGateDraftPath);
  spec.cwd = services.project_root;
  if (config) {
    spec.timeout = std::chrono::seconds(config->gate_timeout_secs);
    spec.max_output_bytes = config->limits.command_output_bytes;
    spec.sandbox = agents::command_sandbox(*config);
    // The draft runs in the project root, which a build may write to (never its .git).
    if (spec.sandbox) spec.sandbox->main_checkout_writable = true;
  }
  spec.set_env = {{"STORK_GATE", "wizard"}};
  const asio::any_io_executor here = strand;
  auto result = co_await gate(here, spec);
  auto remove = [script] {
    std::error_code error;
    fs::remove(script, error);
  };
  co_await offload(services.workers, remove);
  run.passed = result.passed;
  run.outcome = result.setup_problem ? *result.setup_problem : result.outcome;
  run.output = result.output_tail;
  co_return run;
}

}  // namespace stork::ops
