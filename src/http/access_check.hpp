// check_access: who may do what, decided for every request (HTTP and WebSocket upgrades
// alike) before routing. In order: DNS-rebinding protection (Host and Origin must name this
// server), then the credentials — the bearer token (admin), the viewer token (watch only), or a
// board session cookie (SessionStore) — then, for a cookie, a same-origin check on anything
// that is not a plain read (CSRF), and for a viewer a refusal of every write. A browser that
// arrives without credentials is shown the login page; /login and /logout are answered by
// the server itself (login.hpp). Pure apart from the session lookup; tested without sockets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/security.hpp"
#include "http/session_store.hpp"

namespace stork::http {

inline constexpr std::string_view kSessionCookie = "stork_session";

struct Verdict {
  enum class Kind {
    Pass,       // route it
    Refuse,     // answer `response`
    LoginPage,  // a browser without credentials: the login page
    Login,      // /login, /logout: the server's own (login.hpp)
  };
  Kind kind = Kind::Refuse;
  Access access = Access::None;
  bool via_cookie = false;
  // A bearer token was presented and was wrong (the login limiter counts these).
  bool bad_token = false;
  Response response;
};

// `sessions` may be null (no cookie is then valid). `websocket`: an upgrade to a WebSocket
// handler (the token may then come in the query, and a cookie needs a matching Origin).
Verdict check_access(const Request& request, const SecurityPolicy& policy,
                     const SessionStore* sessions, bool websocket);

// The value of cookie `name` in a Cookie header ("a=1; stork_session=..."), or "".
std::string cookie_value(std::string_view header, std::string_view name);

// True when `origin` ("https://box:3000") names the same host and port as `host` ("box:3000").
bool same_origin(std::string_view origin, std::string_view host);

}  // namespace stork::http
