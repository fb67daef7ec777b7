// The server's side of one running tool call (internal): what ToolContext reports through and
// what cancellation reaches. Created and cancelled on the server's strand.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/value.hpp>

#include "mcp/tool.hpp"

namespace stork::mcp {
class StreamChannel;
struct Session;
}  // namespace stork::mcp

namespace stork::mcp::detail {

using Strand = boost::asio::strand<boost::asio::any_io_executor>;

struct CallState {
  CallState(Strand strand_in, std::shared_ptr<Session> session_in,
            std::shared_ptr<StreamChannel> channel_in, boost::json::value progress_token_in,
            std::string logger_in, CallerIdentity caller_in = {});

  // Fixed at construction, readable from any thread.
  const Strand strand;
  const std::shared_ptr<Session> session;        // null for in-process calls
  const std::shared_ptr<StreamChannel> channel;  // null when the reply is not a stream
  const boost::json::value progress_token;       // null: the caller asked for no progress
  const std::string logger;
  const std::string session_id;
  const CallerIdentity caller;

  std::atomic<bool> cancelled{false};
  boost::asio::cancellation_signal signal;

  // On the strand: marks the call cancelled and emits the signal (once).
  void cancel();
  // On the strand: sends when there is a channel and the client is still there.
  void send(const boost::json::value& message) const;
};

}  // namespace stork::mcp::detail
