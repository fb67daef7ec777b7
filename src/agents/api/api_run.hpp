// An API run: the model loop of the openai and gemini runtimes on a thread of its own (HTTP
// with libcurl blocks; tool calls are handed to the ToolHost and awaited), reporting to its
// RunObserver through the executor like a process run. stop() and kill() abort the request in
// progress and any wait at once. Internal to the agents module; see api_runtime.hpp.
#pragma once

#include <memory>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents::api {

Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_api_run(
    std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
    const boost::asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer);

}  // namespace stork::agents::api
