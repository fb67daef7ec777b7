// ChatTransport: one chat network the server runs a bot on (Matrix: MatrixBot). The app needs
// of it only its life cycle and a way to post to its rooms; everything between a message and
// its answer (chat_command parsing, CommandRunner, ChatReply, ChatStore) knows no network and
// is shared. So a second network (Slack, IRC, ...) is one new class in a new file implementing
// this, built by app/chat_wiring.cpp from its own config table (docs/chat-matrix.md).
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "chat/chat_reply.hpp"

namespace stork::chat {

class ChatTransport {
 public:
  ChatTransport() = default;
  virtual ~ChatTransport() = default;
  ChatTransport(const ChatTransport&) = delete;
  ChatTransport& operator=(const ChatTransport&) = delete;

  // "matrix": names the transport in logs.
  virtual std::string_view name() const = 0;
  // Connects and starts answering commands; returns at once (the work runs on the transport's
  // own strand).
  virtual boost::asio::awaitable<void> start() = 0;
  // Ends every transfer and wait, and returns when nothing of the transport runs any more.
  virtual boost::asio::awaitable<void> stop() = 0;
  // Posts `notice` (not a reply) to the rooms that asked for the pipeline's moves (`ambient
  // on`). `key` is the notice's identity: a retried post of the same key is shown once.
  virtual boost::asio::awaitable<void> post_notice(ChatReply notice, std::string key) = 0;
};

}  // namespace stork::chat
