// What a notification looks like on each channel: the JSON bodies of the webhook formats (our
// own `json`, Slack's and Discord's incoming-webhook payloads) and the email message. Pure
// functions of the stored notification; every body carries its idempotency key, so a receiver
// that sees a retry of a delivery it already took can drop it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "state/notification_store.hpp"

namespace stork::notify {

// The item on the board: `<public_url>/items/<story>`; "" when there is no public URL or no item.
std::string item_link(std::string_view public_url, std::string_view story);

// format: "json", "slack" or "discord" (validated by the config loader; anything else is json).
std::string webhook_body(std::string_view format, const state::NotificationRecord& record);

struct EmailMessage {
  std::string subject;
  std::string text;  // the whole RFC 5322 message: headers, blank line, body (CRLF lines)
};

EmailMessage email_message(std::string_view from, const std::vector<std::string>& to,
                           const state::NotificationRecord& record, std::int64_t now_ms);

}  // namespace stork::notify
