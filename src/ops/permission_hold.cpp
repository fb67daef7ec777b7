// PermissionOps::Impl on its strand: holding a question with its timeout, answering it once
// (a person, the timeout or a withdrawal, whichever comes first), and the JSON of the events.
#include <chrono>
#include <random>

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include "ops/permission_impl.hpp"

namespace stork::ops {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
constexpr std::size_t kRememberAnswered = 1000;

std::string date_of(std::int64_t ms) {
  return std::to_string((permission_now_ms() - ms) / 1000) + " s ago";
}
}  // namespace

std::int64_t permission_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string new_permission_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string id;
  for (int i = 0; i < 12; ++i)
    id += kHex[device() % 16];
  return id;
}

std::string person_message(const PermissionVerdict& verdict) {
  if (verdict.allow) return {};
  if (!verdict.message.empty()) return "Denied by a person: " + verdict.message;
  return "Denied by a person (no reason given). Do not retry it; continue without it.";
}

json::object request_payload(const PendingPermission& pending) {
  std::error_code ec;
  json::value input = json::parse(pending.question.input_json, ec);
  if (ec) input = pending.question.input_json;
  return json::object{{"id", pending.id},
                      {"tool_name", pending.question.tool_name},
                      {"input", std::move(input)},
                      {"tool_use_id", pending.question.tool_use_id}};
}

json::object decision_payload(const std::string& id, const PermissionAnswer& answer) {
  json::object payload{{"id", id},
                       {"behavior", answer.allow ? "allow" : "deny"},
                       {"decided_by", to_string(answer.decided_by)},
                       {"always", answer.always}};
  if (!answer.message.empty()) payload["message"] = answer.message;
  return payload;
}

PermissionOps::Impl::Impl(const asio::any_io_executor& executor, OpsServices services_in)
    : strand(asio::make_strand(executor)),
      services(std::move(services_in)),
      files(services.workers ? services.workers : executor) {}

void PermissionOps::Impl::enter_rules_lane(std::function<void()> entered) {
  if (!rules_lane_busy_) {
    rules_lane_busy_ = true;
    return entered();
  }
  rules_lane_waiters_.push_back(std::move(entered));
}

void PermissionOps::Impl::leave_rules_lane() {
  if (rules_lane_waiters_.empty()) {
    rules_lane_busy_ = false;
    return;
  }
  auto next = std::move(rules_lane_waiters_.front());
  rules_lane_waiters_.pop_front();
  next();
}

void PermissionOps::Impl::hold(PendingPermission pending) {
  const int timeout_secs = services.config ? services.config()->permission_timeout_secs : 600;
  pending.expires_ms = pending.requested_ms + std::int64_t{timeout_secs} * 1000;
  const std::string id = pending.id;
  auto timer = std::make_unique<asio::steady_timer>(strand, std::chrono::seconds(timeout_secs));
  timer->async_wait([weak = weak_from_this(), id, timeout_secs](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    PermissionAnswer timed_out;
    timed_out.decided_by = DecidedBy::Timeout;
    timed_out.decided_ms = permission_now_ms();
    timed_out.message = "No one answered this permission request within " +
                        std::to_string(timeout_secs) +
                        " s (permission_timeout_secs), so stork denied it. Do not retry it now; "
                        "continue without it, or say in your report that you need it.";
    (void)self->resolve(id, std::move(timed_out));
  });
  auto& entry = held_[id];
  entry.info = std::move(pending);
  entry.timer = std::move(timer);
}

void PermissionOps::Impl::await_answer(const std::string& id, std::optional<std::int64_t> run_id,
                                       Done<PermissionAnswer> done) {
  auto found = held_.find(id);
  if (found == held_.end()) {
    auto answered = answered_.find(id);
    if (answered != answered_.end()) {
      done(answered->second);
      return;
    }
    PermissionAnswer forgotten;  // answered, then pushed out of answered_: never in practice
    forgotten.decided_by = DecidedBy::Withdrawn;
    forgotten.message = "stork lost this permission request's answer; continue without it.";
    forgotten.decided_ms = permission_now_ms();
    done(std::move(forgotten));
    return;
  }
  auto& entry = found->second;
  entry.info.run_id = run_id;
  entry.done = std::move(done);
  spdlog::info("permission {}: {} asks to use {} (item {})", id, entry.info.question.agent,
               entry.info.question.tool_name, entry.info.question.story);
  for (const auto& listener : request_listeners)
    listener(entry.info);
}

OpResult<PermissionAnswer> PermissionOps::Impl::resolve(const std::string& id,
                                                        PermissionAnswer answer) {
  auto found = held_.find(id);
  if (found == held_.end()) {
    auto result = find(id);
    return fail(result ? OpError{OpError::Kind::Failed, "permission request " + id + " vanished"}
                       : result.error());
  }
  Held entry = std::move(found->second);
  held_.erase(found);
  entry.timer->cancel();
  answered_[id] = answer;
  answered_order_.push_back(id);
  if (answered_order_.size() > kRememberAnswered) {
    answered_.erase(answered_order_.front());
    answered_order_.pop_front();
  }
  spdlog::info("permission {}: {} by {}", id, answer.allow ? "allowed" : "denied",
               to_string(answer.decided_by));
  for (const auto& listener : resolved_listeners)
    listener(id, answer);
  if (entry.done) entry.done(answer);  // else await_answer() finds it in answered_
  return answer;
}

OpResult<PendingPermission> PermissionOps::Impl::find(const std::string& id) const {
  if (auto found = held_.find(id); found != held_.end()) return found->second.info;
  if (auto done = answered_.find(id); done != answered_.end()) {
    const auto& answer = done->second;
    std::string how = answer.decided_by == DecidedBy::Timeout     ? "timed out"
                      : answer.decided_by == DecidedBy::Withdrawn ? "was withdrawn"
                      : answer.allow                              ? "was already allowed"
                                                                  : "was already denied";
    return fail(OpError{OpError::Kind::Conflict, "permission request " + id + " " + how + " (" +
                                                     date_of(answer.decided_ms) +
                                                     "); nothing is waiting for an answer"});
  }
  OpError error{OpError::Kind::NotFound,
                "no permission request " + id + " (GET /api/permissions lists the pending ones)"};
  error.field = "id";
  return fail(std::move(error));
}

std::vector<PendingPermission> PermissionOps::Impl::list() const {
  std::vector<PendingPermission> out;
  for (const auto& [id, entry] : held_)
    out.push_back(entry.info);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.requested_ms < b.requested_ms; });
  return out;
}

}  // namespace stork::ops
