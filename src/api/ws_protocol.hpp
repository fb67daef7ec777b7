// The messages of the /ws protocol (docs/api.md), apart from the events themselves
// (event_json.hpp): what clients send, parsed strictly, and the hub's control messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace stork::api {

// {"type":"subscribe"|"unsubscribe", "pipeline":true | "run":RUN_ID | "agents":true,
//  "after_seq":N?}
struct ClientRequest {
  enum class Kind { Subscribe, Unsubscribe };
  Kind kind = Kind::Subscribe;
  // The agents stream (every run's status changes) has no sequence and no replay: a client
  // reads GET /api/agents after subscribing. `run` is unset for it, as for the pipeline.
  bool agents = false;
  std::optional<std::int64_t> run;        // set: a run's events; unset: the pipeline's
  std::optional<std::int64_t> after_seq;  // subscribe only: replay events after this seq
};

// The error says what is wrong, for the client's {"type":"error"} message.
Result<ClientRequest, std::string> parse_client_message(std::string_view text);

// {"type":"error","message"}
std::string error_message(std::string_view message);
// {"type":"resync","reason"}
std::string resync_message(std::string_view reason);
// {"type":"subscribed","pipeline":true | "run":N,"last_seq":N|null}: the replay is over (N is the
// last seq it sent, or after_seq when nothing was missed; null without after_seq); live events
// follow.
std::string subscribed_message(std::optional<std::int64_t> run,
                               std::optional<std::int64_t> last_seq);
// {"type":"unsubscribed","pipeline":true | "run":N}
std::string unsubscribed_message(std::optional<std::int64_t> run);
// {"type":"subscribed","agents":true,"last_seq":null} / {"type":"unsubscribed","agents":true}
std::string agents_subscribed_message();
std::string agents_unsubscribed_message();

}  // namespace stork::api
