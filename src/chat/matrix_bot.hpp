// MatrixBot: storkit's chat commands in Matrix rooms (docs/chat-matrix.md), the Matrix
// ChatTransport. One coroutine on
// its own strand long-polls /sync (the transfer runs on the shared worker pool and is aborted
// at stop), joins rooms it is invited to by allowed users, answers commands from allowed users
// through CommandRunner (typing notice while one runs, the answer as a reply to it), refuses
// encrypted rooms with a message, and posts every pipeline move to rooms with `ambient on`.
// The `since` token and the command events taken are kept in state.db (ChatStore), so a
// restart neither answers a command twice nor skips one. Rate limits (M_LIMIT_EXCEEDED) are
// waited out for retry_after_ms; network errors back off exponentially (backoff_delay).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "chat/chat_transport.hpp"
#include "chat/command_runner.hpp"
#include "config/chat_config.hpp"

namespace stork::engine {
class Pipeline;
}

namespace stork::chat {

struct MatrixBotOptions {
  std::filesystem::path project_root;
  boost::asio::any_io_executor workers;  // the shared pool: every HTTP call and SQLite use
  MatrixChatConfig config;
  CommandServices commands;              // set_ambient is the bot's own
  engine::Pipeline* pipeline = nullptr;  // ambient moves; none: ambient only stores the flag
  std::chrono::milliseconds backoff_base{1000};
  // At most this long between two tries, so that once the homeserver is back the bot resumes
  // within it (an outage of any length costs at most 30 s more than the outage).
  std::chrono::milliseconds backoff_cap{std::chrono::seconds(30)};
};

// failures-th consecutive failure (from 1): base * 2^(failures-1), at most cap.
std::chrono::milliseconds backoff_delay(int failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap);

class MatrixBot final : public ChatTransport {
 public:
  class Impl;
  MatrixBot(const boost::asio::any_io_executor& executor, MatrixBotOptions options);
  ~MatrixBot() override;

  std::string_view name() const override { return "matrix"; }
  // Starts the sync loop; returns at once.
  boost::asio::awaitable<void> start() override;
  // Aborts a running long-poll and any wait, and returns when the loop has ended.
  boost::asio::awaitable<void> stop() override;
  // An m.notice to each room with `ambient on`; `key` becomes the transaction id.
  boost::asio::awaitable<void> post_notice(ChatReply notice, std::string key) override;

 private:
  std::shared_ptr<Impl> impl_;
};

// `stork chat check`: logs in (token or password), asks whoami, syncs once without waiting,
// and reports what it found (rooms joined, invites, encrypted rooms). Blocking.
struct ChatCheckLine {
  bool ok = true;
  std::string text;
};
std::vector<ChatCheckLine> check_matrix(const MatrixChatConfig& config,
                                        const std::filesystem::path& project_root);

}  // namespace stork::chat
