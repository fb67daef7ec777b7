#include "http/event_stream.hpp"

#include <string_view>
#include <utility>

#include "http/event_stream_access.hpp"

namespace stork::http {

namespace {

std::string single_line(std::string text) {
  std::erase_if(text, [](char c) { return c == '\r' || c == '\n'; });
  return text;
}

// Every line of `data` becomes one "data:" line, so a payload with newlines survives intact
// (the client joins them with "\n").
std::string format_event(std::string_view data, const std::string& event, const std::string& id) {
  std::string out;
  out.reserve(data.size() + event.size() + id.size() + 32);
  if (!id.empty()) out.append("id: ").append(id).append("\n");
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  std::size_t start = 0;
  while (true) {
    std::size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.append("data: ").append(line).append("\n");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.append("\n");
  return out;
}

}  // namespace

EventStream::EventStream(std::size_t max_pending_bytes) : max_pending_bytes_(max_pending_bytes) {}

bool EventStream::send(std::string_view data, std::string event, std::string id) {
  return enqueue(format_event(data, single_line(std::move(event)), single_line(std::move(id))));
}

void EventStream::comment(std::string text) {
  enqueue(": " + single_line(std::move(text)) + "\n\n");
}

bool EventStream::enqueue(const std::string& bytes) {
  std::vector<std::function<void()>> callbacks;
  std::function<void()> waker;
  bool accepted = true;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    if (pending_.size() + bytes.size() > max_pending_bytes_) {
      callbacks = finish_locked(/*discard_pending=*/true);
      accepted = false;
    } else {
      pending_.append(bytes);
    }
    waker = waker_;
  }
  if (waker) waker();
  run(callbacks);
  return accepted;
}

void EventStream::close() {
  std::vector<std::function<void()>> callbacks;
  std::function<void()> waker;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    callbacks = finish_locked(/*discard_pending=*/false);
    waker = waker_;
  }
  if (waker) waker();
  run(callbacks);
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void EventStream::on_close(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) {
      on_close_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

std::vector<std::function<void()>> EventStream::finish_locked(bool discard_pending) {
  closed_ = true;
  if (discard_pending) {
    abandoned_ = true;
    pending_.clear();
  }
  return std::exchange(on_close_, {});
}

void EventStream::run(const std::vector<std::function<void()>>& callbacks) {
  for (const auto& callback : callbacks)
    callback();
}

namespace detail {

void EventStreamAccess::attach(EventStream& stream, std::function<void()> waker) {
  std::lock_guard lock(stream.mutex_);
  stream.waker_ = std::move(waker);
}

EventStreamAccess::Taken EventStreamAccess::take(EventStream& stream) {
  std::lock_guard lock(stream.mutex_);
  Taken taken;
  taken.bytes = std::exchange(stream.pending_, {});
  taken.closed = stream.closed_;
  taken.abandoned = stream.abandoned_;
  return taken;
}

bool EventStreamAccess::abandoned(const EventStream& stream) {
  std::lock_guard lock(stream.mutex_);
  return stream.abandoned_;
}

void EventStreamAccess::abandon(EventStream& stream) {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(stream.mutex_);
    stream.waker_ = nullptr;
    if (stream.closed_) {
      stream.abandoned_ = true;
      stream.pending_.clear();
      return;
    }
    callbacks = stream.finish_locked(/*discard_pending=*/true);
  }
  EventStream::run(callbacks);
}

}  // namespace detail

}  // namespace stork::http
