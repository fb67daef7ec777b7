// The JSON of the Matrix Client-Server API (v3) that the bot reads and writes, as pure
// functions: a /sync answer becomes a SyncBatch (invites for the bot, text messages, rooms
// found to be encrypted), a reply becomes an m.room.message content with `formatted_body`
// and `m.relates_to`. No I/O; the wire calls are notify/matrix_http.hpp's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "base/result.hpp"
#include "chat/chat_reply.hpp"

namespace stork::chat {

struct MatrixInvite {
  std::string room;
  std::string inviter;
  bool direct = false;  // the invite's m.room.member content says is_direct
};

struct MatrixMessage {
  std::string room;
  std::string event_id;
  std::string sender;
  std::string body;
  std::optional<std::string> in_reply_to;  // m.relates_to.m.in_reply_to.event_id
};

struct SyncBatch {
  std::string next_batch;
  std::vector<MatrixInvite> invites;    // for the bot only
  std::vector<MatrixMessage> messages;  // m.text messages, timeline order, per room
  std::vector<std::string> encrypted;   // joined rooms with encryption (state or events)
  std::vector<std::string> left;        // rooms the bot left or was removed from
};

// The bot's own messages and m.notice (other bots) are left out. Error: what is missing.
Result<SyncBatch, std::string> parse_sync(const boost::json::value& sync, const std::string& bot);

// Key of a stork notification inside a message's content (so that a reply to it can be traced
// back to, e.g., its permission request): content["dev.stork.notification"]["key"].
inline constexpr std::string_view kNotificationField = "dev.stork.notification";

// An m.notice with body, format org.matrix.custom.html, formatted_body, and when given a reply
// relation and the notification key.
boost::json::object message_content(const ChatReply& reply,
                                    const std::optional<std::string>& in_reply_to,
                                    const std::optional<std::string>& notification_key = {});

// The notification key of an event (as GET /rooms/{room}/event/{id} answers it), if any.
std::optional<std::string> notification_key_of(const boost::json::value& event);

// The permission request id a key names ("permission:<id>"), if it is one.
std::optional<std::string> permission_request_of(const std::string& key);

// POST /login body for m.login.password with an m.id.user identifier.
std::string password_login_body(const std::string& user, const std::string& password);

// "/_matrix/client/v3/sync?timeout=N[&since=S]".
std::string sync_path(const std::optional<std::string>& since, int timeout_ms);

}  // namespace stork::chat
