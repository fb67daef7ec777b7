#include "http/connection_control.hpp"

#include <boost/asio/post.hpp>

namespace stork::http::detail {

void ConnectionControl::set_actions(std::function<void()> shutdown,
                                    std::function<void()> force_close) {
  shutdown_ = std::move(shutdown);
  force_close_ = std::move(force_close);
}

void ConnectionControl::request_shutdown() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->shutdown_requested_ = true;
    if (self->shutdown_) self->shutdown_();
  });
}

void ConnectionControl::force_close() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->shutdown_requested_ = true;
    if (self->force_close_) self->force_close_();
  });
}

std::uint64_t ConnectionRegistry::add(std::shared_ptr<ConnectionControl> connection) {
  std::lock_guard lock(mutex_);
  std::uint64_t id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::vector<std::shared_ptr<ConnectionControl>> ConnectionRegistry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<ConnectionControl>> result;
  result.reserve(connections_.size());
  for (const auto& [id, connection] : connections_)
    result.push_back(connection);
  return result;
}

}  // namespace stork::http::detail
