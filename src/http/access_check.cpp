#include "http/access_check.hpp"

#include <algorithm>
#include <cctype>

namespace stork::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_read(const Request& request) {
  return request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  return path == prefix ||
         (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

// A page a browser navigates to (the board's routes), not an API call, an asset or a probe.
bool is_page_request(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  if (request.header("accept").find("text/html") == std::string::npos) return false;
  for (std::string_view api : {"/api", "/mcp", "/ws", "/healthz", "/metrics", "/assets"}) {
    if (starts_with_segment(request.path, api)) return false;
  }
  return true;
}

bool is_server_login_path(const Request& request) {
  return request.path == "/login" || request.path == "/logout";
}

Verdict refuse(Response response) {
  Verdict verdict;
  verdict.kind = Verdict::Kind::Refuse;
  verdict.response = std::move(response);
  return verdict;
}

Response unauthorized() {
  Response response =
      Response::error(401, "unauthorized",
                      "a valid bearer token is required (people: log in to the board at /login)");
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Access token_access(std::string_view presented, const SecurityPolicy& policy) {
  // Both compared whatever the first says, so the time does not tell which one matched.
  bool admin = constant_time_equal(presented, *policy.token);
  bool viewer = policy.viewer_token && constant_time_equal(presented, *policy.viewer_token);
  if (admin) return Access::Admin;
  return viewer ? Access::Viewer : Access::None;
}

// What the credentials allow; `presented` is set when a token (not a cookie) was offered.
Access credentials(const Request& request, const SecurityPolicy& policy,
                   const SessionStore* sessions, bool websocket, bool& presented, bool& cookie) {
  const std::string authorization = request.header("authorization");
  if (!authorization.empty()) {
    presented = true;
    std::string_view token = authorization;
    if (token.size() > 7 && iequals(token.substr(0, 7), "bearer ")) {
      token.remove_prefix(7);
      while (!token.empty() && token.front() == ' ')
        token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ')
        token.remove_suffix(1);
      return token_access(token, policy);
    }
    return Access::None;
  }
  if (websocket) {
    if (auto query = request.query.find("token"); query != request.query.end()) {
      presented = true;
      return token_access(query->second, policy);
    }
  }
  const std::string session = cookie_value(request.header("cookie"), kSessionCookie);
  if (!session.empty() && sessions != nullptr) {
    Access access = sessions->find(session);
    cookie = access != Access::None;
    return access;
  }
  return Access::None;
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ')
      pair.remove_prefix(1);
    auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      std::string_view value = pair.substr(equals + 1);
      while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

bool same_origin(std::string_view origin, std::string_view host) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() > scheme.size() && iequals(origin.substr(0, scheme.size()), scheme))
      return !host.empty() && iequals(origin.substr(scheme.size()), host);
  }
  return false;
}

Verdict check_access(const Request& request, const SecurityPolicy& policy,
                     const SessionStore* sessions, bool websocket) {
  const std::string host = request.header("host");
  if (!host_allowed(host, policy.allowed_hosts))
    return refuse(Response::error(403, "forbidden_host", "Host '" + host + "' is not this server"));
  auto origin = request.headers.find("origin");
  if (origin != request.headers.end() && !origin_allowed(origin->second, policy.allowed_hosts)) {
    return refuse(Response::error(403, "forbidden_origin",
                                  "Origin '" + origin->second + "' may not call this server"));
  }
  Verdict verdict;
  if (is_server_login_path(request)) {
    verdict.kind = Verdict::Kind::Login;
    return verdict;
  }
  if (!policy.token) {
    verdict.kind = Verdict::Kind::Pass;
    verdict.access = Access::Admin;
    return verdict;
  }
  bool presented = false;
  bool cookie = false;
  verdict.access = credentials(request, policy, sessions, websocket, presented, cookie);
  verdict.via_cookie = cookie;
  if (verdict.access == Access::None) {
    verdict.bad_token = presented;
    if (!presented && is_page_request(request)) {
      verdict.kind = Verdict::Kind::LoginPage;
      return verdict;
    }
    Verdict refused = refuse(unauthorized());
    refused.bad_token = presented;
    return refused;
  }
  // A cookie comes with every request the browser makes, whichever site asked for it:
  // anything but a plain read must come from the board's own pages (CSRF).
  if (cookie && (websocket || !is_read(request)) &&
      (origin == request.headers.end() || !same_origin(origin->second, host))) {
    return refuse(Response::error(
        403, "cross_site",
        "a request made with the board's session cookie must come from the board itself "
        "(its Origin must match the Host)"));
  }
  if (verdict.access == Access::Viewer && !is_read(request)) {
    return refuse(Response::error(403, "read_only",
                                  "this login can watch the board but not act: " + request.method +
                                      " " + request.path + " needs the admin token"));
  }
  verdict.kind = Verdict::Kind::Pass;
  return verdict;
}

std::optional<Response> check_request(const Request& request, const SecurityPolicy& policy) {
  Verdict verdict = check_access(request, policy, nullptr, policy.token_in_query);
  if (verdict.kind == Verdict::Kind::Refuse) return std::move(verdict.response);
  if (verdict.kind == Verdict::Kind::LoginPage) return unauthorized();
  return std::nullopt;
}

}  // namespace stork::http
