#include "api/api_error.hpp"

#include "agents/agent_pool.hpp"
#include "engine/pipeline.hpp"
#include "http/response.hpp"
#include "ops/op_error.hpp"

namespace stork::api {

http::Response to_response(const ApiError& error) {
  return http::Response::error(error.status, error.code, error.message);
}

ApiError invalid_field(std::string_view field, std::string_view problem) {
  return ApiError{400, "invalid_field",
                  "field '" + std::string(field) + "': " + std::string(problem)};
}

ApiError invalid_parameter(std::string_view name, std::string_view problem) {
  return ApiError{400, "invalid_parameter",
                  "parameter '" + std::string(name) + "': " + std::string(problem)};
}

ApiError not_found(std::string message) {
  return ApiError{404, "not_found", std::move(message)};
}

ApiError from_pipeline(const engine::PipelineError& error) {
  using Kind = engine::PipelineError::Kind;
  switch (error.kind) {
    case Kind::NotFound:
      return ApiError{404, "not_found", error.message};
    case Kind::InvalidInput:
      return ApiError{400, "invalid_input", error.message};
    case Kind::WrongStage:
      return ApiError{409, "wrong_stage", error.message};
    case Kind::Busy:
      return ApiError{409, "busy", error.message};
    case Kind::Failed:
      break;
  }
  return ApiError{500, "failed", error.message};
}

ApiError from_op(const ops::OpError& error) {
  using Kind = ops::OpError::Kind;
  switch (error.kind) {
    case Kind::InvalidId:
      // An id in a body field (depends_on) is that field's fault; the path's id is the item's.
      if (!error.field.empty()) return invalid_field(error.field, error.message);
      return ApiError{400, "invalid_id", error.message};
    case Kind::InvalidInput:
      if (!error.field.empty()) return invalid_field(error.field, error.message);
      return ApiError{400, "invalid_input", error.message};
    case Kind::NotFound:
      return ApiError{404, "not_found", error.message};
    case Kind::WrongStage:
      return ApiError{409, "wrong_stage", error.message};
    case Kind::Conflict:
      return ApiError{409, "conflict", error.message};
    case Kind::Busy:
      return ApiError{409, "busy", error.message};
    case Kind::Malformed:
      return ApiError{422, "malformed_item", error.message};
    case Kind::Failed:
      break;
  }
  return ApiError{500, "failed", error.message};
}

http::Response op_failure(const ops::OpError& error) {
  return to_response(from_op(error));
}

ApiError from_pool(const agents::PoolError& error) {
  using Kind = agents::PoolError::Kind;
  switch (error.kind) {
    case Kind::UnknownStory:
      return ApiError{404, "unknown_story", error.message};
    case Kind::UnknownAgent:
      return ApiError{404, "unknown_agent", error.message};
    case Kind::NotFound:
      return ApiError{404, "not_found", error.message};
    case Kind::StageMismatch:
      return ApiError{409, "stage_mismatch", error.message};
    case Kind::Conflict:
      return ApiError{409, "conflict", error.message};
    case Kind::Queued:
      return ApiError{409, "queued", error.message};
    case Kind::Timeout:
      return ApiError{504, "timeout", error.message};
    case Kind::Runtime:
      return ApiError{422, "runtime", error.message};
    case Kind::ShuttingDown:
      return ApiError{503, "shutting_down", error.message};
    case Kind::State:
      break;
  }
  return ApiError{500, "state_error", error.message};
}

}  // namespace stork::api
