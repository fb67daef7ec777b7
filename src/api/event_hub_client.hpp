// What the EventHub keeps per WebSocket client: its socket and its subscriptions (the pipeline,
// runs by id, every run's status). Private to api/event_hub.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "api/replay_gate.hpp"
#include "http/ws_client.hpp"

namespace stork::api::hub_detail {

struct Subscription {
  std::uint64_t generation = 0;  // tells a replay whether its subscription still stands
  ReplayGate gate;
};

struct Client {
  std::shared_ptr<http::WsClient> socket;
  std::optional<Subscription> pipeline;
  std::map<std::int64_t, Subscription> runs;  // by run id
  bool agents = false;                        // every run's status changes (no replay)
};

}  // namespace stork::api::hub_detail
