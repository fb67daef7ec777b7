#include "ops/agent_ops.hpp"

namespace stork::ops {
namespace asio = boost::asio;

asio::awaitable<AgentOpResult<agents::AgentInfo>> AgentOps::start(
    std::string story, std::optional<std::string> agent) {
  auto id = co_await items_.resolve(story);
  if (!id.ok()) co_return fail(AgentOpError{id.error()});
  agents::StartRequest request;
  request.story = id.value();
  request.agent = std::move(agent);
  auto started = co_await items_.services().pool->start_agent(request);
  if (!started.ok()) co_return fail(AgentOpError{started.error()});
  co_return std::move(started.value());
}

asio::awaitable<AgentOpResult<agents::AgentInfo>> AgentOps::stop(std::string story,
                                                                 std::string agent) {
  auto id = co_await items_.resolve(story);
  if (!id.ok()) co_return fail(AgentOpError{id.error()});
  auto stopped = co_await items_.services().pool->stop_agent(id.value(), agent);
  if (!stopped.ok()) co_return fail(AgentOpError{stopped.error()});
  co_return std::move(stopped.value());
}

}  // namespace stork::ops
