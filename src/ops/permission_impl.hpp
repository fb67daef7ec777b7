// The inside of PermissionOps (private to ops/): the held questions on the strand, each with
// its timeout timer and the continuation of the coroutine that asked; the recently answered
// ones (so a late answer is a Conflict, not a NotFound); the lane that lets one append to the
// rules file run at a time (reads need none: appends replace the file atomically).
#pragma once

#include <deque>
#include <map>
#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>

#include "base/strand_call.hpp"
#include "ops/permission_ops.hpp"
#include "ops/permission_rules.hpp"

namespace stork::ops {

std::int64_t permission_now_ms();
std::string new_permission_id();  // 12 random hex digits
PermissionSubject subject_of(const PermissionQuestion& question);
std::string person_message(const PermissionVerdict& verdict);
boost::json::object request_payload(const PendingPermission& pending);
boost::json::object decision_payload(const std::string& id, const PermissionAnswer& answer);

class PermissionOps::Impl : public std::enable_shared_from_this<PermissionOps::Impl> {
 public:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;
  Impl(const boost::asio::any_io_executor& executor, OpsServices services_in);

  // Off the strand (they await), called by ask().
  boost::asio::awaitable<std::optional<PermissionAnswer>> immediate_answer(
      PendingPermission& pending);
  boost::asio::awaitable<std::optional<std::int64_t>> record(const PermissionQuestion& question,
                                                             const char* type,
                                                             const std::string& payload);

  // On the strand.
  // A held question is listed (pending(), GET /api/permissions) from hold() on, before its
  // request event tells anyone it exists: a board that reads the list when told finds it.
  // await_answer() then names its run, announces it to the listeners and gives the answer to
  // `done`: at once when it was answered in between (a person, the timeout, a withdrawal).
  void hold(PendingPermission pending);
  void await_answer(const std::string& id, std::optional<std::int64_t> run_id,
                    Done<PermissionAnswer> done);
  OpResult<PermissionAnswer> resolve(const std::string& id, PermissionAnswer answer);
  OpResult<PendingPermission> find(const std::string& id) const;
  std::vector<PendingPermission> list() const;

  // Enters the rules file's lane (`entered` runs on the strand when it is this caller's turn);
  // leave_rules_lane() lets the next one in.
  void enter_rules_lane(std::function<void()> entered);
  void leave_rules_lane();

  Strand strand;
  OpsServices services;
  // Where file work runs: the app's shared workers (the io executor only when a test gives none).
  // Not a strand of the workers: the pool may be gone before the last copy of this is.
  boost::asio::any_io_executor files;
  std::vector<std::function<void(const PendingPermission&)>> request_listeners;
  std::vector<std::function<void(const std::string&, const PermissionAnswer&)>> resolved_listeners;

 private:
  struct Held {
    PendingPermission info;
    Done<PermissionAnswer> done;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  std::map<std::string, Held> held_;
  std::map<std::string, PermissionAnswer> answered_;
  std::deque<std::string> answered_order_;  // oldest first, at most kRememberAnswered
  bool rules_lane_busy_ = false;
  std::deque<std::function<void()>> rules_lane_waiters_;
};

}  // namespace stork::ops
