// ToolBridge: an API run's tool calls through the ToolHost, each one co_await. The answer is
// the host's (cut at 100 KB), an error result the model can act on (arguments that are not a
// JSON object, no tool host), or "stopped" as soon as cancel() is called (a late answer of the
// host is dropped). call() and cancel() run on the run's executor; the host answers on any thread.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/tool_host.hpp"

namespace stork::agents::api {

class ToolBridge {
 public:
  ToolBridge(std::shared_ptr<ToolHost> host, ToolCaller caller)
      : host_(std::move(host)), caller_(std::move(caller)) {}

  std::vector<ToolSpec> tools() const;
  boost::asio::awaitable<ToolCallResult> call(const ToolCallRequest& request);
  // Answers the call in progress, and every later one, with a "stopped" error result.
  void cancel();

 private:
  struct Pending;
  boost::asio::awaitable<ToolCallResult> ask_host(const ToolCallRequest& request);

  std::shared_ptr<ToolHost> host_;
  ToolCaller caller_;
  std::shared_ptr<Pending> pending_;  // the call in progress
  bool cancelled_ = false;
};

}  // namespace stork::agents::api
