// The parts of the model protocols both APIs share: error bodies and rate-limit times.
#include <cctype>
#include <cmath>

#include <boost/json/parse.hpp>

#include "agents/api/model_protocol.hpp"

namespace stork::agents::api {
namespace json = boost::json;

std::string api_error_message(const std::string& body) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  // Gemini's streaming endpoint answers errors as a JSON array of one object.
  if (!ec && parsed.is_array() && !parsed.as_array().empty()) parsed = parsed.as_array().front();
  if (!ec && parsed.is_object()) {
    if (const auto* error = parsed.as_object().if_contains("error")) {
      if (error->is_string()) return std::string(error->as_string());
      if (error->is_object()) {
        if (const auto* message = error->as_object().if_contains("message");
            message != nullptr && message->is_string()) {
          return std::string(message->as_string());
        }
      }
    }
  }
  std::string text = body.substr(0, 2000);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text;
}

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (start == i) return std::nullopt;
    double number = 0;
    try {
      number = std::stod(std::string(text.substr(start, i - start)));
    } catch (...) {
      return std::nullopt;
    }
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
      ++i;
    const auto unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") {
      total_ms += number;
    } else if (unit == "s" || unit.empty()) {
      total_ms += number * 1000;
    } else if (unit == "m") {
      total_ms += number * 60'000;
    } else if (unit == "h") {
      total_ms += number * 3'600'000;
    } else {
      return std::nullopt;
    }
  }
  return static_cast<std::int64_t>(std::ceil(total_ms));
}

std::optional<std::int64_t> retry_after_unix_s(const HttpResponse& response,
                                               std::int64_t now_unix_s) {
  if (auto ms = response.header("retry-after-ms"); !ms.empty()) {
    if (auto parsed = parse_duration_ms(ms + "ms")) return now_unix_s + (*parsed + 999) / 1000;
  }
  const auto value = response.header("retry-after");
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    if (auto parsed = parse_duration_ms(value)) return now_unix_s + (*parsed + 999) / 1000;
    return std::nullopt;
  }
  const long long date = parse_http_date(value);
  if (date < 0) return std::nullopt;
  return date;
}

}  // namespace stork::agents::api
