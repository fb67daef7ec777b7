#include "api/json_body.hpp"

#include <cctype>
#include <charconv>

#include <boost/json/parser.hpp>

namespace stork::api {
namespace json = boost::json;

ApiResult<JsonBody> JsonBody::parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return JsonBody({});
  json::parser parser;
  boost::system::error_code error;
  const std::size_t consumed = parser.write(body.data(), body.size(), error);
  if (error) {
    return fail(ApiError{400, "invalid_json",
                         "request body is not valid JSON: " + error.message() + " at offset " +
                             std::to_string(consumed)});
  }
  json::value value = parser.release();
  if (!value.is_object()) {
    return fail(ApiError{400, "invalid_json", "request body must be a JSON object"});
  }
  return JsonBody(std::move(value.as_object()));
}

namespace {

bool is_json_media_type(std::string_view value) {
  auto type = value.substr(0, value.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
    type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
    type.remove_prefix(1);
  std::string lower(type);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" || (lower.size() > 5 && lower.ends_with("+json"));
}

}  // namespace

ApiResult<JsonBody> JsonBody::parse(const http::Request& request) {
  const auto type = request.header("content-type");
  if (!type.empty() && !is_json_media_type(type) &&
      request.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    return fail(ApiError{
        415, "unsupported_media_type",
        "the body is sent as '" + type + "'; send it as JSON with Content-Type: application/json"});
  }
  return parse(request.body);
}

ApiResult<void> JsonBody::only(std::initializer_list<std::string_view> known) const {
  for (const auto& field : object_) {
    bool listed = false;
    for (auto name : known)
      listed = listed || field.key() == name;
    if (!listed) {
      std::string names;
      for (auto name : known)
        names += (names.empty() ? "" : ", ") + std::string(name);
      return fail(invalid_field(field.key(),
                                "unknown field (known: " + (names.empty() ? "none" : names) + ")"));
    }
  }
  return {};
}

bool JsonBody::has(std::string_view key) const {
  return object_.contains(key);
}

bool JsonBody::is_null(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  return value != nullptr && value->is_null();
}

const json::value* JsonBody::find(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

ApiResult<std::optional<std::string>> JsonBody::string(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return fail(invalid_field(key, "expected a string"));
  return std::optional<std::string>(std::string(value->as_string()));
}

ApiResult<std::string> JsonBody::required_string(std::string_view key) const {
  auto text = string(key);
  if (!text.ok()) return fail(text.error());
  if (!text.value() || text.value()->find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(invalid_field(key, "required, a non-empty string"));
  return std::move(*text.value());
}

ApiResult<std::optional<bool>> JsonBody::boolean(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_bool()) return fail(invalid_field(key, "expected true or false"));
  return std::optional<bool>(value->as_bool());
}

ApiResult<std::optional<std::int64_t>> JsonBody::integer(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr) return std::optional<std::int64_t>();
  if (value->is_int64()) return std::optional<std::int64_t>(value->as_int64());
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX)
    return std::optional<std::int64_t>(static_cast<std::int64_t>(value->as_uint64()));
  return fail(invalid_field(key, "expected an integer"));
}

ApiResult<std::optional<std::vector<std::string>>> JsonBody::strings(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr) return std::optional<std::vector<std::string>>();
  if (!value->is_array()) return fail(invalid_field(key, "expected an array of strings"));
  std::vector<std::string> values;
  for (const auto& element : value->as_array()) {
    if (!element.is_string()) return fail(invalid_field(key, "expected an array of strings"));
    values.emplace_back(element.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(values));
}

const std::string* query_parameter(const http::Request& request, const char* name) {
  auto found = request.query.find(name);
  return found == request.query.end() ? nullptr : &found->second;
}

ApiResult<std::optional<std::int64_t>> integer_parameter(const std::string* text,
                                                         std::string_view name, std::int64_t min,
                                                         std::int64_t max) {
  if (text == nullptr) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [stop, error] = std::from_chars(text->data(), end, value);
  const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (text->empty() || error != std::errc() || stop != end)
    return fail(invalid_parameter(name, "expected " + range + ", got '" + *text + "'"));
  if (value < min || value > max)
    return fail(invalid_parameter(name, "expected " + range + ", got " + *text));
  return std::optional<std::int64_t>(value);
}

}  // namespace stork::api
