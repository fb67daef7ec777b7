// Server-sent events as model APIs stream them: "event:" and "data:" fields, events ended by
// a blank line, several data lines joined with "\n", comments (":...") ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proc/line_splitter.hpp"

namespace stork::agents::api {

struct SseEvent {
  std::string event;  // "" when the server sent no event field
  std::string data;
};

class SseParser {
 public:
  SseParser() : lines_(8 << 20) {}
  // Appends the events completed by `bytes` to `out`.
  void feed(std::string_view bytes, std::vector<SseEvent>& out);
  // The end of the stream: an event without its blank line still counts.
  void finish(std::vector<SseEvent>& out);

 private:
  void take_line(const std::string& line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  proc::LineSplitter lines_;
  SseEvent pending_;
  bool has_data_ = false;
};

}  // namespace stork::agents::api
