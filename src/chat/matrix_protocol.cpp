#include "chat/matrix_protocol.hpp"

#include <boost/json/serialize.hpp>

#include "notify/matrix_http.hpp"

namespace stork::chat {
namespace json = boost::json;

namespace {

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

const json::object* object_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
}

const json::array* events_of(const json::object& room, std::string_view section) {
  const auto* part = object_of(room, section);
  if (part == nullptr) return nullptr;
  const auto* events = part->if_contains("events");
  return events != nullptr && events->is_array() ? &events->as_array() : nullptr;
}

void read_invites(const json::object& invites, const std::string& bot, SyncBatch& batch) {
  for (const auto& [room, value] : invites) {
    if (!value.is_object()) continue;
    const auto* events = events_of(value.as_object(), "invite_state");
    if (events == nullptr) continue;
    for (const auto& event : *events) {
      if (!event.is_object()) continue;
      const auto& object = event.as_object();
      if (text_of(object, "type") != "m.room.member" || text_of(object, "state_key") != bot)
        continue;
      const auto* content = object_of(object, "content");
      if (content == nullptr || text_of(*content, "membership") != "invite") continue;
      const auto* direct = content->if_contains("is_direct");
      batch.invites.push_back(
          MatrixInvite{std::string(room), text_of(object, "sender"),
                       direct != nullptr && direct->is_bool() && direct->as_bool()});
    }
  }
}

std::optional<std::string> reply_target(const json::object& content) {
  const auto* relates = object_of(content, "m.relates_to");
  if (relates == nullptr) return std::nullopt;
  const auto* reply = object_of(*relates, "m.in_reply_to");
  if (reply == nullptr) return std::nullopt;
  std::string id = text_of(*reply, "event_id");
  if (id.empty()) return std::nullopt;
  return id;
}

// One joined room's state and timeline: its text messages and whether it is encrypted.
void read_room(const std::string& room, const json::object& data, const std::string& bot,
               SyncBatch& batch) {
  bool encrypted = false;
  for (std::string_view section : {"state", "timeline"}) {
    const auto* events = events_of(data, section);
    if (events == nullptr) continue;
    for (const auto& event : *events) {
      if (!event.is_object()) continue;
      const auto& object = event.as_object();
      const std::string type = text_of(object, "type");
      if (type == "m.room.encryption" || type == "m.room.encrypted") encrypted = true;
      if (section != "timeline" || type != "m.room.message") continue;
      const auto* content = object_of(object, "content");
      const std::string sender = text_of(object, "sender");
      std::string event_id = text_of(object, "event_id");
      // A message without a sender or an id cannot be checked against allowed_users, answered
      // or remembered as taken: a conforming homeserver never sends one, so it is dropped.
      if (content == nullptr || sender.empty() || event_id.empty() || sender == bot ||
          text_of(*content, "msgtype") != "m.text") {
        continue;
      }
      batch.messages.push_back(MatrixMessage{room, std::move(event_id), sender,
                                             text_of(*content, "body"), reply_target(*content)});
    }
  }
  if (encrypted) batch.encrypted.push_back(room);
}

}  // namespace

Result<SyncBatch, std::string> parse_sync(const json::value& sync, const std::string& bot) {
  if (!sync.is_object()) return fail(std::string("the sync answer is not a JSON object"));
  const auto& object = sync.as_object();
  SyncBatch batch;
  batch.next_batch = text_of(object, "next_batch");
  if (batch.next_batch.empty()) return fail(std::string("the sync answer has no next_batch"));
  const auto* rooms = object_of(object, "rooms");
  if (rooms == nullptr) return batch;
  if (const auto* invites = object_of(*rooms, "invite")) read_invites(*invites, bot, batch);
  if (const auto* joined = object_of(*rooms, "join")) {
    for (const auto& [room, data] : *joined) {
      if (!room.empty() && data.is_object()) {
        read_room(std::string(room), data.as_object(), bot, batch);
      }
    }
  }
  if (const auto* left = object_of(*rooms, "leave")) {
    for (const auto& entry : *left)
      batch.left.emplace_back(entry.key());
  }
  return batch;
}

json::object message_content(const ChatReply& reply, const std::optional<std::string>& in_reply_to,
                             const std::optional<std::string>& notification_key) {
  json::object content{{"msgtype", "m.notice"},
                       {"body", reply.plain},
                       {"format", "org.matrix.custom.html"},
                       {"formatted_body", reply.html}};
  if (in_reply_to) {
    content["m.relates_to"] = json::object{{"m.in_reply_to", {{"event_id", *in_reply_to}}}};
  }
  if (notification_key) {
    content[kNotificationField] = json::object{{"key", *notification_key}};
  }
  return content;
}

std::optional<std::string> notification_key_of(const json::value& event) {
  if (!event.is_object()) return std::nullopt;
  const auto* content = object_of(event.as_object(), "content");
  if (content == nullptr) return std::nullopt;
  const auto* stork = object_of(*content, kNotificationField);
  if (stork == nullptr) return std::nullopt;
  std::string key = text_of(*stork, "key");
  if (key.empty()) return std::nullopt;
  return key;
}

std::optional<std::string> permission_request_of(const std::string& key) {
  constexpr std::string_view kPrefix = "permission:";
  if (key.size() <= kPrefix.size() || key.compare(0, kPrefix.size(), kPrefix) != 0)
    return std::nullopt;
  return key.substr(kPrefix.size());
}

std::string password_login_body(const std::string& user, const std::string& password) {
  return json::serialize(json::object{{"type", "m.login.password"},
                                      {"identifier", {{"type", "m.id.user"}, {"user", user}}},
                                      {"password", password},
                                      {"initial_device_display_name", "stork"}});
}

std::string sync_path(const std::optional<std::string>& since, int timeout_ms) {
  std::string path = "/_matrix/client/v3/sync?timeout=" + std::to_string(timeout_ms);
  if (since) path += "&since=" + notify::url_segment(*since);
  return path;
}

}  // namespace stork::chat
