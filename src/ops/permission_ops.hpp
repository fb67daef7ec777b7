// PermissionOps: the permission questions of agents (Claude Code's --permission-prompt-tool,
// and later ACP's request_permission), answered once for every surface. A question is answered
// at once by stork's command policy, the agent's permission_mode or a rule of
// .storkit/permissions.toml; otherwise (mode "ask") it is held until a person decides (REST,
// CLI, board, chat) or permission_timeout_secs passes, which denies it with a reason the agent
// reads. The asking coroutine is suspended meanwhile; no thread waits. Every question and
// every answer is an event of the asking agent's run (when it has one).
//
// All state lives on one strand; every public function may be called from any coroutine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include "ops/op_error.hpp"
#include "ops/ops_services.hpp"

namespace stork::ops {

struct PermissionQuestion {
  std::string agent;  // who asks (empty: not one of stork's agents)
  std::string story;  // the item it works on (full id; may be empty)
  std::string tool_name;
  std::string input_json;  // the tool's input, a JSON object's text
  std::string tool_use_id;
  // What stork's command policy says: a reason set here denies the question in every mode.
  std::optional<std::string> policy_refusal;
};

// Who or what answered.
enum class DecidedBy { Policy, Mode, Rule, Person, Timeout, Withdrawn };
std::string_view to_string(DecidedBy by);

struct PermissionAnswer {
  bool allow = false;
  std::string message;  // for a deny: what the agent reads
  DecidedBy decided_by = DecidedBy::Mode;
  bool always = false;  // a person's answer that was also saved as a rule
  std::int64_t decided_ms = 0;
};

// A question waiting for a person.
struct PendingPermission {
  std::string id;
  PermissionQuestion question;
  std::int64_t requested_ms = 0;
  std::int64_t expires_ms = 0;
  std::optional<std::int64_t> run_id;  // the asking agent's run, when it has one
  std::string rules_error;             // .storkit/permissions.toml could not be read: why
};

// What a person says.
struct PermissionVerdict {
  bool allow = false;
  bool always = false;  // also save it as a rule for this agent (exact command or input)
  std::string message;  // deny: the reason the agent reads (a default when empty)
};

class PermissionOps {
 public:
  PermissionOps(const boost::asio::any_io_executor& executor, OpsServices services);
  ~PermissionOps();
  PermissionOps(const PermissionOps&) = delete;
  PermissionOps& operator=(const PermissionOps&) = delete;

  // The answer to `question`, at once or when a person or the timeout gives it. When `cancel`
  // is connected and emitted (the agent went away), a held question is withdrawn (denied).
  boost::asio::awaitable<PermissionAnswer> ask(PermissionQuestion question,
                                               boost::asio::cancellation_slot cancel = {});

  // The questions waiting for a person, oldest first.
  boost::asio::awaitable<std::vector<PendingPermission>> pending();

  // A person's answer to the question `id`. NotFound: no such question (field "id");
  // Conflict: it was answered already or timed out (the message says how and when);
  // Malformed/Failed: `always` could not be saved to .storkit/permissions.toml (the question
  // stays pending, nothing is lost).
  boost::asio::awaitable<OpResult<PermissionAnswer>> decide(std::string id,
                                                            PermissionVerdict verdict);

  // The hook for notifications (`permission_request`) and anything else that must tell a
  // person: called on the strand, once per question held for a person, just after its request
  // event (pending() lists it from before that event). A question answered in that moment is
  // not announced. Listeners must not block. May be called from any thread.
  void on_request(std::function<void(const PendingPermission&)> listener);
  // Called on the strand whenever a held question is answered (by a person, the timeout or a
  // withdrawal), with its id.
  void on_resolved(std::function<void(const std::string& id, const PermissionAnswer&)> listener);

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::ops
