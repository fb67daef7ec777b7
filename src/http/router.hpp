// Router: maps (method, path) to a handler. Patterns are "/"-separated segments: literals,
// "{name}" (one segment, captured in path_params["name"]) and a final "*" (any rest, possibly
// empty, captured in path_params["*"]). When several routes match, the more specific wins
// segment by segment (literal over {param} over *), so "/items/new" beats "/items/{id}".
// HEAD falls back to the GET route (the server drops the body). The router only decides; the
// server turns NotFound/MethodNotAllowed into 404/405 JSON errors.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace stork::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteMatch {
  enum class Kind { Found, NotFound, MethodNotAllowed };
  Kind kind = Kind::NotFound;
  const Handler* handler = nullptr;  // Found: owned by the router
  std::string route_name;            // Found: the name given to add(), else the pattern
  std::map<std::string, std::string> params;
  std::string allow;  // MethodNotAllowed: "GET, HEAD, POST"
};

class Router {
 public:
  // Throws std::invalid_argument for a pattern that does not start with "/", has an empty
  // {} or a "*" that is not the last segment (a programming error, found at start-up).
  void add(std::string method, std::string pattern, Handler handler, std::string route_name = {});

  // `segments`: the decoded path split at "/" ("/a/b" → {"a","b"}, "/" → {}).
  RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;
  // Splits `path` (already decoded) at "/"; for tests and callers without segments.
  RouteMatch match(std::string_view method, std::string_view path) const;

  bool empty() const { return routes_.empty(); }

 private:
  struct Segment {
    enum class Kind { Literal, Param, Rest };
    Kind kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    std::string name;
  };

  // Specificity per matched segment (higher is more specific), or nothing when no match.
  static bool matches(const Route& route, const std::vector<std::string>& path,
                      std::vector<int>& rank, std::map<std::string, std::string>& params);

  std::vector<Route> routes_;
};

// "/a/b" → {"a","b"}; "/" and "" → {}; "/a/" → {"a",""}.
std::vector<std::string> split_path(std::string_view path);

}  // namespace stork::http
