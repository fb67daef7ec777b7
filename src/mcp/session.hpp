// MCP sessions of the Streamable HTTP transport (internal): created by initialize, named by
// the Mcp-Session-Id header, ended by DELETE or by idling past the timeout. Used only on the
// server's strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mcp/protocol_rules.hpp"

namespace stork::mcp {

class StreamChannel;
namespace detail {
struct CallState;
}

using Clock = std::chrono::steady_clock;

struct Session {
  std::string id;
  std::string protocol_version;
  int log_rank = kDefaultLogRank;
  bool initialized = false;  // notifications/initialized arrived
  bool ended = false;
  Clock::time_point last_seen;
  std::shared_ptr<StreamChannel> get_stream;  // the one GET stream, while it is open
  std::map<std::string, std::weak_ptr<detail::CallState>> in_flight;  // by jsonrpc::id_key

  bool has_live_get_stream() const;
  // Running calls and an open GET stream keep a session from expiring.
  bool busy() const;
  // Marks the session ended and cancels its running calls.
  void end();
};

class SessionTable {
 public:
  std::shared_ptr<Session> create(std::string protocol_version, Clock::time_point now);
  std::shared_ptr<Session> find(std::string_view id) const;
  bool erase(std::string_view id);  // ends the session; false if unknown
  void sweep(Clock::time_point now, std::chrono::milliseconds idle_timeout);
  std::size_t size() const { return sessions_.size(); }

  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& entry : sessions_)
      visit(*entry.second);
  }

 private:
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
};

// 128 random bits from std::random_device as 32 lowercase hex digits.
std::string new_session_id();

}  // namespace stork::mcp
