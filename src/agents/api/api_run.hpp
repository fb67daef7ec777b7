// An API run: the model loop of the openai and gemini runtimes as one coroutine on the run's
// executor (the pool's strand). Only the blocking HTTP transfer and the conversation's storage
// go to the worker executor (LaunchContext::workers); tool calls are awaited from the ToolHost.
// stop() and kill() end a transfer in progress (curl's progress callback), a backoff wait or a
// tool call at once; both may be called from any thread. Internal to the agents module.
#pragma once

#include <memory>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents::api {

// `executor` must run one handler at a time (a strand or a one-thread io_context): the run's
// state is touched there only. A transfer holds one worker thread for as long as its answer
// streams (minutes for a long answer): the workers bound how many API runs talk at once.
Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_api_run(
    std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
    const boost::asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer);

}  // namespace stork::agents::api
