// MessageOps: a person's message to an agent, once, for REST (POST /api/runs/{run}/messages),
// the CLI (`stork agent say`), the board and chat. It checks the text, finds the run (by id, or
// the live run of an item, optionally of one agent) and hands it to the pool, which delivers it
// into the live session or keeps it for the agent's next start (AgentPool::say). The receipt
// says which; a refusal is an OpError (bad text, unknown or finished run) or the pool's error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "ops/agent_ops.hpp"

namespace stork::ops {

struct MessageReceipt {
  std::string story_id;
  std::string agent;
  std::int64_t run_id = 0;
  bool live = false;          // the running agent reads it in this run
  std::string queued_reason;  // not live: why it waits for the agent's next start on the item
};

class MessageOps {
 public:
  // Longer messages are refused (a message is words for an agent, not a file).
  static constexpr std::size_t kMaxTextBytes = std::size_t{16} * 1024;

  explicit MessageOps(ItemOps& items) : items_(items) {}

  // To run `run_id`. Refused: InvalidInput (field "text": empty, too long, not UTF-8),
  // NotFound (field "run": no such run), Conflict (field "run": the run is over, or a newer run
  // of its agent on its item has replaced it).
  boost::asio::awaitable<AgentOpResult<MessageReceipt>> say_to_run(std::int64_t run_id,
                                                                   std::string text);
  // To `agent` on `story`; without `agent`, to the one agent with a live run on the item
  // (NotFound when there is none, Conflict with field "agent" when there are several). An
  // agent whose last run on the item is over gets the message at its next start.
  boost::asio::awaitable<AgentOpResult<MessageReceipt>> say(std::string story,
                                                            std::optional<std::string> agent,
                                                            std::string text);

 private:
  boost::asio::awaitable<AgentOpResult<MessageReceipt>> deliver(std::string story,
                                                                std::string agent,
                                                                std::string text);
  ItemOps& items_;
};

// The checks on a message's text alone (exposed for the adapters' tests).
std::optional<OpError> check_message_text(const std::string& text);

}  // namespace stork::ops
