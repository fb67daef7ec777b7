// ModelProtocol: what differs between the model APIs an API run speaks (OpenAI Chat
// Completions, Gemini generateContent): the request, the streamed answer, how the conversation
// records turns and tool results, and how a 429 says when to come back. The loop itself
// (api_run.cpp) is the same for all of them. Internal to the agents module.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "agents/api/http_stream.hpp"
#include "agents/api/sse_parser.hpp"
#include "agents/runtime/tool_host.hpp"

namespace stork::agents::api {

struct ToolCallRequest {
  std::string id;  // the provider's call id (generated when it sends none)
  std::string name;
  std::string arguments;  // JSON text as the model sent it (may be invalid)
};

struct TurnUsage {
  std::int64_t input_tokens = 0;  // all prompt tokens, cached ones included
  std::int64_t output_tokens = 0;
  std::int64_t cached_input_tokens = 0;
};

// One answer of the model, assembled from its stream.
struct ModelTurn {
  std::string text;
  std::vector<ToolCallRequest> tool_calls;
  std::optional<TurnUsage> usage;
  std::string model;                 // as the API names it, when it does
  bool complete = false;             // the stream said it was finished (not cut off)
  std::optional<std::string> error;  // an error the stream itself carried
  boost::json::object message;       // the assistant's message in the provider's format
};

// What an event adds for live events: answer text and thinking (Gemini's thought parts, the
// reasoning_content of OpenAI-compatible servers such as vLLM), not yet reported.
struct LiveText {
  std::string text;
  std::string thinking;
};

// Reads one streamed answer.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Appends what the event adds to `live`.
  virtual void on_event(const SseEvent& event, LiveText& live) = 0;
  virtual ModelTurn finish() = 0;
};

struct Endpoint {
  std::string base_url;  // without a trailing '/'
  std::string model;
  std::string api_key;  // "" sends no key (a local server)
};

// When a 429 says the limit resets, in Unix seconds, and which limit it is.
struct RateLimitReset {
  std::optional<std::int64_t> resets_at_unix_s;
  std::string limit_type;
};

class ModelProtocol {
 public:
  virtual ~ModelProtocol() = default;
  virtual std::string_view runtime() const = 0;
  virtual std::string default_base_url() const = 0;
  virtual std::string default_key_env() const = 0;

  virtual void add_user_text(boost::json::array& conversation, const std::string& text) const = 0;
  virtual HttpRequest build_request(const Endpoint& endpoint, const std::string& system_prompt,
                                    const boost::json::array& conversation,
                                    const std::vector<ToolSpec>& tools) const = 0;
  virtual std::unique_ptr<StreamDecoder> decoder() const = 0;
  // The assistant's turn (turn.message) and then the results of its tool calls, in order.
  virtual void add_turn(boost::json::array& conversation, const ModelTurn& turn,
                        const std::vector<ToolCallResult>& results) const = 0;
  virtual RateLimitReset rate_limit_reset(const HttpResponse& response,
                                          std::int64_t now_unix_s) const = 0;
};

std::unique_ptr<ModelProtocol> make_openai_protocol();
std::unique_ptr<ModelProtocol> make_gemini_protocol();

// The message of an API error body ({"error":{"message":...}} in both APIs), else the body.
std::string api_error_message(const std::string& body);
// "1s", "6m0s", "20ms", "1h2m3.5s" (Go durations, as OpenAI's x-ratelimit-reset-* headers
// and Gemini's RetryInfo use them) in milliseconds; nullopt when it is not one.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// Retry-After: delta seconds or an HTTP date; Unix seconds.
std::optional<std::int64_t> retry_after_unix_s(const HttpResponse& response,
                                               std::int64_t now_unix_s);

}  // namespace stork::agents::api
