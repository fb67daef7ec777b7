#include "http/request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/url_view.hpp>

#include "http/router.hpp"

namespace stork::http {

Result<RequestTarget, std::string> parse_request_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return fail("invalid request target: " + parsed.error().message());
  const boost::urls::url_view& url = *parsed;

  RequestTarget result;
  result.path = url.path();
  if (result.path.find('\0') != std::string::npos) return fail(std::string("NUL in path"));
  for (const std::string& encoded : split_path(url.encoded_path())) {
    // parse_origin_form validated every escape, so the segment is a valid pct-string.
    result.segments.push_back(boost::urls::make_pct_string_view(encoded)->decode());
  }
  for (auto param : url.params()) {
    result.query.emplace(param.key, param.has_value ? param.value : std::string());
  }
  return result;
}

}  // namespace stork::http
