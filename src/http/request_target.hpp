// The request target split into what routing and static files need: the decoded path, its
// decoded segments (split before decoding, so "%2F" stays inside its segment) and the query.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace stork::http {

struct RequestTarget {
  std::string path;                   // decoded
  std::vector<std::string> segments;  // decoded; "/a/b" → {"a","b"}, "/" → {}
  std::map<std::string, std::string> query;
};

// Only origin-form ("/path?query") is accepted; absolute URLs, "*", invalid percent-escapes
// and NUL bytes are errors (the server answers 400).
Result<RequestTarget, std::string> parse_request_target(std::string_view target);

}  // namespace stork::http
