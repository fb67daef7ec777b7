// ChatReply: what the bot says, as plain text (Matrix `body`, what every client can show) and
// as HTML (`formatted_body`, format org.matrix.custom.html). ReplyBuilder writes both from
// the same calls, escaping every piece of text that came from an item, an agent or a person,
// so a name like "<b>" is shown, never interpreted.
#pragma once

#include <string>
#include <string_view>

#include "base/html_text.hpp"

namespace stork::chat {

struct ChatReply {
  std::string plain;
  std::string html;
};

class ReplyBuilder {
 public:
  // A bold line: "Status" / <b>Status</b>.
  ReplyBuilder& title(std::string_view text);
  // A line of text.
  ReplyBuilder& line(std::string_view text);
  // "label: text" with the label in bold.
  ReplyBuilder& field(std::string_view label, std::string_view text);
  // A list entry: "- text" / <li>text</li> (consecutive entries form one list).
  ReplyBuilder& entry(std::string_view text);
  // An entry with a leading piece in <code>: "- 42_story_x  text".
  ReplyBuilder& code_entry(std::string_view code, std::string_view text);
  // "text: url" / <a href="url">text</a> (nothing when url is empty).
  ReplyBuilder& link(std::string_view text, std::string_view url);
  ChatReply build();

 private:
  void close_list();
  void open_list();
  ChatReply reply_;
  bool in_list_ = false;
};

}  // namespace stork::chat
