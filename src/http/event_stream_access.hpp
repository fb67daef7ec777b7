// The connection's side of an EventStream (internal to the server): it registers a waker,
// takes what is pending, and abandons the stream when the client is gone. Handlers never use it.
#pragma once

#include <functional>
#include <string>

#include "http/event_stream.hpp"

namespace stork::http::detail {

struct EventStreamAccess {
  struct Taken {
    std::string bytes;       // formatted events to write now
    bool closed = false;     // nothing more will come
    bool abandoned = false;  // ended without flush: close the connection at once
  };

  // `waker` runs (on any thread) after every change; it must only schedule work.
  static void attach(EventStream& stream, std::function<void()> waker);
  static Taken take(EventStream& stream);
  static bool abandoned(const EventStream& stream);
  // The client went away or the connection failed: end the stream (on_close fires) and drop
  // the waker.
  static void abandon(EventStream& stream);
};

}  // namespace stork::http::detail
