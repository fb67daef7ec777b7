#include "http/ws_client.hpp"

#include <utility>

#include "http/ws_client_access.hpp"

namespace stork::http {

WsClient::WsClient(std::uint64_t id, Request request, std::size_t max_messages,
                   std::size_t max_bytes, std::shared_ptr<OutboundBudget> budget)
    : id_(id),
      request_(std::move(request)),
      max_messages_(max_messages),
      max_bytes_(max_bytes),
      budget_(std::move(budget)) {}

void WsClient::drop_queue() {
  if (budget_) budget_->release(queued_bytes_);
  held_bytes_ -= queued_bytes_;
  queue_.clear();
  queued_bytes_ = 0;
}

bool WsClient::send(std::string text) {
  bool accepted = true;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || close_requested_ || overflowed_ || dropped_) return false;
    if (budget_ && !budget_->reserve(text.size(), held_bytes_)) {
      // Over the global budget and over its share: this client is not reading. Its queue goes
      // now; the connection is closed on its strand (the wake's hook).
      drop_queue();
      dropped_ = true;
      drop_unreported_ = true;
      accepted = false;
    } else {
      held_bytes_ += text.size();
      queued_bytes_ += text.size();
      queue_.push_back(std::move(text));
    }
    if (accepted && (queue_.size() > max_messages_ || queued_bytes_ > max_bytes_)) {
      // Dropping everything (not just the newest) is deliberate: the client has to resync
      // anyway, and the memory is what we must not keep.
      drop_queue();
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
                                                 std::size_t max_messages, std::size_t max_bytes,
                                                 std::shared_ptr<OutboundBudget> budget) {
  return std::shared_ptr<WsClient>(
      new WsClient(id, std::move(request), max_messages, max_bytes, std::move(budget)));
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

void WsClientAccess::written(WsClient& client, std::size_t bytes) {
  std::lock_guard lock(client.mutex_);
  if (client.closed_) return;  // mark_closed released everything held
  client.held_bytes_ -= bytes;
  if (client.budget_) client.budget_->release(bytes);
}

bool WsClientAccess::take_drop(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  return !client.closed_ && std::exchange(client.drop_unreported_, false);
}

bool WsClientAccess::take_overflow_report(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  return !client.closed_ && std::exchange(client.overflow_unreported_, false);
}

void WsClientAccess::mark_closed(WsClient& client) {
  std::lock_guard lock(client.mutex_);
  if (client.closed_) return;
  client.closed_ = true;
  // The queue and whatever the writer still holds leave the budget; the memory goes with the
  // queue's storage (shrunk, not only cleared).
  if (client.budget_) client.budget_->release(client.held_bytes_);
  client.held_bytes_ = 0;
  std::deque<std::string>().swap(client.queue_);
  client.queued_bytes_ = 0;
  client.waker_ = nullptr;
}

}  // namespace detail

}  // namespace stork::http
