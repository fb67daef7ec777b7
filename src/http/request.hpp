// Request: one HTTP request as handlers see it, with the target already split and decoded. The
// server builds it from the wire (Beast stays inside the server); handlers only read it, apart
// from path_params, which the router fills in.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace stork::http {

// Header names compare case-insensitively (RFC 9110), so header("accept") finds "Accept".
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

struct Request {
  std::string method;                              // "GET"
  std::string target;                              // raw target incl. query
  std::string path;                                // decoded path, no query
  std::map<std::string, std::string> query;        // decoded; the first of repeated keys wins
  std::map<std::string, std::string> path_params;  // from the route pattern: {"id": "42_story_x"}
  std::map<std::string, std::string, CaseInsensitiveLess> headers;  // repeated: joined by ", "
  std::string body;
  std::string remote;  // "127.0.0.1:5123", "[::1]:5123"

  std::string header(std::string_view name) const;  // "" if absent
};

}  // namespace stork::http
