// MatrixBot's state, on one strand: the login, the store, the timer of the current wait and
// the cancel flag of the current transfer. Private to chat/ (matrix_bot.cpp: the sync loop,
// login and waits; matrix_bot_rooms.cpp: what a sync batch asks for).
#pragma once

#include <atomic>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/value.hpp>

#include "base/offload.hpp"
#include "base/wait_group.hpp"
#include "chat/chat_store.hpp"
#include "chat/matrix_bot.hpp"
#include "chat/matrix_protocol.hpp"
#include "notify/matrix_http.hpp"

namespace stork::chat {

using MatrixAnswer = Result<boost::json::value, notify::MatrixError>;

class MatrixBot::Impl : public std::enable_shared_from_this<MatrixBot::Impl> {
 public:
  Impl(const boost::asio::any_io_executor& executor, MatrixBotOptions options_in);

  // ---- the loop (matrix_bot.cpp) ----
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> log_in();
  // One API call on the worker pool with the bot's token.
  boost::asio::awaitable<MatrixAnswer> call(notify::MatrixRequest request);
  // A call retried through rate limits and network errors until it succeeds, the server
  // refuses it for good (4xx other than 429), or the bot stops.
  boost::asio::awaitable<MatrixAnswer> call_until_done(notify::MatrixRequest request);
  // How long to wait after `error` (rate limit: retry_after_ms; else the backoff).
  std::chrono::milliseconds delay_after(const notify::MatrixError& error);
  boost::asio::awaitable<void> wait(std::chrono::milliseconds delay);
  template <class F>
  auto on_store(F use) -> boost::asio::awaitable<std::invoke_result_t<F, ChatStore&>>;

  // ---- a sync batch (matrix_bot_rooms.cpp) ----
  boost::asio::awaitable<void> handle_batch(const SyncBatch& batch, bool first_sync);
  boost::asio::awaitable<void> handle_invite(const MatrixInvite& invite);
  boost::asio::awaitable<void> refuse_encrypted(const std::string& room);
  boost::asio::awaitable<void> handle_message(const MatrixMessage& message);
  boost::asio::awaitable<std::optional<std::string>> replied_request(const MatrixMessage& message);
  boost::asio::awaitable<void> send(const std::string& room, const ChatReply& reply,
                                    std::optional<std::string> in_reply_to, std::string txn);
  boost::asio::awaitable<void> typing(const std::string& room, bool on);
  boost::asio::awaitable<void> set_ambient(std::string room, bool on);
  boost::asio::awaitable<void> post_ambient(std::int64_t seq, std::string story, std::string type);
  boost::asio::awaitable<void> post_notice(ChatReply notice, std::string key);
  bool allowed(const std::string& user) const;

  boost::asio::strand<boost::asio::any_io_executor> strand;
  MatrixBotOptions options;
  std::unique_ptr<ChatStore> store;
  std::string token;
  std::atomic<bool> cancel{false};
  boost::asio::steady_timer timer;
  bool stopping = false;
  int failures = 0;  // consecutive failed calls, for the backoff
  std::uint64_t pipeline_listener = 0;
  // Rooms with `ambient on`, kept here too: post_ambient runs beside the loop and must not
  // use the store while the loop does.
  std::set<std::string> ambient_rooms;
  WaitGroup running;
  WaitGroup::Token loop_token;
};

// The store is used by the bot's one coroutine only, one call at a time, on a worker.
template <class F>
auto MatrixBot::Impl::on_store(F use)
    -> boost::asio::awaitable<std::invoke_result_t<F, ChatStore&>> {
  auto work = [db = store.get(), use = std::move(use)] { return use(*db); };
  auto result = co_await offload(options.workers, work);
  co_return result;
}

}  // namespace stork::chat
