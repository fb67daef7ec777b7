// ApiError: how a REST handler says no. Every failure becomes the server's JSON error shape
// ({"error":{"code","message"}}) with a status that tells the client whose fault it is: 4xx for
// anything the request got wrong (never 500 for bad input), 409 when the item or agent is not in
// a state that allows the operation, 5xx only when git, the disk or the database failed.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace stork::agents {
struct PoolError;
}
namespace stork::engine {
struct PipelineError;
}
namespace stork::http {
struct Response;
}
namespace stork::ops {
struct OpError;
}

namespace stork::api {

struct ApiError {
  unsigned status = 400;
  std::string code;  // invalid_json, invalid_field, invalid_id, not_found, conflict, ...
  std::string message;
};

template <class T>
using ApiResult = Result<T, ApiError>;

http::Response to_response(const ApiError& error);

// 400 invalid_field: "field 'name': expected a string".
ApiError invalid_field(std::string_view field, std::string_view problem);
// 400 invalid_parameter: a query parameter ("parameter 'limit': expected ...").
ApiError invalid_parameter(std::string_view name, std::string_view problem);
ApiError not_found(std::string message);

// NotFound → 404, InvalidInput → 400, WrongStage and Busy → 409, Failed → 500.
ApiError from_pipeline(const engine::PipelineError& error);
// InvalidId → 400 invalid_id (invalid_field when the id came in a body field); InvalidInput → 400
// invalid_field ("field 'x': ...") when it names a field, else invalid_input; NotFound → 404;
// WrongStage → 409 wrong_stage; Conflict → 409 conflict; Busy → 409 busy; Malformed → 422
// malformed_item; Failed → 500.
ApiError from_op(const ops::OpError& error);
// to_response(from_op(error)).
http::Response op_failure(const ops::OpError& error);

// UnknownStory, UnknownAgent, NotFound → 404; StageMismatch, Conflict, Queued → 409;
// Timeout → 504; Runtime → 422; ShuttingDown → 503; State → 500.
ApiError from_pool(const agents::PoolError& error);

}  // namespace stork::api
