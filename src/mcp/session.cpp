#include "mcp/session.hpp"

#include <cstdio>
#include <random>

#include "mcp/call_state.hpp"
#include "mcp/stream_channel.hpp"

namespace stork::mcp {

bool Session::has_live_get_stream() const {
  return get_stream && !get_stream->gone();
}

bool Session::busy() const {
  for (const auto& entry : in_flight) {
    if (!entry.second.expired()) return true;
  }
  return has_live_get_stream();
}

void Session::end() {
  ended = true;
  auto calls = std::move(in_flight);
  for (const auto& entry : calls) {
    if (auto call = entry.second.lock()) call->cancel();
  }
}

std::shared_ptr<Session> SessionTable::create(std::string protocol_version, Clock::time_point now) {
  auto session = std::make_shared<Session>();
  do {
    session->id = new_session_id();
  } while (sessions_.count(session->id) != 0);
  session->protocol_version = std::move(protocol_version);
  session->last_seen = now;
  sessions_.emplace(session->id, session);
  return session;
}

std::shared_ptr<Session> SessionTable::find(std::string_view id) const {
  auto it = sessions_.find(std::string(id));
  return it == sessions_.end() ? nullptr : it->second;
}

bool SessionTable::erase(std::string_view id) {
  auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return false;
  it->second->end();
  sessions_.erase(it);
  return true;
}

void SessionTable::sweep(Clock::time_point now, std::chrono::milliseconds idle_timeout) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    Session& session = *it->second;
    if (now - session.last_seen > idle_timeout && !session.busy()) {
      session.end();
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
}

std::string new_session_id() {
  std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(device()));
    id += part;
  }
  return id;
}

}  // namespace stork::mcp
