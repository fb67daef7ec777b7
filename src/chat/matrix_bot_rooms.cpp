// What a sync batch asks of the bot: join rooms it is invited to (by allowed users only),
// refuse encrypted rooms once with a message, and answer commands (typing notice while one
// runs, the answer as a reply to it). Each command event is marked taken before it runs, so
// a restart never runs it again.
#include <algorithm>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "chat/matrix_bot_impl.hpp"
#include "chat/replies.hpp"

namespace stork::chat {
namespace asio = boost::asio;
namespace json = boost::json;
using notify::MatrixRequest;
using notify::url_segment;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string room_path(const std::string& room) {
  return "/_matrix/client/v3/rooms/" + url_segment(room);
}

// The bot's display name for mentions: its user id's localpart.
std::string localpart(const std::string& user_id) {
  const auto colon = user_id.find(':');
  return user_id.substr(1, colon == std::string::npos ? std::string::npos : colon - 1);
}

}  // namespace

bool MatrixBot::Impl::allowed(const std::string& user) const {
  const auto& users = options.config.allowed_users;
  return std::find(users.begin(), users.end(), user) != users.end();
}

asio::awaitable<void> MatrixBot::Impl::handle_batch(const SyncBatch& batch, bool first_sync) {
  for (const auto& invite : batch.invites) {
    if (stopping) co_return;
    co_await handle_invite(invite);
  }
  for (const auto& room : batch.encrypted) {
    if (stopping) co_return;
    co_await refuse_encrypted(room);
  }
  // The first sync ever returns recent history: commands sent before the bot existed are
  // not answered (they are marked taken, so they stay unanswered).
  for (const auto& message : batch.messages) {
    if (stopping) co_return;
    if (first_sync) {
      auto mark = [id = message.event_id](ChatStore& db) { return db.mark_handled(id, now_ms()); };
      (void)co_await on_store(mark);
      continue;
    }
    co_await handle_message(message);
  }
}

asio::awaitable<void> MatrixBot::Impl::handle_invite(const MatrixInvite& invite) {
  if (!allowed(invite.inviter)) {
    spdlog::info("matrix: ignoring the invite to {} from {} (not in allowed_users)", invite.room,
                 invite.inviter);
    MatrixRequest leave{"POST", room_path(invite.room) + "/leave", "{}"};
    (void)co_await call(leave);  // declines; a failure leaves the invite pending, harmless
    co_return;
  }
  MatrixRequest join{"POST", "/_matrix/client/v3/join/" + url_segment(invite.room), "{}"};
  auto joined = co_await call_until_done(join);
  if (!joined.ok()) {
    spdlog::warn("matrix: cannot join {}: {}", invite.room, joined.error().message());
    co_return;
  }
  auto save = [room = invite.room,
               direct = invite.direct](ChatStore& db) -> Result<void, std::string> {
    auto known = db.room(room);
    if (!known.ok()) return fail(known.error());
    auto entry = known.value();
    entry.direct = direct;
    return db.save_room(entry);
  };
  (void)co_await on_store(save);
  spdlog::info("matrix: joined {} (invited by {})", invite.room, invite.inviter);
}

asio::awaitable<void> MatrixBot::Impl::refuse_encrypted(const std::string& room) {
  auto read = [room](ChatStore& db) { return db.room(room); };
  auto known = co_await on_store(read);
  if (!known.ok() || known.value().refused_encrypted) co_return;
  ChatReply reply = ReplyBuilder()
                        .line(
                            "This room is end-to-end encrypted, which stork does not support "
                            "yet: I cannot read commands here. Please use an unencrypted room.")
                        .build();
  std::optional<std::string> no_reply;
  std::string txn = "stork-encrypted-" + room;
  co_await send(room, reply, no_reply, txn);
  auto entry = known.value();
  entry.refused_encrypted = true;
  auto save = [entry](ChatStore& db) { return db.save_room(entry); };
  (void)co_await on_store(save);
}

asio::awaitable<std::optional<std::string>> MatrixBot::Impl::replied_request(
    const MatrixMessage& message) {
  if (!message.in_reply_to) co_return std::nullopt;
  MatrixRequest request{
      "GET", room_path(message.room) + "/event/" + url_segment(*message.in_reply_to), ""};
  auto event = co_await call(request);
  if (!event.ok()) co_return std::nullopt;
  auto key = notification_key_of(event.value());
  if (!key) co_return std::nullopt;
  co_return permission_request_of(*key);
}

asio::awaitable<void> MatrixBot::Impl::handle_message(const MatrixMessage& message) {
  auto seen = [id = message.event_id](ChatStore& db) { return db.handled(id); };
  auto handled = co_await on_store(seen);
  if (!handled.ok() || handled.value()) co_return;  // taken before (or the store failed)
  auto mark = [id = message.event_id](ChatStore& db) { return db.mark_handled(id, now_ms()); };
  if (auto marked = co_await on_store(mark); !marked.ok()) co_return;
  if (!allowed(message.sender)) co_return;  // strangers get nothing, not even a refusal
  auto read = [room = message.room](ChatStore& db) { return db.room(room); };
  auto room = co_await on_store(read);
  const bool direct = room.ok() && room.value().direct;
  const BotIdentity bot{options.config.user_id, localpart(options.config.user_id)};
  auto text = addressed_text(message.body, direct, bot);
  if (!text) co_return;
  auto command = parse_command(*text);
  ChatReply reply;
  if (!command.ok()) {
    reply = usage_reply(command.error());
  } else {
    auto replied = co_await replied_request(message);
    CommandOrigin origin{message.room, message.sender, replied};
    CommandServices services = options.commands;
    services.set_ambient = [self = shared_from_this()](std::string target, bool on) {
      return self->set_ambient(std::move(target), on);
    };
    CommandRunner runner(services);
    co_await typing(message.room, true);
    reply = co_await runner.run(command.value(), origin);
    co_await typing(message.room, false);
  }
  std::optional<std::string> in_reply_to = message.event_id;
  std::string txn = "stork-reply-" + message.event_id;
  co_await send(message.room, reply, in_reply_to, txn);
}

asio::awaitable<void> MatrixBot::Impl::send(const std::string& room, const ChatReply& reply,
                                            std::optional<std::string> in_reply_to,
                                            std::string txn) {
  const std::string body = json::serialize(message_content(reply, in_reply_to));
  MatrixRequest request{"PUT", room_path(room) + "/send/m.room.message/" + url_segment(txn), body};
  auto sent = co_await call_until_done(request);
  if (!sent.ok()) spdlog::warn("matrix: cannot post in {}: {}", room, sent.error().message());
}

asio::awaitable<void> MatrixBot::Impl::typing(const std::string& room, bool on) {
  json::object body{{"typing", on}};
  if (on) body["timeout"] = 30000;
  MatrixRequest request{"PUT", room_path(room) + "/typing/" + url_segment(options.config.user_id),
                        json::serialize(body), std::chrono::seconds(10)};
  (void)co_await call(request);  // a lost typing notice is harmless
}

asio::awaitable<void> MatrixBot::Impl::set_ambient(std::string room, bool on) {
  if (on) {
    ambient_rooms.insert(room);
  } else {
    ambient_rooms.erase(room);
  }
  auto save = [room = std::move(room), on](ChatStore& db) -> Result<void, std::string> {
    auto known = db.room(room);
    if (!known.ok()) return fail(known.error());
    auto entry = known.value();
    entry.ambient = on;
    return db.save_room(entry);
  };
  auto saved = co_await on_store(save);
  if (!saved.ok()) spdlog::warn("matrix: cannot store ambient: {}", saved.error());
}

asio::awaitable<void> MatrixBot::Impl::post_ambient(std::int64_t seq, std::string story,
                                                    std::string type) {
  ChatReply reply = ReplyBuilder().line(story + ": " + type).build();
  std::string key = "stork-ambient-" + std::to_string(seq);
  co_await post_notice(std::move(reply), std::move(key));
}

asio::awaitable<void> MatrixBot::Impl::post_notice(ChatReply notice, std::string key) {
  if (stopping || ambient_rooms.empty()) co_return;
  const std::vector<std::string> rooms(ambient_rooms.begin(), ambient_rooms.end());
  std::optional<std::string> no_reply;
  for (const auto& room : rooms) {
    co_await send(room, notice, no_reply, key);
  }
}

}  // namespace stork::chat
