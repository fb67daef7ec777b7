#include "http/login.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/access_check.hpp"

namespace stork::http {
namespace json = boost::json;

namespace {

std::string session_cookie(const std::string& id, long long max_age, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + id +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

std::optional<Response> throttled(LoginContext& context, bool page) {
  auto wait = context.limiter.wait_for(context.client);
  if (wait.count() == 0) return std::nullopt;
  const auto seconds = std::to_string((wait.count() + 999) / 1000);
  const std::string message =
      "too many failed logins from " + context.client + "; try again in " + seconds + " s";
  Response response =
      page ? login_page(429, message) : Response::error(429, "too_many_attempts", message);
  response.headers.emplace_back("Retry-After", seconds);
  return response;
}

Access access_of(const std::string& token, const SecurityPolicy& policy) {
  bool admin = policy.token && constant_time_equal(token, *policy.token);
  bool viewer = policy.viewer_token && constant_time_equal(token, *policy.viewer_token);
  if (admin) return Access::Admin;
  return viewer ? Access::Viewer : Access::None;
}

std::string access_name(Access access) {
  return access == Access::Admin ? "admin" : "viewer";
}

Response with_session(Response response, LoginContext& context, Access access) {
  const auto lifetime = context.sessions.lifetime().count();
  response.headers.emplace_back(
      "Set-Cookie", session_cookie(context.sessions.create(access), lifetime, context.secure));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// GET /login?token=...: the link `stork serve` prints.
Response link_login(LoginContext& context, const std::string& token) {
  if (auto refused = throttled(context, true)) return std::move(*refused);
  Access access = access_of(token, context.policy);
  if (access == Access::None) {
    context.limiter.failed(context.client);
    return login_page(401,
                      "That login link is not valid (was the server restarted with "
                      "another token?). Paste the token instead.");
  }
  Response response = Response::text(303, "", "text/plain");
  response.headers.emplace_back("Location", "/");
  return with_session(std::move(response), context, access);
}

// POST /login {"token": "..."}: the page's form.
Response form_login(const Request& request, LoginContext& context) {
  auto origin = request.headers.find("origin");
  if (origin != request.headers.end() && !same_origin(origin->second, request.header("host")))
    return Response::error(403, "cross_site", "log in from the board's own login page");
  if (auto refused = throttled(context, false)) return std::move(*refused);
  std::error_code error;
  json::value body = json::parse(request.body, error);
  const json::value* token =
      error || !body.is_object() ? nullptr : body.as_object().if_contains("token");
  if (token == nullptr || !token->is_string())
    return Response::error(400, "bad_request", "the body must be {\"token\": \"...\"}");
  Access access = access_of(std::string(token->as_string()), context.policy);
  if (access == Access::None) {
    context.limiter.failed(context.client);
    return Response::error(401, "wrong_token", "that token is not valid for this server");
  }
  return with_session(
      Response::json(200, json::serialize(json::object{{"access", access_name(access)}})), context,
      access);
}

Response logout(const Request& request, LoginContext& context) {
  auto origin = request.headers.find("origin");
  if (origin != request.headers.end() && !same_origin(origin->second, request.header("host")))
    return Response::error(403, "cross_site", "log out from the board itself");
  context.sessions.revoke(cookie_value(request.header("cookie"), kSessionCookie));
  Response response = Response::json(200, "{}");
  response.headers.emplace_back("Set-Cookie", session_cookie("", 0, context.secure));
  return response;
}

}  // namespace

Response answer_login(const Request& request, LoginContext& context) {
  if (request.path == "/logout") {
    if (request.method != "POST") return Response::error(405, "method_not_allowed", "POST /logout");
    return logout(request, context);
  }
  if (request.method == "POST") return form_login(request, context);
  if (request.method != "GET" && request.method != "HEAD")
    return Response::error(405, "method_not_allowed", "GET or POST /login");
  if (!context.policy.token) {
    Response response = Response::text(303, "", "text/plain");
    response.headers.emplace_back("Location", "/");
    return response;
  }
  if (auto token = request.query.find("token"); token != request.query.end())
    return link_login(context, token->second);
  return login_page(200, "");
}

}  // namespace stork::http
