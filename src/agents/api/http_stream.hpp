// One HTTP POST to a model API with a streamed answer, on libcurl, blocking the calling thread
// (an API run offloads it to a worker thread). The body of a 2xx answer is handed to `on_body` as
// it arrives; any other answer's body is collected (up to 64 KB) for the error message. A set
// `cancel` flag aborts the transfer within milliseconds (curl's progress callback), so
// stop_agent takes effect at once even in the middle of a stream. TLS is curl's (https).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stork::agents::api {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::chrono::seconds connect_timeout{30};
  // No byte received for this long, counted from the start of the request (a reasoning model
  // that thinks longer than this before its first byte needs a larger agent
  // inactivity_timeout_secs): the connection counts as dropped.
  std::chrono::milliseconds idle_timeout{300000};
};

struct HttpResponse {
  long status = 0;                                           // 0: no HTTP answer
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string error_body;                                    // a non-2xx answer's body (truncated)
  std::string transport_error;  // curl's message when the transfer failed (reset, timeout)
  bool cancelled = false;

  // The header's value, "" when absent.
  std::string header(std::string_view lower_case_name) const;
};

HttpResponse post_streaming(const HttpRequest& request,
                            const std::function<void(std::string_view)>& on_body,
                            const std::atomic<bool>& cancel);

// Unix seconds of an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), or -1.
long long parse_http_date(const std::string& text);

}  // namespace stork::agents::api
