#include "agents/runtime/api_runtime.hpp"

#include "agents/api/api_run.hpp"
#include "agents/api/model_protocol.hpp"

namespace stork::agents {

Result<std::shared_ptr<RuntimeRun>, RuntimeError> OpenAiRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  return api::start_api_run(api::make_openai_protocol(), context, executor, std::move(observer));
}

Result<std::shared_ptr<RuntimeRun>, RuntimeError> GeminiRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  return api::start_api_run(api::make_gemini_protocol(), context, executor, std::move(observer));
}

}  // namespace stork::agents
