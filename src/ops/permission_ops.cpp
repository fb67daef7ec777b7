// PermissionOps: the asking side (ask: policy, rules, mode, then hold) and the public
// functions; the strand's bookkeeping of held questions is permission_hold.cpp.
#include "ops/permission_ops.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/chat_agent.hpp"
#include "base/offload.hpp"
#include "base/strand_call.hpp"
#include "ops/permission_impl.hpp"
#include "ops/permission_rules.hpp"
#include "state/project_chat_store.hpp"

namespace stork::ops {
namespace asio = boost::asio;
namespace json = boost::json;

std::string_view to_string(DecidedBy by) {
  switch (by) {
    case DecidedBy::Policy:
      return "policy";
    case DecidedBy::Mode:
      return "mode";
    case DecidedBy::Rule:
      return "rule";
    case DecidedBy::Person:
      return "person";
    case DecidedBy::Timeout:
      return "timeout";
    case DecidedBy::Withdrawn:
      return "withdrawn";
  }
  return "mode";
}

namespace {

PermissionAnswer answer(bool allow, DecidedBy by, std::string message = {}) {
  PermissionAnswer out;
  out.allow = allow;
  out.decided_by = by;
  out.message = std::move(message);
  out.decided_ms = permission_now_ms();
  return out;
}

std::string rule_message(const PermissionRule& rule) {
  if (!rule.message.empty()) return rule.message;
  return "A standing rule of " + std::string(kPermissionRulesFile) + " (line " +
         std::to_string(rule.line) + ") denies " + rule.tool + " with this input for " +
         rule.agent + ". Do not retry it; continue without it.";
}

}  // namespace

PermissionSubject subject_of(const PermissionQuestion& question) {
  PermissionSubject subject{question.agent, question.tool_name, question.input_json, {}};
  if (question.tool_name != "Bash") return subject;
  std::error_code ec;
  auto input = json::parse(question.input_json, ec);
  const auto* object = ec ? nullptr : input.if_object();
  const auto* command = object != nullptr ? object->if_contains("command") : nullptr;
  if (command != nullptr && command->is_string())
    subject.command = std::string(command->get_string());
  return subject;
}

// What policy, rules and mode say without a person; none: hold the question (mode "ask").
asio::awaitable<std::optional<PermissionAnswer>> PermissionOps::Impl::immediate_answer(
    PendingPermission& pending) {
  const PermissionQuestion& question = pending.question;
  if (question.policy_refusal) {
    co_return answer(false, DecidedBy::Policy, "stork " + *question.policy_refusal);
  }
  std::optional<PermissionMode> mode;
  if (auto config = services.config ? services.config() : nullptr) {
    if (const auto* agent = config->find_agent(question.agent)) mode = agent->permission_mode;
  }
  // The project chat's agent runs in the main checkout: its questions are never answered
  // "allow" unasked (agents/chat_agent.hpp).
  if (state::is_chat_story(question.story)) mode = agents::chat_permission_mode(mode);
  const auto file = services.project_root / kPermissionRulesFile;
  auto load = [file] { return load_permission_rules(file); };
  auto rules = co_await offload(files, load);
  if (rules) {
    const auto subject = subject_of(question);
    if (const auto* rule = find_rule(*rules, subject)) {
      co_return answer(rule->allow, DecidedBy::Rule, rule->allow ? "" : rule_message(*rule));
    }
  } else {
    pending.rules_error = rules.error().message;
    spdlog::warn("permissions: {}", pending.rules_error);
  }
  if (!mode || *mode == PermissionMode::Allow) co_return answer(true, DecidedBy::Mode);
  if (*mode == PermissionMode::Deny) {
    co_return answer(false, DecidedBy::Mode,
                     "stork: agent " + question.agent +
                         " runs with permission_mode = \"deny\", so " + question.tool_name +
                         " may not be used here. Continue without it.");
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<std::int64_t>> PermissionOps::Impl::record(
    const PermissionQuestion& question, const char* type, const std::string& payload) {
  if (services.pool == nullptr || question.agent.empty() || question.story.empty())
    co_return std::nullopt;
  auto recording = services.pool->record_event(question.story, question.agent, type, payload);
  auto recorded = co_await std::move(recording);
  if (!recorded) co_return std::nullopt;
  co_return *recorded;
}

PermissionOps::PermissionOps(const asio::any_io_executor& executor, OpsServices services)
    : impl_(std::make_shared<Impl>(executor, std::move(services))) {}

PermissionOps::~PermissionOps() = default;

asio::awaitable<PermissionAnswer> PermissionOps::ask(PermissionQuestion question,
                                                     asio::cancellation_slot cancel) {
  auto impl = impl_;
  PendingPermission pending;
  pending.id = new_permission_id();
  pending.question = std::move(question);
  pending.requested_ms = permission_now_ms();
  const std::string request = json::serialize(request_payload(pending));
  auto immediate = co_await impl->immediate_answer(pending);
  PermissionAnswer result;
  if (immediate) {
    pending.run_id =
        co_await impl->record(pending.question, agents::event_type::kPermissionRequest, request);
    result = std::move(*immediate);
  } else {
    // Named first, then awaited: GCC 12 mishandles a lambda capture inside a co_await.
    auto hold = call_on_void(impl->strand, [impl, pending](std::function<void()> held) {
      impl->hold(pending);
      held();
    });
    co_await std::move(hold);
    if (cancel.is_connected()) {
      cancel.assign([weak = std::weak_ptr<Impl>(impl), id = pending.id](asio::cancellation_type) {
        if (auto alive = weak.lock()) {
          asio::post(alive->strand, [alive, id] {
            (void)alive->resolve(id, answer(false, DecidedBy::Withdrawn, "the agent went away"));
          });
        }
      });
    }
    pending.run_id =
        co_await impl->record(pending.question, agents::event_type::kPermissionRequest, request);
    auto answered = call_on<PermissionAnswer>(
        impl->strand, [impl, id = pending.id, run = pending.run_id](Done<PermissionAnswer> done) {
          impl->await_answer(id, run, std::move(done));
        });
    result = co_await std::move(answered);
    if (cancel.is_connected()) cancel.clear();
  }
  const std::string decision = json::serialize(decision_payload(pending.id, result));
  co_await impl->record(pending.question, agents::event_type::kPermissionDecision, decision);
  co_return result;
}

asio::awaitable<std::vector<PendingPermission>> PermissionOps::pending() {
  return call_on<std::vector<PendingPermission>>(
      impl_->strand,
      [impl = impl_](Done<std::vector<PendingPermission>> done) { done(impl->list()); });
}

asio::awaitable<OpResult<PermissionAnswer>> PermissionOps::decide(std::string id,
                                                                  PermissionVerdict verdict) {
  auto impl = impl_;
  auto lookup = call_on<OpResult<PendingPermission>>(
      impl->strand, [impl, id](Done<OpResult<PendingPermission>> done) { done(impl->find(id)); });
  auto held = co_await std::move(lookup);
  if (!held) co_return fail(held.error());
  PermissionAnswer given = answer(verdict.allow, DecidedBy::Person, person_message(verdict));
  if (verdict.always) {
    const auto file = impl->services.project_root / kPermissionRulesFile;
    const auto rule = exact_rule(subject_of(held->question), verdict.allow, given.message);
    auto save = [file, rule] { return append_permission_rule(file, rule); };
    auto enter = call_on_void(impl->strand, [impl](std::function<void()> entered) {
      impl->enter_rules_lane(std::move(entered));
    });
    co_await std::move(enter);
    auto saved = co_await offload(impl->files, save);
    asio::post(impl->strand, [impl] { impl->leave_rules_lane(); });
    if (!saved) co_return fail(saved.error());
    given.always = true;
  }
  auto apply = call_on<OpResult<PermissionAnswer>>(
      impl->strand,
      [impl, id, given](Done<OpResult<PermissionAnswer>> done) { done(impl->resolve(id, given)); });
  co_return co_await std::move(apply);
}

void PermissionOps::on_request(std::function<void(const PendingPermission&)> listener) {
  asio::dispatch(impl_->strand, [impl = impl_, listener = std::move(listener)]() mutable {
    impl->request_listeners.push_back(std::move(listener));
  });
}

void PermissionOps::on_resolved(
    std::function<void(const std::string&, const PermissionAnswer&)> listener) {
  asio::dispatch(impl_->strand, [impl = impl_, listener = std::move(listener)]() mutable {
    impl->resolved_listeners.push_back(std::move(listener));
  });
}

}  // namespace stork::ops
