// The full id of the item a request names, looked up on the API's worker pool so a directory
// scan never holds a connection strand. Arguments are references to the caller's named values
// (GCC 12: no temporaries with destructors in a co_await expression).
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "api/api_error.hpp"
#include "api/routes.hpp"

namespace stork::api {

// The full id of the item `text` names (id or number): 400 invalid_id, 404 not_found.
boost::asio::awaitable<ApiResult<std::string>> resolve_story(const ContextPtr& context,
                                                             const std::string& text);

}  // namespace stork::api
