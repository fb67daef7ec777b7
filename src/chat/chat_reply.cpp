#include "chat/chat_reply.hpp"

namespace stork::chat {

void ReplyBuilder::close_list() {
  if (!in_list_) return;
  reply_.html += "</ul>";
  in_list_ = false;
}

void ReplyBuilder::open_list() {
  if (in_list_) return;
  reply_.html += "<ul>";
  in_list_ = true;
}

ReplyBuilder& ReplyBuilder::title(std::string_view text) {
  close_list();
  reply_.plain.append(text).append("\n");
  reply_.html += "<p><b>" + html_escape(text) + "</b></p>";
  return *this;
}

ReplyBuilder& ReplyBuilder::line(std::string_view text) {
  close_list();
  reply_.plain.append(text).append("\n");
  reply_.html += "<p>" + html_escape(text) + "</p>";
  return *this;
}

ReplyBuilder& ReplyBuilder::field(std::string_view label, std::string_view text) {
  close_list();
  reply_.plain.append(label).append(": ").append(text).append("\n");
  reply_.html += "<p><b>" + html_escape(label) + ":</b> " + html_escape(text) + "</p>";
  return *this;
}

ReplyBuilder& ReplyBuilder::entry(std::string_view text) {
  open_list();
  reply_.plain.append("- ").append(text).append("\n");
  reply_.html += "<li>" + html_escape(text) + "</li>";
  return *this;
}

ReplyBuilder& ReplyBuilder::code_entry(std::string_view code, std::string_view text) {
  open_list();
  reply_.plain.append("- ").append(code);
  if (!text.empty()) reply_.plain.append("  ").append(text);
  reply_.plain.append("\n");
  reply_.html += "<li><code>" + html_escape(code) + "</code>";
  if (!text.empty()) reply_.html += " " + html_escape(text);
  reply_.html += "</li>";
  return *this;
}

ReplyBuilder& ReplyBuilder::link(std::string_view text, std::string_view url) {
  if (url.empty()) return *this;
  close_list();
  reply_.plain.append(text).append(": ").append(url).append("\n");
  reply_.html += "<p><a href=\"" + html_escape(url) + "\">" + html_escape(text) + "</a></p>";
  return *this;
}

ChatReply ReplyBuilder::build() {
  close_list();
  ChatReply out = std::move(reply_);
  while (!out.plain.empty() && out.plain.back() == '\n')
    out.plain.pop_back();
  reply_ = {};
  return out;
}

}  // namespace stork::chat
