// AgentOps: starting and stopping an agent on an item, once, for REST, MCP, the CLI and chat.
// The item is resolved through the files first (an id or a number, checked before any path),
// then the pool decides. A refusal is typed: why the item could not be found (OpError) or why
// the pool said no (PoolError, with its facts); each surface renders it at its edge.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "agents/agent_pool.hpp"
#include "ops/item_ops.hpp"

namespace stork::ops {

struct AgentOpError {
  std::variant<OpError, agents::PoolError> cause;
};

// What reset() did to an item: the runs it stopped, whether a worktree was removed, the stage
// the item left (Backlog when it was there already).
struct ResetOutcome {
  std::string story;
  std::vector<std::string> stopped_agents;
  bool worktree_removed = false;
  Stage from = Stage::Backlog;
};

template <class T>
using AgentOpResult = Result<T, AgentOpError>;

class AgentOps {
 public:
  explicit AgentOps(ItemOps& items) : items_(items) {}

  // Without `agent` the pool picks a free coder (honouring the item's preferred agent).
  boost::asio::awaitable<AgentOpResult<agents::AgentInfo>> start(std::string story,
                                                                 std::optional<std::string> agent);
  boost::asio::awaitable<AgentOpResult<agents::AgentInfo>> stop(std::string story,
                                                                std::string agent);
  // Puts an item back to the start: stops every active run on it, removes its worktree and
  // branch (the components' teardown runs), clears a block and moves it to 1_backlog.
  // (reset_op.cpp)
  boost::asio::awaitable<AgentOpResult<ResetOutcome>> reset(std::string story);

 private:
  ItemOps& items_;
};

}  // namespace stork::ops
