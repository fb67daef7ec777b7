#include "notify/message.hpp"

#include <cctype>
#include <ctime>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace stork::notify {
namespace json = boost::json;

namespace {

// Slack reads &, < and > as markup (`<!channel>` would ping everyone).
std::string slack_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// Cuts at `limit` bytes without splitting a UTF-8 sequence (Discord's field limits).
std::string clip(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U)
    --end;
  return std::string(text.substr(0, end));
}

std::string one_line_summary(const state::NotificationRecord& record) {
  std::string text = record.title;
  if (!record.detail.empty()) text += ": " + record.detail;
  return text;
}

json::object json_body(const state::NotificationRecord& record) {
  return json::object{{"idempotency_key", record.key}, {"event", record.event},
                      {"story", record.story},         {"title", record.title},
                      {"detail", record.detail},       {"link", record.link},
                      {"time_ms", record.time_ms},     {"source", "stork"}};
}

// Slack's incoming webhook: `text` (the fallback shown in notifications) and Block Kit `blocks`;
// `metadata` (event_type, event_payload) carries the key.
json::object slack_body(const state::NotificationRecord& record) {
  std::string section = "*" + slack_escape(record.title) + "*";
  if (!record.detail.empty()) section += "\n" + slack_escape(record.detail);
  if (!record.link.empty()) section += "\n<" + slack_escape(record.link) + "|Open on the board>";
  json::array blocks{json::object{{"type", "section"},
                                  {"text", json::object{{"type", "mrkdwn"}, {"text", section}}}}};
  return json::object{
      {"text", slack_escape(one_line_summary(record))},
      {"blocks", std::move(blocks)},
      {"metadata", json::object{{"event_type", "stork_" + record.event},
                                {"event_payload", json::object{{"idempotency_key", record.key},
                                                               {"story", record.story}}}}}};
}

// Discord's execute-webhook body: `content` (≤ 2000 characters) and one embed (title ≤ 256,
// description ≤ 4096); no mention is parsed, so an item's text cannot ping anyone.
json::object discord_body(const state::NotificationRecord& record) {
  json::object embed{{"title", clip(record.title, 256)},
                     {"description", clip(record.detail, 4096)},
                     {"footer", json::object{{"text", clip("stork " + record.key, 2048)}}}};
  if (!record.link.empty()) embed["url"] = record.link;
  return json::object{{"content", clip(one_line_summary(record), 2000)},
                      {"embeds", json::array{std::move(embed)}},
                      {"allowed_mentions", json::object{{"parse", json::array{}}}}};
}

// Header values must not carry a line break (header injection from an item's name).
std::string header_value(std::string_view text) {
  std::string out;
  for (char c : text)
    out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string rfc5322_date(std::int64_t now_ms) {
  const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

}  // namespace

std::string item_link(std::string_view public_url, std::string_view story) {
  if (public_url.empty()) return "";
  std::string link(public_url);
  if (story.empty()) return link + "/";
  link += "/items/";
  for (unsigned char c : story) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      link += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      link += '%';
      link += kHex[c >> 4U];
      link += kHex[c & 0xFU];
    }
  }
  return link;
}

std::string webhook_body(std::string_view format, const state::NotificationRecord& record) {
  if (format == "slack") return json::serialize(slack_body(record));
  if (format == "discord") return json::serialize(discord_body(record));
  return json::serialize(json_body(record));
}

EmailMessage email_message(std::string_view from, const std::vector<std::string>& to,
                           const state::NotificationRecord& record, std::int64_t now_ms) {
  EmailMessage message;
  message.subject = header_value("[stork] " + record.title);
  std::string recipients;
  for (const auto& address : to)
    recipients += (recipients.empty() ? "" : ", ") + header_value(address);
  std::string text = "Date: " + rfc5322_date(now_ms) + "\r\n";
  text += "From: " + header_value(from) + "\r\n";
  text += "To: " + recipients + "\r\n";
  text += "Subject: " + message.subject + "\r\n";
  text += "Message-ID: <" + header_value(record.key) + "@stork>\r\n";
  text += "X-Stork-Idempotency-Key: " + header_value(record.key) + "\r\n";
  text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  std::string body = record.title + "\n";
  if (!record.detail.empty()) body += "\n" + record.detail + "\n";
  if (!record.link.empty()) body += "\n" + record.link + "\n";
  // CRLF line ends (libcurl itself doubles a leading dot, SMTP's end-of-data marker).
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    text += line + "\r\n";
    start = end + 1;
  }
  message.text = std::move(text);
  return message;
}

}  // namespace stork::notify
