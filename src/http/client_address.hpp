// Who is really asking: the peer's address, or, when the peer is a reverse proxy the server
// was told to trust (--trusted-proxy), what its X-Forwarded-For and X-Forwarded-Proto say.
// From anyone else those headers are ignored, so a client cannot pick the address its failed
// logins are counted against. Pure; tested without sockets.
#pragma once

#include <string>
#include <vector>

#include "http/request.hpp"

namespace stork::http {

struct ClientView {
  std::string address;     // "203.0.113.7", "::1"
  bool via_https = false;  // a trusted proxy says the client used https
  bool via_proxy = false;
};

// `request.remote` is "ip:port" or "[v6]:port"; `trusted` holds addresses ("127.0.0.1", "::1").
ClientView client_of(const Request& request, const std::vector<std::string>& trusted);

}  // namespace stork::http
