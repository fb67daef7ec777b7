// POST at the MCP endpoint: the checks in the order the transport needs them (media type,
// size, JSON, messages; method-not-found before any session or version check, because clients
// probe with methods we do not know before they initialize), then the answers as one JSON
// body or one SSE stream.
#include <algorithm>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/jsonrpc.hpp"
#include "mcp/methods.hpp"
#include "mcp/replies.hpp"
#include "mcp/server_state.hpp"

namespace stork::mcp {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using jsonrpc::Kind;
using jsonrpc::Message;

struct Entry {
  Message message;
  json::value response;  // answered before dispatch (errors, initialize); null otherwise
};

struct Plan {
  bool batch = false;
  std::vector<Entry> entries;
  std::shared_ptr<Session> session;  // the request's session, or the one initialize created
  bool created_session = false;
  CallerIdentity caller;
};

bool is_known(const Message& message) {
  switch (message.kind) {
    case Kind::request:
      return is_known_request(message.method);
    case Kind::notification:
      return is_known_notification(message.method);
    case Kind::response:
      return true;
    case Kind::invalid:
      return false;
  }
  return false;
}

bool needs_session(const Entry& entry) {
  return entry.response.is_null() && is_known(entry.message) &&
         !(entry.message.kind == Kind::request && entry.message.method == "initialize");
}

bool is_request(const Entry& entry) {
  return entry.message.kind == Kind::request;
}
bool expects_response(const Entry& entry) {
  return is_request(entry) || entry.message.kind == Kind::invalid;
}

json::value error_for(const Message& message, int code, std::string text) {
  return jsonrpc::error_response(message.id, {code, std::move(text), nullptr});
}

// Invalid messages, unknown methods and initialize are answered without a session.
void answer_early(Plan& plan) {
  for (Entry& entry : plan.entries) {
    const Message& message = entry.message;
    if (message.kind == Kind::invalid) {
      entry.response = error_for(message, jsonrpc::kInvalidRequest, message.problem);
    } else if (message.kind == Kind::request && !is_known_request(message.method)) {
      entry.response =
          error_for(message, jsonrpc::kMethodNotFound,
                    "Method not found: " + message.method +
                        " (this server implements initialize, ping, tools/list, tools/call and "
                        "logging/setLevel)");
    } else if (plan.batch && message.kind == Kind::request && message.method == "initialize") {
      entry.response = error_for(message, jsonrpc::kInvalidRequest,
                                 "Invalid Request: initialize must be sent alone, not in a batch");
    }
  }
}

// Requests and notifications in order; each response goes to the stream when there is one.
asio::awaitable<std::vector<json::value>> dispatch(std::shared_ptr<ServerState> state,
                                                   std::shared_ptr<Plan> plan,
                                                   std::shared_ptr<RequestScope> scope) {
  std::vector<json::value> responses;
  for (Entry& entry : plan->entries) {
    std::optional<json::value> response;
    if (!entry.response.is_null()) {
      response = entry.response;
    } else if (entry.message.kind == Kind::notification && plan->session &&
               is_known_notification(entry.message.method)) {
      handle_notification(*plan->session, entry.message);
    } else if (entry.message.kind == Kind::request && plan->session) {
      auto answer = answer_request(state, plan->session, entry.message, scope);
      std::optional<json::value> answered = co_await std::move(answer);
      response = std::move(answered);
    }
    if (!response) continue;
    if (scope->channel) {
      scope->channel->send(*response);
    } else {
      responses.push_back(std::move(*response));
    }
  }
  co_return responses;
}

struct PostStream {
  explicit PostStream(const asio::any_io_executor& executor) : wake(executor) {}
  asio::steady_timer wake;
  bool done = false;
};

// Runs the plan's requests while watching the client: a closed stream cancels the calls, and
// long calls get keep-alive comments.
asio::awaitable<void> stream_on_strand(std::shared_ptr<ServerState> state,
                                       std::shared_ptr<Plan> plan, std::shared_ptr<SseSink> sink) {
  auto scope = std::make_shared<RequestScope>();
  scope->caller = plan->caller;
  scope->channel = std::make_shared<StreamChannel>(std::move(sink));
  auto watch = std::make_shared<PostStream>(state->strand);
  asio::co_spawn(state->strand, dispatch(state, plan, scope),
                 [watch](const std::exception_ptr&, const std::vector<json::value>&) {
                   watch->done = true;
                   watch->wake.cancel();
                 });
  auto last_keepalive = Clock::now();
  while (!watch->done) {
    watch->wake.expires_after(state->options.stream_poll);
    boost::system::error_code ec;
    co_await watch->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (watch->done) break;
    asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none || scope->channel->gone() ||
        state->stopping) {
      scope->cancel_calls();  // the calls finish on their own; nobody reads their answers
      co_return;
    }
    if (Clock::now() - last_keepalive >= state->options.stream_keepalive) {
      scope->channel->keep_alive();
      last_keepalive = Clock::now();
    }
  }
}

asio::awaitable<void> run_stream(std::shared_ptr<ServerState> state, std::shared_ptr<Plan> plan,
                                 std::shared_ptr<SseSink> sink) {
  auto body = stream_on_strand(state, std::move(plan), std::move(sink));
  co_await asio::co_spawn(state->strand, std::move(body), asio::use_awaitable);
}

std::optional<Reply> check_media_and_size(const ServerState& state, const HttpExchange& exchange) {
  if (!is_json_content_type(exchange.header("content-type"))) {
    return error_reply(415, jsonrpc::kInvalidRequest,
                       "Unsupported Media Type: send the JSON-RPC message with "
                       "Content-Type: application/json");
  }
  if (exchange.body.size() > state.options.max_body_bytes) {
    return error_reply(413, jsonrpc::kInvalidRequest,
                       "Payload Too Large: the body has " + std::to_string(exchange.body.size()) +
                           " bytes; send at most " + std::to_string(state.options.max_body_bytes));
  }
  return std::nullopt;
}

// Parses the body into the plan's entries, or answers the whole POST with an error.
std::optional<Reply> read_messages(const ServerState& state, const std::string& body, Plan& plan) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) {
    return error_reply(400, jsonrpc::kParseError,
                       "Parse error: the body is not valid JSON (" + ec.message() +
                           "); send one JSON-RPC message or an array of them");
  }
  std::vector<const json::value*> messages;
  if (parsed.is_array()) {
    plan.batch = true;
    const json::array& batch = parsed.get_array();
    if (batch.empty()) {
      return error_reply(400, jsonrpc::kInvalidRequest,
                         "Invalid Request: the batch is empty; send at least one message");
    }
    if (batch.size() > state.options.max_batch) {
      return error_reply(400, jsonrpc::kInvalidRequest,
                         "Invalid Request: a batch of " + std::to_string(batch.size()) +
                             " messages; send at most " + std::to_string(state.options.max_batch));
    }
    for (const auto& message : batch)
      messages.push_back(&message);
  } else {
    messages.push_back(&parsed);
  }
  for (const json::value* message : messages)
    plan.entries.push_back({jsonrpc::classify(*message), nullptr});
  if (!plan.batch && plan.entries.front().message.kind == Kind::invalid) {
    const Message& invalid = plan.entries.front().message;
    return json_reply(400, error_for(invalid, jsonrpc::kInvalidRequest, invalid.problem));
  }
  return std::nullopt;
}

// A POST of tools/list alone, answered as JSON (the commonest request after initialize): the
// response is written around the kept result text, not built and serialized again. Anything
// else, or a tools/list in a batch or a stream, takes the general path (same answer).
std::optional<Reply> answer_tools_list_alone(ServerState& state, const Plan& plan) {
  if (plan.batch || plan.entries.size() != 1 || !plan.session) return std::nullopt;
  const Entry& entry = plan.entries.front();
  if (!entry.response.is_null() || !is_request(entry) || entry.message.method != "tools/list")
    return std::nullopt;
  Reply reply;
  reply.status = 200;
  const std::string& result = tools_list_result_text(state);
  const std::string id = json::serialize(entry.message.id);
  reply.body.reserve(result.size() + id.size() + 40);
  reply.body.append(R"({"jsonrpc":"2.0","id":)").append(id).append(R"(,"result":)");
  reply.body.append(result).append("}");
  return reply;
}

// How the answer travels: whether the POST carries a request the server knows (so Accept
// matters) and whether it is answered as an SSE stream rather than one JSON body.
struct Delivery {
  bool known_request = false;
  bool acceptable = true;
  bool stream = false;
};

Delivery choose_delivery(const Plan& plan, const HttpExchange& exchange) {
  const auto& entries = plan.entries;
  Delivery delivery;
  delivery.known_request = std::any_of(entries.begin(), entries.end(), [](const Entry& entry) {
    return is_request(entry) && is_known_request(entry.message.method);
  });
  const bool has_tools_call = std::any_of(entries.begin(), entries.end(), [](const Entry& entry) {
    return is_request(entry) && entry.message.method == "tools/call";
  });
  AcceptedTypes accepted = parse_accept(exchange.header("accept"));
  delivery.acceptable = !delivery.known_request || accepted.json || accepted.sse;
  delivery.stream = delivery.known_request && accepted.sse && (has_tools_call || !accepted.json);
  return delivery;
}

// initialize is answered here, before dispatch, so that its session exists for the reply's
// Mcp-Session-Id header.
void answer_initializes(ServerState& state, Plan& plan) {
  for (Entry& entry : plan.entries) {
    if (is_request(entry) && entry.message.method == "initialize" && entry.response.is_null()) {
      entry.response = answer_initialize(state, entry.message, plan.session);
      plan.created_session = plan.session != nullptr;
    }
  }
}

// Every message answered in one JSON body (an array for a batch), or 202 when none expects
// an answer.
asio::awaitable<Reply> answer_as_json(std::shared_ptr<ServerState> state,
                                      std::shared_ptr<Plan> plan) {
  auto scope = std::make_shared<RequestScope>();
  scope->caller = plan->caller;
  auto work = dispatch(state, plan, scope);
  std::vector<json::value> responses = co_await std::move(work);
  const auto& entries = plan->entries;
  if (!std::any_of(entries.begin(), entries.end(), expects_response)) co_return empty_reply(202);
  if (plan->batch) co_return json_reply(200, json::array(responses.begin(), responses.end()));
  co_return json_reply(200, responses.front());
}

}  // namespace

asio::awaitable<Reply> handle_post(std::shared_ptr<ServerState> state, HttpExchange exchange) {
  if (auto failure = check_media_and_size(*state, exchange)) co_return std::move(*failure);
  auto plan = std::make_shared<Plan>();
  plan->caller = {exchange.header("x-stork-agent"), exchange.header("x-stork-story")};
  if (auto failure = read_messages(*state, exchange.body, *plan)) co_return std::move(*failure);
  answer_early(*plan);

  const auto& entries = plan->entries;
  if (std::any_of(entries.begin(), entries.end(), needs_session)) {
    SessionCheck check = require_session(*state, exchange, 400);
    if (check.failure) co_return std::move(*check.failure);
    plan->session = std::move(check.session);
  }
  const Delivery delivery = choose_delivery(*plan, exchange);
  if (!delivery.acceptable) {
    co_return error_reply(406, jsonrpc::kInvalidRequest,
                          "Not Acceptable: send Accept: application/json, text/event-stream");
  }
  answer_initializes(*state, *plan);
  std::vector<std::pair<std::string, std::string>> headers;
  if (plan->created_session) headers.emplace_back("Mcp-Session-Id", plan->session->id);

  if (delivery.stream) {
    Reply reply;
    reply.content_type = "text/event-stream";
    reply.headers = std::move(headers);
    reply.stream = [state, plan](std::shared_ptr<SseSink> sink) {
      return run_stream(state, plan, std::move(sink));
    };
    co_return reply;
  }
  if (auto reply = answer_tools_list_alone(*state, *plan)) {
    reply->headers = std::move(headers);
    co_return std::move(*reply);
  }
  auto answering = answer_as_json(state, plan);
  Reply reply = co_await std::move(answering);
  reply.headers = std::move(headers);
  co_return reply;
}

}  // namespace stork::mcp
