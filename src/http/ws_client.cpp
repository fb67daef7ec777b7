#include "http/ws_client.hpp"

#include <utility>

#include "http/ws_client_access.hpp"

namespace stork::http {

WsClient::WsClient(std::uint64_t id, Request request, std::size_t max_messages,
                   std::size_t max_bytes)
    : id_(id), request_(std::move(request)), max_messages_(max_messages), max_bytes_(max_bytes) {}

bool WsClient::send(std::string text) {
  bool accepted = true;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || close_requested_ || overflowed_) return false;
    queued_bytes_ += text.size();
    queue_.push_back(std::move(text));
    if (queue_.size() > max_messages_ || queued_bytes_ > max_bytes_) {
      // Dropping everything (not just the newest) is deliberate: the client has to resync
      // anyway, and the memory is what we must not keep.
      queue_.clear();
      queued_bytes_ = 0;
      overflowed_ = true;
      overflow_unreported_ = true;
      accepted = false;
    }
  }
  wake();
  return accepted;
}

bool WsClient::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void WsClient::resync() {
  std::lock_guard lock(mutex_);
  overflowed_ = false;
}

void WsClient::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || close_requested_) return;
    close_requested_ = true;
  }
  wake();
}

bool WsClient::closed() const {
  std::lock_guard lock(mutex_);
  return closed_ || close_requested_;
}

void WsClient::wake() const {
  std::function<void()> waker;
  {
    std::lock_guard lock(mutex_);
    waker = waker_;
  }
  if (waker) waker();
}

namespace detail {

std::shared_ptr<WsClient> WsClientAccess::create(std::uint64_t id, Request request,
                                                 std::size_t max_messages, std::size_t max_bytes) {
  return std::shared_ptr<WsClient>(new WsClient(id, std::move(request), max_messages, max_bytes));
}

void WsClientAccess::attach(WsClient& client, std::function<void()> waker) {
  std::lock_guard lock(client.mutex_);
  client.waker_ = std::move(waker);
}

WsClientAccess::Work WsClientAccess::take(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  Work work;
  work.closed = client.closed_;
  if (work.closed) return work;
  work.messages = std::exchange(client.queue_, {});
  client.queued_bytes_ = 0;
  work.report_overflow = std::exchange(client.overflow_unreported_, false);
  work.close_requested = client.close_requested_;
  return work;
}

bool WsClientAccess::take_overflow_report(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  return !client.closed_ && std::exchange(client.overflow_unreported_, false);
}

void WsClientAccess::mark_closed(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  client.closed_ = true;
  client.queue_.clear();
  client.queued_bytes_ = 0;
  client.waker_ = nullptr;
}

}  // namespace detail

}  // namespace stork::http
