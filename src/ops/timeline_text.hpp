// Small text helpers of the item timeline (ops/item_timeline.hpp): reading fields of a journal
// payload that may lack them, and turning program output into plain lines for people (terminal
// escapes removed, long text cut). Pure; never throws on odd input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace stork::ops {

// The field as text: a string as it is, a number or boolean written out, anything else "".
std::string text_field(const boost::json::object& payload, std::string_view key);
std::optional<std::int64_t> number_field(const boost::json::object& payload, std::string_view key);
// The strings of a list field; other elements and other types are skipped.
std::vector<std::string> list_field(const boost::json::object& payload, std::string_view key);

// Terminal escapes (CSI such as colours, OSC such as titles and links, other two-byte escapes)
// and control characters other than newline and tab removed; "\r\n" becomes "\n" and a bare
// "\r" ends a line.
std::string clean_text(std::string_view text);
// The last `count` lines of `text`, without a trailing newline.
std::string last_lines(std::string_view text, std::size_t count);
// One line: whitespace runs (newlines too) become one space; cut to `width` characters with
// "…" (on a UTF-8 boundary).
std::string one_line(std::string_view text, std::size_t width);
// A line of program output for people, on one line of at most `width` characters: escapes
// removed, and a JSON object in it (the whole line, or after a prefix such as "[agent] ") shown
// as its `message` or `text` when it has one, else as "key: value, ..." of its scalar fields.
std::string readable_line(std::string_view text, std::size_t width);
// "1.2 s", "350 ms".
std::string seconds_text(std::int64_t ms);

}  // namespace stork::ops
