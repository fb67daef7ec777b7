// The connection's side of a WsClient (internal to the server): creating it, registering the
// writer's waker, taking the queued work, and marking the end.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "http/ws_client.hpp"

namespace stork::http::detail {

struct WsClientAccess {
  struct Work {
    std::deque<std::string> messages;
    bool report_overflow = false;  // call on_overflow now (once per overflow)
    bool close_requested = false;  // send a close frame after `messages`
    bool closed = false;           // the connection is gone: stop writing
  };

  static std::shared_ptr<WsClient> create(std::uint64_t id, Request request,
                                          std::size_t max_messages, std::size_t max_bytes,
                                          std::shared_ptr<OutboundBudget> budget = nullptr);
  // `waker` runs (on any thread) after every change; it must only schedule work.
  static void attach(WsClient& client, std::function<void()> waker);
  static Work take(WsClient& client);
  static bool take_overflow_report(WsClient& client);        // true once per overflow
  static void written(WsClient& client, std::size_t bytes);  // a message left: out of the budget
  static bool take_drop(WsClient& client);    // true once when the budget refused the client
  static void mark_closed(WsClient& client);  // also drops the waker
};

}  // namespace stork::http::detail
