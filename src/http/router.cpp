#include "http/router.hpp"

#include <set>
#include <stdexcept>

namespace stork::http {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return segments;
  while (true) {
    std::size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

void Router::add(std::string method, std::string pattern, Handler handler, std::string route_name) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route;
  for (const std::string& part : split_path(pattern)) {
    if (!route.segments.empty() && route.segments.back().kind == Segment::Kind::Rest) {
      throw std::invalid_argument("'*' must be the last segment: " + pattern);
    }
    if (part == "*") {
      route.segments.push_back({Segment::Kind::Rest, "*"});
    } else if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      if (part.size() == 2) throw std::invalid_argument("empty {} in route pattern: " + pattern);
      route.segments.push_back({Segment::Kind::Param, part.substr(1, part.size() - 2)});
    } else {
      route.segments.push_back({Segment::Kind::Literal, part});
    }
  }
  route.method = std::move(method);
  route.name = route_name.empty() ? pattern : std::move(route_name);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string>& path,
                     std::vector<int>& rank, std::map<std::string, std::string>& params) {
  rank.clear();
  params.clear();
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const Segment& segment = route.segments[i];
    if (segment.kind == Segment::Kind::Rest) {
      std::string rest;
      for (std::size_t j = i; j < path.size(); ++j) {
        if (j > i) rest += '/';
        rest += path[j];
      }
      params["*"] = std::move(rest);
      rank.push_back(0);
      return true;
    }
    if (i >= path.size()) return false;
    if (segment.kind == Segment::Kind::Literal) {
      if (segment.text != path[i]) return false;
      rank.push_back(2);
    } else {
      params[segment.text] = path[i];
      rank.push_back(1);
    }
  }
  return route.segments.size() == path.size();
}

RouteMatch Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  RouteMatch best;
  std::vector<int> best_rank;
  std::set<std::string> allowed;
  std::vector<int> rank;
  std::map<std::string, std::string> params;
  // A HEAD request uses a HEAD route when there is one, the GET route otherwise.
  auto method_rank = [&](const Route& route) {
    if (route.method == method) return 2;
    if (method == "HEAD" && route.method == "GET") return 1;
    return 0;
  };
  int best_method_rank = 0;
  for (const Route& route : routes_) {
    if (!matches(route, segments, rank, params)) continue;
    allowed.insert(route.method);
    if (route.method == "GET") allowed.insert("HEAD");
    int by_method = method_rank(route);
    if (by_method == 0) continue;
    bool better = best.kind != RouteMatch::Kind::Found || rank > best_rank ||
                  (rank == best_rank && by_method > best_method_rank);
    if (!better) continue;
    best.kind = RouteMatch::Kind::Found;
    best.handler = &route.handler;
    best.route_name = route.name;
    best.params = params;
    best_rank = rank;
    best_method_rank = by_method;
  }
  if (best.kind == RouteMatch::Kind::Found || allowed.empty()) return best;
  best.kind = RouteMatch::Kind::MethodNotAllowed;
  for (const std::string& name : allowed) {
    if (!best.allow.empty()) best.allow += ", ";
    best.allow += name;
  }
  return best;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  return match(method, split_path(path));
}

}  // namespace stork::http
