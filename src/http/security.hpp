// The checks every request passes before routing (HTTP and WebSocket upgrades alike): the
// bearer token when one is configured, and DNS-rebinding protection on Host and Origin. Pure
// functions of the request, so they are tested without sockets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace stork::http {

struct SecurityPolicy {
  std::optional<std::string> token;         // required as "Authorization: Bearer <token>"
  std::vector<std::string> allowed_hosts;   // besides localhost, 127.0.0.1 and [::1]
  bool token_in_query = false;              // WebSocket: browsers cannot set headers
  std::optional<std::string> viewer_token;  // a read-only login: every write gets 403
};

// Compares in time that depends only on the lengths, not on where the texts differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// `authorization`: the header's value, e.g. "Bearer abc" (scheme case-insensitive).
bool bearer_token_matches(std::string_view authorization, std::string_view token);

// `host`: a Host header ("localhost:3000", "[::1]:3000"); any port.
bool host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts);

// `origin`: an Origin header ("http://localhost:5173"); http or https, any port.
bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed_hosts);

// 403 forbidden_host / forbidden_origin, 401 (with WWW-Authenticate: Bearer), 403 read_only
// for a viewer's write, or nothing. check_access (access_check.hpp) is the whole decision,
// sessions included; this is it without sessions.
std::optional<Response> check_request(const Request& request, const SecurityPolicy& policy);

}  // namespace stork::http
