#include "http/dispatch.hpp"

#include <exception>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "http/server_core.hpp"
#include "http/static_files.hpp"

namespace stork::http::detail {

namespace {

Response internal_error(const Request& request, const std::string& route, const char* what) {
  spdlog::error("http: handler for {} {} (route {}) threw: {}", request.method, request.path, route,
                what);
  return Response::error(500, "internal_error", "the server failed to handle this request");
}

// The UI's files are small (a few hundred KiB); reading them whole keeps the writer simple.
Response static_file_response(const Request& request, const StaticLookup& lookup) {
  std::ifstream file(lookup.file, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  if (!file) {
    spdlog::warn("http: cannot read {}", lookup.file.string());
    return Response::error(404, "not_found", "no such file: " + request.path);
  }
  Response response = Response::text(200, std::move(contents).str(), lookup.content_type);
  // index.html names the hashed asset files of the current build: always revalidate it.
  if (lookup.file.filename() == "index.html")
    response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

Dispatched unrouted(const ServerCore& core, const Request& request,
                    const std::vector<std::string>& segments) {
  bool readable = request.method == "GET" || request.method == "HEAD";
  if (readable && !core.static_root.empty()) {
    StaticLookup lookup = find_static_file(core.static_root, segments);
    if (lookup.kind == StaticLookup::Kind::Found) {
      return {static_file_response(request, lookup), "static"};
    }
    if (lookup.kind == StaticLookup::Kind::BadPath) {
      return {Response::error(400, "bad_path", "invalid path: " + request.path), "static"};
    }
  }
  return {Response::error(404, "not_found", "no route for " + request.method + " " + request.path),
          "unmatched"};
}

}  // namespace

boost::asio::awaitable<Dispatched> dispatch(const ServerCore& core, Request& request,
                                            const std::vector<std::string>& segments) {
  RouteMatch match = core.router.match(request.method, segments);
  Dispatched result;
  if (match.kind == RouteMatch::Kind::NotFound) {
    result = unrouted(core, request, segments);
    co_return result;
  }
  if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
    result.response = Response::error(405, "method_not_allowed",
                                      request.method + " is not allowed on " + request.path);
    result.response.headers.emplace_back("Allow", match.allow);
    result.route_name = "unmatched";
    co_return result;
  }
  request.path_params = std::move(match.params);
  result.route_name = std::move(match.route_name);
  try {
    result.response = co_await (*match.handler)(request);
  } catch (const std::exception& error) {
    result.response = internal_error(request, result.route_name, error.what());
  } catch (...) {
    result.response = internal_error(request, result.route_name, "unknown exception");
  }
  co_return result;
}

}  // namespace stork::http::detail
