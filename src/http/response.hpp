// Response: what a handler returns. A plain body by default; with `stream` set, a
// server-sent-events response whose events the handler sends later through the EventStream.
// The error shape every stork endpoint uses: {"error":{"code":"...","message":"..."}}.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/event_stream.hpp"

namespace stork::http {

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set: sent instead of `body`, without copying it (an answer kept for many requests).
  std::shared_ptr<const std::string> shared_body;
  std::shared_ptr<EventStream> stream;  // set: an SSE response (text/event-stream), body ignored

  static Response json(unsigned status, std::string body);
  static Response json(unsigned status, std::shared_ptr<const std::string> body);
  static Response text(unsigned status, std::string body, std::string content_type);
  static Response error(unsigned status, std::string_view code, std::string_view message);
  static Response sse(std::shared_ptr<EventStream> stream);
};

// The JSON text of Response::error's body.
std::string error_json(std::string_view code, std::string_view message);

}  // namespace stork::http
