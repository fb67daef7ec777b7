// WsClient: one connected WebSocket client, as the app sees it. The app decides what messages
// mean; this only carries text frames. send() is thread-safe and never blocks: it queues, and
// the connection's writer drains the queue. A client that does not keep up is not allowed to
// grow memory without bound: when its queue exceeds the server's limits the queue is dropped,
// overflowed() becomes true, WsHandler::on_overflow runs once (on the connection's strand), and
// sends are refused until the app calls resync() (after which it usually sends the client a
// "resync" message so the client reloads its state). Every byte queued or being written also
// counts in the server's global OutboundBudget: a client refused there (over the budget and
// over its share) is dropped, its connection closed (docs/serve.md, "Slow clients").
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "http/outbound_budget.hpp"
#include "http/request.hpp"

namespace stork::http {

namespace detail {
struct WsClientAccess;
}

class WsClient {
 public:
  std::uint64_t id() const { return id_; }
  // The upgrade request: path, query (e.g. ?since=42), headers, remote address.
  const Request& request() const { return request_; }

  bool send(std::string text);  // false: closed, dropped, or overflowed and not yet resynced
  bool overflowed() const;
  void resync();
  void close();  // sends what is queued, then a close frame
  bool closed() const;

 private:
  friend struct detail::WsClientAccess;
  WsClient(std::uint64_t id, Request request, std::size_t max_messages, std::size_t max_bytes,
           std::shared_ptr<OutboundBudget> budget);
  void wake() const;
  void drop_queue();  // under mutex_: the queue's bytes leave the budget

  const std::uint64_t id_;
  const Request request_;
  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  const std::shared_ptr<OutboundBudget> budget_;  // may be null (no global budget)
  std::size_t held_bytes_ = 0;                    // queued + being written: in budget_
  bool dropped_ = false;                          // refused by the budget: close the connection
  bool drop_unreported_ = false;
  bool overflowed_ = false;
  bool overflow_unreported_ = false;
  bool close_requested_ = false;
  bool closed_ = false;
  std::function<void()> waker_;
};

// The app's side of the WebSocket endpoint. Every callback runs on the client's connection
// strand; none may block. on_close runs once, after the connection has ended.
struct WsHandler {
  std::function<void(std::shared_ptr<WsClient>)> on_open;
  std::function<void(const std::shared_ptr<WsClient>&, std::string text)> on_message;
  std::function<void(const std::shared_ptr<WsClient>&)> on_overflow;  // tell it to resync
  std::function<void(const std::shared_ptr<WsClient>&)> on_close;
};

}  // namespace stork::http
