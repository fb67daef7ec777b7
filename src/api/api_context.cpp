#include "api/api_context.hpp"

namespace stork::api {

ApiContext::ApiContext(ApiServices services, std::size_t worker_threads)
    : services_(std::move(services)), workers_(worker_threads) {}

ApiContext::~ApiContext() {
  workers_.join();
}

ApiError ApiContext::state_error(const state::StateError& error) {
  return ApiError{500, "state_error", error.message};
}

}  // namespace stork::api
