// EventStream: the body of a server-sent-events response. A handler creates one, returns
// Response::sse(stream) and keeps the shared_ptr; any thread may then send() events and
// close() it. The connection writes what it gets, in order, as text/event-stream.
//
// The stream ends once, for whichever reason comes first: close() (what is pending is still
// written), the client going away, more than `max_pending_bytes` waiting to be written (a
// client that stops reading), or the server stopping. Then closed() is true, send() refuses,
// and every on_close callback runs once (at once when registered after the end), so the
// producer stops producing. Callbacks run on the thread that ended the stream; they must not
// block.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace stork::http {

namespace detail {
struct EventStreamAccess;
}

class EventStream {
 public:
  static constexpr std::size_t default_max_pending_bytes = 4 << 20;

  explicit EventStream(std::size_t max_pending_bytes = default_max_pending_bytes);
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // One event: "id: ..", "event: ..", one "data: " line per line of `data`. CR and LF are
  // removed from `event` and `id`. False once the stream has ended.
  bool send(std::string_view data, std::string event = {}, std::string id = {});
  // A comment line (": text"), e.g. a keep-alive that makes a dead client show up.
  void comment(std::string text);
  void close();
  bool closed() const;
  void on_close(std::function<void()> callback);

 private:
  friend struct detail::EventStreamAccess;

  // Appends formatted bytes; ends the stream when they would exceed the bound.
  bool enqueue(const std::string& bytes);
  // Marks the end and returns the callbacks to run (outside the lock).
  std::vector<std::function<void()>> finish_locked(bool discard_pending);
  static void run(const std::vector<std::function<void()>>& callbacks);

  const std::size_t max_pending_bytes_;
  mutable std::mutex mutex_;
  std::string pending_;     // formatted, not yet taken by the connection
  bool closed_ = false;     // no more sends
  bool abandoned_ = false;  // ended without flushing (client gone, overflow)
  std::vector<std::function<void()>> on_close_;
  std::function<void()> waker_;  // set by the connection: "something changed"
};

}  // namespace stork::http
