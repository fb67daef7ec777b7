// JsonBody: a request's JSON object body with typed reads. A body that is not JSON is
// 400 invalid_json naming where parsing stopped; a field of the wrong type is 400 invalid_field
// naming the field and what was expected; a field the route does not know is refused too, so a
// misspelt key never passes silently. Absent and null read alike as "not given".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api_error.hpp"
#include "http/request.hpp"

namespace stork::api {

class JsonBody {
 public:
  // An empty (or all-whitespace) body reads as {}: routes without parameters accept either.
  static ApiResult<JsonBody> parse(std::string_view body);
  // The request's body, after its Content-Type: a body sent as anything but JSON
  // (application/json or */*+json) is 415 unsupported_media_type; no Content-Type reads as JSON.
  static ApiResult<JsonBody> parse(const http::Request& request);

  // Fails naming the first field not in `known`.
  ApiResult<void> only(std::initializer_list<std::string_view> known) const;

  bool has(std::string_view key) const;      // present, possibly null
  bool is_null(std::string_view key) const;  // present and null

  ApiResult<std::optional<std::string>> string(std::string_view key) const;
  ApiResult<std::string> required_string(std::string_view key) const;  // also non-empty
  ApiResult<std::optional<bool>> boolean(std::string_view key) const;
  ApiResult<std::optional<std::int64_t>> integer(std::string_view key) const;
  ApiResult<std::optional<std::vector<std::string>>> strings(std::string_view key) const;

  const boost::json::object& object() const { return object_; }

 private:
  explicit JsonBody(boost::json::object object) : object_(std::move(object)) {}
  const boost::json::value* find(std::string_view key) const;  // null when absent or null

  boost::json::object object_;
};

// The query parameter `name`, or null when absent.
const std::string* query_parameter(const http::Request& request, const char* name);

// Reads an optional integer query parameter within [min, max]; absent → nullopt.
ApiResult<std::optional<std::int64_t>> integer_parameter(const std::string* text,
                                                         std::string_view name, std::int64_t min,
                                                         std::int64_t max);

}  // namespace stork::api
