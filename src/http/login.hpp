// The board's login, answered by the server itself: GET /login (the page), GET /login?token=
// (the one-time link `stork serve` prints: exchanged for a session cookie, then redirected to
// "/" so the token leaves the address bar), POST /login {"token": ...} (the page's form),
// and POST /logout. Failed attempts count against the client's address (LoginLimiter); with its
// bucket empty the answer is 429 with Retry-After. Docs: docs/remote.md.
#pragma once

#include <string>

#include "http/login_limiter.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/security.hpp"
#include "http/session_store.hpp"

namespace stork::http {

struct LoginContext {
  const SecurityPolicy& policy;
  SessionStore& sessions;
  LoginLimiter& limiter;
  std::string client;   // the address failures are counted against
  bool secure = false;  // served over TLS (directly or by a trusted proxy): Secure cookies
};

Response answer_login(const Request& request, LoginContext& context);

// The login page; `message` (plain text, escaped here) is shown above the form.
Response login_page(unsigned status, const std::string& message);

}  // namespace stork::http
