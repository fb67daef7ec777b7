// JSON-RPC 2.0 messages as ACP agents exchange them over stdio: one JSON object per line
// (newline-delimited, no Content-Length framing). Parsing treats the line as hostile input: any
// shape that is not a request, a notification or a response is an error naming the field, never
// an exception. Encoding gives one line, newline-terminated, ready for the agent's stdin.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "base/result.hpp"

namespace stork::acp {

enum class MessageKind { Request, Notification, Response };

struct RpcError {
  std::int64_t code = 0;
  std::string message;
};

struct Message {
  MessageKind kind = MessageKind::Notification;
  boost::json::value id;          // Request, Response: a number or a string
  std::string method;             // Request, Notification
  boost::json::value params;      // Request, Notification (null when absent)
  boost::json::value result;      // Response without error
  std::optional<RpcError> error;  // Response with error
};

// e.g. "not JSON: ...", "field 'method' is not a string"
Result<Message, std::string> parse_message(std::string_view line);

std::string encode_request(std::int64_t id, std::string_view method, boost::json::object params);
std::string encode_notification(std::string_view method, boost::json::object params);
std::string encode_result(const boost::json::value& id, boost::json::value result);
std::string encode_error(const boost::json::value& id, std::int64_t code, std::string_view message);

// JSON-RPC's error codes that stork answers with.
inline constexpr std::int64_t kMethodNotFound = -32601;
inline constexpr std::int64_t kInvalidParams = -32602;
inline constexpr std::int64_t kInternalError = -32603;

}  // namespace stork::acp
