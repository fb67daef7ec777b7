// WizardOps' public operations: each hops onto the wizard's strand, loads the state once,
// refuses while another action is under way, and answers with the whole wizard's status.
#include "ops/wizard_ops.hpp"

#include "base/strand_call.hpp"
#include "ops/wizard_impl.hpp"

namespace stork::ops {
namespace asio = boost::asio;

namespace {

using Action = std::function<asio::awaitable<OpResult<void>>(WizardOps::Impl&)>;

// The action on the strand, between load() and the status it answers with.
asio::awaitable<OpResult<WizardStatus>> run_action(std::shared_ptr<WizardOps::Impl> impl,
                                                   Action action) {
  std::function<asio::awaitable<OpResult<WizardStatus>>()> operation =
      [impl, action]() -> asio::awaitable<OpResult<WizardStatus>> {
    if (auto loaded = co_await impl->load(); !loaded) co_return fail(loaded.error());
    if (impl->busy) {
      co_return fail(OpError(OpError::Kind::Busy,
                             "the wizard is busy with another action (a draft or a gate run)"));
    }
    impl->busy = true;
    auto done = co_await action(*impl);
    impl->busy = false;
    impl->refresh_current();
    if (!done) co_return fail(done.error());
    co_return *impl->state;
  };
  auto result = co_await spawn_on<OpResult<WizardStatus>>(impl->strand, operation);
  co_return result;
}

}  // namespace

WizardOps::WizardOps(const asio::any_io_executor& executor, OpsServices services,
                     WizardDrafter drafter)
    : impl_(std::make_shared<Impl>(executor, std::move(services), std::move(drafter))) {}

WizardOps::~WizardOps() = default;

asio::awaitable<OpResult<WizardStatus>> WizardOps::status() {
  Action nothing = [](Impl&) -> asio::awaitable<OpResult<void>> { co_return OpResult<void>(); };
  return run_action(impl_, nothing);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::generate(std::string step) {
  Action action = [step](Impl& impl) -> asio::awaitable<OpResult<void>> {
    auto which = impl.actionable(step);
    if (!which) co_return fail(which.error());
    const std::string no_feedback;
    auto drafted = co_await impl.draft(*which, no_feedback);
    co_return drafted;
  };
  return run_action(impl_, action);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::retry(std::string step, std::string feedback) {
  Action action = [step, feedback](Impl& impl) -> asio::awaitable<OpResult<void>> {
    auto which = impl.actionable(step);
    if (!which) co_return fail(which.error());
    if (auto drafted = impl.require_draft(*which, "retried"); !drafted)
      co_return fail(drafted.error());
    if (feedback.find_first_not_of(" \t\r\n") == std::string::npos)
      co_return fail(invalid_input("feedback", "a retry needs feedback saying what to change"));
    auto redrafted = co_await impl.draft(*which, feedback);
    co_return redrafted;
  };
  return run_action(impl_, action);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::edit(std::string step, std::string content) {
  Action action = [step, content](Impl& impl) -> asio::awaitable<OpResult<void>> {
    auto which = impl.actionable(step);
    if (!which) co_return fail(which.error());
    if (auto drafted = impl.require_draft(*which, "edited"); !drafted)
      co_return fail(drafted.error());
    auto record = impl.record(*which);
    record.draft = content;
    record.source = "edited";
    record.updated_at_ms = wizard_now_ms();
    if (*which == WizardStep::Gate) {
      record.gate = co_await impl.run_gate_draft(content);
    }
    auto saved = co_await impl.save(record);
    co_return saved;
  };
  return run_action(impl_, action);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::confirm(std::string step, bool overwrite,
                                                           std::optional<std::string> content) {
  Action action = [step, overwrite, content](Impl& impl) -> asio::awaitable<OpResult<void>> {
    auto which = impl.actionable(step);
    if (!which) co_return fail(which.error());
    if (auto drafted = impl.require_draft(*which, "confirmed"); !drafted)
      co_return fail(drafted.error());
    auto written = co_await impl.write_confirmed(*which, overwrite, content);
    if (!written) co_return written;
    auto committed = co_await impl.commit_if_done();
    co_return committed;
  };
  return run_action(impl_, action);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::skip(std::string step) {
  Action action = [step](Impl& impl) -> asio::awaitable<OpResult<void>> {
    auto which = impl.actionable(step);
    if (!which) co_return fail(which.error());
    auto record = impl.record(*which);
    record.state = WizardStepState::Skipped;
    record.updated_at_ms = wizard_now_ms();
    if (auto saved = co_await impl.save(record); !saved) co_return saved;
    impl.refresh_current();
    auto committed = co_await impl.commit_if_done();
    co_return committed;
  };
  return run_action(impl_, action);
}

asio::awaitable<OpResult<WizardStatus>> WizardOps::finish() {
  Action action = [](Impl& impl) -> asio::awaitable<OpResult<void>> {
    if (impl.state->current) {
      co_return fail(
          OpError(OpError::Kind::Conflict, "the wizard is not finished: step '" +
                                               std::string(to_string(*impl.state->current)) +
                                               "' is still to be confirmed or skipped"));
    }
    auto committed = co_await impl.commit_if_done();
    co_return committed;
  };
  return run_action(impl_, action);
}

}  // namespace stork::ops
