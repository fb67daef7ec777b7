#include "ops/timeline_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace stork::ops {
namespace json = boost::json;

std::string text_field(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_number() || value->is_bool()) return json::serialize(*value);
  return {};
}

std::optional<std::int64_t> number_field(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return std::nullopt;
}

std::vector<std::string> list_field(const json::object& payload, std::string_view key) {
  std::vector<std::string> out;
  const auto* value = payload.if_contains(key);
  if (value == nullptr || !value->is_array()) return out;
  for (const auto& element : value->as_array()) {
    if (element.is_string()) out.emplace_back(element.as_string());
  }
  return out;
}

namespace {

constexpr char kEscape = '\x1b';

// Where the escape sequence starting at `at` (an ESC) ends: one past its last byte.
std::size_t escape_end(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size()) return text.size();
  const char kind = text[at + 1];
  if (kind == '[') {  // CSI: parameters and intermediates, then a final byte 0x40-0x7E
    std::size_t i = at + 2;
    while (i < text.size() && (text[i] < 0x40 || text[i] > 0x7e))
      ++i;
    return std::min(i + 1, text.size());
  }
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {  // OSC/DCS/...: to BEL or ST
    for (std::size_t i = at + 2; i < text.size(); ++i) {
      if (text[i] == '\x07') return i + 1;
      if (text[i] == kEscape && i + 1 < text.size() && text[i + 1] == '\\') return i + 2;
    }
    return text.size();
  }
  return at + 2;  // a two-byte escape (ESC 7, ESC =, ...)
}

}  // namespace

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == kEscape) {
      i = escape_end(text, i);
      continue;
    }
    if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') out += '\n';
      ++i;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) {
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string last_lines(std::string_view text, std::size_t count) {
  while (!text.empty() && text.back() == '\n')
    text.remove_suffix(1);
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++seen == count) break;
  }
  return std::string(text.substr(start));
}

std::string one_line(std::string_view text, std::size_t width) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() <= width) return out;
  std::size_t cut = width;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80)
    --cut;  // not inside a UTF-8 sequence
  return out.substr(0, cut) + "…";
}

namespace {

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code error;
  auto parsed = json::parse(text, error);
  if (error || !parsed.is_object()) return std::nullopt;
  return std::move(parsed.as_object());
}

std::string readable_object(const json::object& object) {
  for (const char* key : {"message", "text", "result"}) {
    const auto* value = object.if_contains(key);
    if (value != nullptr && value->is_string()) return std::string(value->as_string());
  }
  std::string fields;
  for (const auto& [key, value] : object) {
    if (value.is_object() || value.is_array() || value.is_null()) continue;
    fields += (fields.empty() ? "" : ", ") + std::string(key) + ": " + text_field(object, key);
  }
  return fields;
}

}  // namespace

std::string readable_line(std::string_view text, std::size_t width) {
  const auto clean = clean_text(text);
  const auto brace = clean.find('{');
  const auto last = clean.find_last_not_of(" \n\t");
  if (brace != std::string::npos && last != std::string::npos && clean[last] == '}') {
    if (auto object = parse_object(std::string_view(clean).substr(brace, last + 1 - brace)))
      return one_line(clean.substr(0, brace) + readable_object(*object), width);
  }
  return one_line(clean, width);
}

std::string seconds_text(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{} ms", ms);
  return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

}  // namespace stork::ops
