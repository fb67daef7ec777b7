// Item look-ups for route handlers, run on the API's worker pool so a directory scan or a
// file read never holds a connection strand. Arguments are references to the caller's named
// values (GCC 12: no temporaries with destructors in a co_await expression).
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "api/api_error.hpp"
#include "api/routes.hpp"

namespace stork::api {

// The full id of the item `text` names (id or number): 400 invalid_id, 404 not_found.
boost::asio::awaitable<ApiResult<std::string>> resolve_story(const ContextPtr& context,
                                                             const std::string& text);

// 200 (or `status`) with the item's detail JSON, read again from its file.
boost::asio::awaitable<http::Response> item_response(const ContextPtr& context,
                                                     const std::string& story,
                                                     unsigned status = 200);

}  // namespace stork::api
