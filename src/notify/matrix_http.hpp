// One call of the Matrix Client-Server API (v3) over libcurl, blocking the calling thread: run
// it on the shared worker pool (stork::offload). Shared by the chat bot (src/chat) and the
// `matrix` notification channel. A set `cancel` flag aborts the transfer within about a second
// (curl's progress callback), which is how a `/sync` long-poll ends at shutdown. Errors are
// typed: no answer (network), an answer with the spec's {errcode, error, retry_after_ms}, or a
// cancel. Never throws.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "base/result.hpp"

namespace stork::notify {

struct MatrixError {
  enum class Kind { Network, Http, Cancelled };
  Kind kind = Kind::Network;
  long status = 0;      // the HTTP status (Http)
  std::string errcode;  // "M_LIMIT_EXCEEDED", "M_UNKNOWN_TOKEN", ...; "" when not given
  std::string error;    // the server's words, or curl's
  std::optional<std::int64_t> retry_after_ms;  // M_LIMIT_EXCEEDED
  std::string message() const;                 // one line for logs and replies
};

struct MatrixRequest {
  std::string method = "GET";  // GET, POST, PUT
  std::string path;            // "/_matrix/client/v3/sync?timeout=30000" (encoded)
  std::string body;            // JSON text for POST and PUT
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// `homeserver` is "https://matrix.example.org" (a trailing '/' is dropped); `access_token`
// empty for calls without one (login).
Result<boost::json::value, MatrixError> matrix_call(const std::string& homeserver,
                                                    const std::string& access_token,
                                                    const MatrixRequest& request,
                                                    const std::atomic<bool>& cancel);

// A path segment with everything but unreserved characters percent-encoded ("!a:b" → "%21a%3Ab").
std::string url_segment(std::string_view text);

}  // namespace stork::notify
