// EventHub: the WebSocket event stream at /ws (protocol: docs/api.md). Clients subscribe to the
// pipeline's events and to the events of single agent runs; with `after_seq` they first get
// what they missed (from the pipeline journal or the state database), then live events, with
// no gap and no duplicate between the two. A client that cannot keep up is told to resync and
// loses its subscriptions; it subscribes again with the last seq it saw. Slow clients never
// hold up the others (each has its own bounded send queue in the http module).
//
// All subscription state lives on one strand; the pool's and the pipeline's listeners only
// post to it.
#pragma once

#include <cstddef>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "api/api_services.hpp"
#include "http/ws_client.hpp"

namespace stork::api {

class EventHub : public std::enable_shared_from_this<EventHub> {
 public:
  class Impl;

  // `replay_page`: events sent per step of a replay (each step gives the connection's writer
  // a chance to take its queue, so a long replay does not overflow a client that reads).
  static std::shared_ptr<EventHub> create(const boost::asio::any_io_executor& executor,
                                          ApiServices services, std::size_t replay_page = 256);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  boost::asio::awaitable<void> start();  // subscribes to the pool and the pipeline
  boost::asio::awaitable<void> stop();   // unsubscribes; clients get nothing more
  http::WsHandler handler();             // server.set_ws_handler("/ws", hub->handler())
  std::size_t client_count() const;      // connected WebSocket clients
  // Sends `message` (a JSON text, e.g. a notification) to every client that follows the
  // pipeline or the agents. Any thread.
  void broadcast(std::string message);

 private:
  explicit EventHub(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::api
