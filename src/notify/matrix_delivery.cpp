#include "notify/matrix_delivery.hpp"

#include <cstdlib>

#include <boost/json/serialize.hpp>

#include "base/html_text.hpp"
#include "notify/matrix_http.hpp"

namespace stork::notify {
namespace json = boost::json;

json::object matrix_notification_content(const state::NotificationRecord& record) {
  std::string plain = record.title;
  std::string html = "<b>" + html_escape(record.title) + "</b>";
  if (!record.detail.empty()) {
    plain += "\n" + record.detail;
    html += "<br>" + html_escape(record.detail);
  }
  if (record.event == "permission_request") {
    plain += "\nReply permit or deny to this message.";
    html += "<br>Reply <code>permit</code> or <code>deny</code> to this message.";
  }
  if (!record.link.empty()) {
    plain += "\n" + record.link;
    html += "<br><a href=\"" + html_escape(record.link) + "\">Open on the board</a>";
  }
  return json::object{{"msgtype", "m.notice"},
                      {"body", plain},
                      {"format", "org.matrix.custom.html"},
                      {"formatted_body", html},
                      {"dev.stork.notification",
                       {{"key", record.key}, {"event", record.event}, {"story", record.story}}}};
}

DeliveryResult deliver_matrix(const NotifyChannelConfig& channel,
                              const state::NotificationRecord& record,
                              std::chrono::milliseconds timeout) {
  DeliveryResult result;
  // The loader filled these from [chat.matrix]: url = homeserver, to = rooms, user_env = the
  // access token's variable (config/notify_config_loader.hpp).
  const char* token = channel.user_env ? std::getenv(channel.user_env->c_str()) : nullptr;
  if (token == nullptr || *token == '\0') {
    result.error = channel.user_env
                       ? "the access token variable " + *channel.user_env + " is not set"
                       : std::string("the matrix channel needs [chat.matrix] access_token_env");
    return result;
  }
  const std::string body = json::serialize(matrix_notification_content(record));
  const std::atomic<bool> never{false};
  for (const auto& room : channel.to) {
    MatrixRequest request{"PUT",
                          "/_matrix/client/v3/rooms/" + url_segment(room) +
                              "/send/m.room.message/" + url_segment("stork-" + record.key),
                          body, timeout};
    auto sent = matrix_call(channel.url.value_or(""), token, request, never);
    if (!sent.ok()) {
      result.status = sent.error().status;
      result.error = room + ": " + sent.error().message();
      return result;  // retried as a whole; rooms that got it dedupe by transaction id
    }
    result.status = 200;
  }
  result.ok = true;
  return result;
}

}  // namespace stork::notify
