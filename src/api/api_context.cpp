#include "api/api_context.hpp"

namespace stork::api {

ApiContext::ApiContext(ApiServices services) : services_(std::move(services)) {}

ApiContext::~ApiContext() = default;

ApiError ApiContext::state_error(const state::StateError& error) {
  return ApiError{500, "state_error", error.message};
}

}  // namespace stork::api
