// json_text(): boost::json::serialize for what leaves the server (REST bodies, MCP replies and
// streams, WebSocket messages). Boost.JSON copies a string's bytes as they are, so an id or an
// item body holding invalid UTF-8 would make the answer invalid JSON; here such strings (and
// keys) are repaired (U+FFFD for each bad sequence, base/utf8.hpp) before serializing. Valid
// input costs one scan of the serialized text. Header-only: every user links Boost.JSON.
#pragma once

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/utf8.hpp"

namespace stork {

namespace json_text_detail {

inline void repair_strings(boost::json::value& value) {
  if (value.is_string()) {
    const auto& text = value.get_string();
    if (find_invalid_utf8({text.data(), text.size()}) != std::string::npos)
      value = repair_utf8({text.data(), text.size()});
  } else if (value.is_array()) {
    for (auto& element : value.get_array())
      repair_strings(element);
  } else if (value.is_object()) {
    boost::json::object repaired;
    for (auto& entry : value.get_object()) {
      repair_strings(entry.value());
      const auto key = entry.key();
      repaired[repair_utf8({key.data(), key.size()})] = std::move(entry.value());
    }
    value = std::move(repaired);
  }
}

}  // namespace json_text_detail

inline std::string json_text(const boost::json::value& value) {
  std::string text = boost::json::serialize(value);
  if (find_invalid_utf8(text) == std::string::npos) return text;
  boost::json::value copy = value;
  json_text_detail::repair_strings(copy);
  return boost::json::serialize(copy);
}

}  // namespace stork
