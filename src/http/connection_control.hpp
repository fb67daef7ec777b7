// ConnectionControl: how Server::stop reaches a connection that lives in its own coroutine on
// its own strand. The coroutine sets, for the phase it is in, what "shut down" means (an idle
// keep-alive connection: cancel the read; an SSE stream: end it; a WebSocket: send a close
// frame) and what "force close" means (close the socket). The registry holds one per live
// connection. Internal to the server.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace stork::http::detail {

class ConnectionControl : public std::enable_shared_from_this<ConnectionControl> {
 public:
  explicit ConnectionControl(boost::asio::any_io_executor strand) : strand_(std::move(strand)) {}

  // On the strand. The actions may refer to the coroutine's locals: clear them (set_actions
  // with {}) before those end.
  void set_actions(std::function<void()> shutdown, std::function<void()> force_close);
  bool shutdown_requested() const { return shutdown_requested_; }  // on the strand

  // Any thread: run the current action on the strand.
  void request_shutdown();
  void force_close();

 private:
  boost::asio::any_io_executor strand_;
  std::function<void()> shutdown_;
  std::function<void()> force_close_;
  bool shutdown_requested_ = false;
};

class ConnectionRegistry {
 public:
  std::uint64_t add(std::shared_ptr<ConnectionControl> connection);
  void remove(std::uint64_t id);
  std::size_t size() const;
  std::vector<std::shared_ptr<ConnectionControl>> all() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<ConnectionControl>> connections_;
};

// Registers a connection for as long as it lives (a local of the connection's coroutine).
class ConnectionRegistration {
 public:
  ConnectionRegistration(ConnectionRegistry& registry, std::shared_ptr<ConnectionControl> control)
      : registry_(registry), id_(registry.add(std::move(control))) {}
  ~ConnectionRegistration() { registry_.remove(id_); }
  ConnectionRegistration(const ConnectionRegistration&) = delete;
  ConnectionRegistration& operator=(const ConnectionRegistration&) = delete;

 private:
  ConnectionRegistry& registry_;
  std::uint64_t id_;
};

// Clears the control's actions when the scope that their captures refer to ends.
class ActionsGuard {
 public:
  explicit ActionsGuard(ConnectionControl& control) : control_(control) {}
  ~ActionsGuard() { control_.set_actions({}, {}); }
  ActionsGuard(const ActionsGuard&) = delete;
  ActionsGuard& operator=(const ActionsGuard&) = delete;

 private:
  ConnectionControl& control_;
};

}  // namespace stork::http::detail
