// JSON-RPC 2.0 as MCP uses it (internal to the mcp module): sorting incoming messages into
// requests, notifications, responses and invalid ones, and building the messages we send.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace stork::mcp::jsonrpc {

namespace json = boost::json;

enum Code : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
};

struct Error {
  int code = kInternalError;
  std::string message;
  json::value data;  // null: no "data" member
};

enum class Kind { request, notification, response, invalid };

struct Message {
  Kind kind = Kind::invalid;
  json::value id;       // requests: their id; invalid: the id when it is usable, else null
  std::string method;   // requests and notifications
  json::value params;   // null when absent
  std::string problem;  // invalid: what is wrong and what to send instead
};

Message classify(const json::value& message);

json::value error_response(const json::value& id, const Error& error);
json::value result_response(const json::value& id, json::value result);
json::value notification(std::string_view method, json::object params);

// A key for a request id that keeps 1 and "1" apart (for cancellation lookups).
std::string id_key(const json::value& id);

}  // namespace stork::mcp::jsonrpc
