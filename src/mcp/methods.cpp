#include "mcp/methods.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/protocol_rules.hpp"
#include "mcp/tool_call.hpp"

namespace stork::mcp {
namespace {

namespace json = boost::json;
using jsonrpc::Message;

json::value invalid_params(const Message& request, std::string message) {
  return jsonrpc::error_response(
      request.id, {jsonrpc::kInvalidParams, "Invalid params: " + std::move(message), nullptr});
}

const json::object* params_object(const Message& message) {
  return message.params.is_object() ? &message.params.get_object() : nullptr;
}

json::object tools_list_result(const ServerState& state) {
  json::array tools;
  for (const auto& tool : state.tools->snapshot())
    tools.push_back(tool_list_entry(*tool));
  return json::object{{"tools", std::move(tools)}};
}

json::value list_tools(ServerState& state, const Message& request) {
  return jsonrpc::result_response(request.id, tools_list_result(state));
}

json::value set_level(Session& session, const Message& request) {
  const json::object* params = params_object(request);
  const json::value* level = params ? params->if_contains("level") : nullptr;
  std::optional<int> rank;
  if (level && level->is_string()) rank = log_level_rank(level->get_string());
  if (!rank) {
    return invalid_params(request,
                          "logging/setLevel needs params.level, one of " + log_levels_text());
  }
  session.log_rank = *rank;
  return jsonrpc::result_response(request.id, json::object());
}

json::value unknown_tool(ServerState& state, const Message& request, std::string_view name) {
  json::array names;
  for (const auto& tool : state.tools->snapshot())
    names.emplace_back(tool->name);
  jsonrpc::Error error{jsonrpc::kInvalidParams, "Unknown tool: " + std::string(name),
                       json::object{{"availableTools", std::move(names)}}};
  return jsonrpc::error_response(request.id, error);
}

json::value progress_token(const json::object& params) {
  const json::value* meta = params.if_contains("_meta");
  if (meta == nullptr || !meta->is_object()) return nullptr;
  const json::value* token = meta->get_object().if_contains("progressToken");
  if (token == nullptr || !(token->is_string() || token->is_number())) return nullptr;
  return *token;
}

boost::asio::awaitable<std::optional<json::value>> call_tool(std::shared_ptr<ServerState> state,
                                                             std::shared_ptr<Session> session,
                                                             Message request,
                                                             std::shared_ptr<RequestScope> scope) {
  const json::object* params = params_object(request);
  const json::value* name = params ? params->if_contains("name") : nullptr;
  if (name == nullptr || !name->is_string()) {
    co_return invalid_params(request,
                             "tools/call needs params.name (a tool name from tools/list) and "
                             "params.arguments (an object)");
  }
  auto tool = state->tools->get(name->get_string());
  if (!tool) co_return unknown_tool(*state, request, name->get_string());

  auto call =
      std::make_shared<detail::CallState>(state->strand, session, scope->channel,
                                          progress_token(*params), state->info.name, scope->caller);
  std::string key = jsonrpc::id_key(request.id);
  session->in_flight[key] = call;
  scope->calls.push_back(call);

  const json::value* arguments = params->if_contains("arguments");
  json::value argument_value = arguments ? *arguments : json::value(nullptr);
  ToolContext context(call);
  ToolResult result = co_await run_tool(tool, std::move(argument_value), context);

  auto entry = session->in_flight.find(key);
  if (entry != session->in_flight.end() && entry->second.lock() == call) {
    session->in_flight.erase(entry);
  }
  session->last_seen = Clock::now();
  if (call->cancelled && scope->channel) co_return std::nullopt;
  co_return jsonrpc::result_response(request.id, tool_result_json(result));
}

}  // namespace

bool is_known_request(std::string_view method) {
  return method == "initialize" || method == "ping" || method == "tools/list" ||
         method == "tools/call" || method == "logging/setLevel";
}

bool is_known_notification(std::string_view method) {
  return method == "notifications/initialized" || method == "notifications/cancelled";
}

const std::string& tools_list_result_text(ServerState& state) {
  if (!state.tools_list_text) {
    state.tools_list_text =
        std::make_shared<const std::string>(json::serialize(tools_list_result(state)));
  }
  return *state.tools_list_text;
}

void RequestScope::cancel_calls() {
  for (const auto& weak : calls) {
    if (auto call = weak.lock()) call->cancel();
  }
}

json::value answer_initialize(ServerState& state, const Message& request,
                              std::shared_ptr<Session>& created) {
  const json::object* params = params_object(request);
  const json::value* requested = params ? params->if_contains("protocolVersion") : nullptr;
  if (requested == nullptr || !requested->is_string()) {
    return invalid_params(request, "initialize needs params.protocolVersion (one of " +
                                       supported_protocol_versions_text() +
                                       "), params.capabilities and params.clientInfo");
  }
  // Negotiation: echo a version we speak, otherwise offer our latest and let the client decide.
  std::string version = is_supported_protocol_version(requested->get_string())
                            ? std::string(requested->get_string())
                            : std::string(kLatestProtocolVersion);
  created = state.sessions.create(version, Clock::now());
  state.sync_session_count();

  json::object server_info{{"name", state.info.name}, {"version", state.info.version}};
  json::object capabilities{{"tools", json::object{{"listChanged", true}}},
                            {"logging", json::object()}};
  json::object result{{"protocolVersion", version},
                      {"capabilities", std::move(capabilities)},
                      {"serverInfo", std::move(server_info)}};
  if (!state.info.instructions.empty()) result["instructions"] = state.info.instructions;
  return jsonrpc::result_response(request.id, std::move(result));
}

boost::asio::awaitable<std::optional<json::value>> answer_request(
    std::shared_ptr<ServerState> state, std::shared_ptr<Session> session, Message request,
    std::shared_ptr<RequestScope> scope) {
  if (request.method == "tools/call") {
    auto answer = call_tool(state, session, std::move(request), scope);
    std::optional<json::value> response = co_await std::move(answer);
    co_return response;
  }
  if (request.method == "ping") co_return jsonrpc::result_response(request.id, json::object());
  if (request.method == "tools/list") co_return list_tools(*state, request);
  if (request.method == "logging/setLevel") co_return set_level(*session, request);
  co_return jsonrpc::error_response(
      request.id,
      {jsonrpc::kInternalError, "Internal error: no handler for " + request.method, nullptr});
}

void handle_notification(Session& session, const Message& notification) {
  if (notification.method == "notifications/initialized") {
    session.initialized = true;
    return;
  }
  if (notification.method == "notifications/cancelled") {
    const json::object* params = params_object(notification);
    const json::value* id = params ? params->if_contains("requestId") : nullptr;
    if (id == nullptr) return;
    auto entry = session.in_flight.find(jsonrpc::id_key(*id));
    if (entry == session.in_flight.end()) return;  // finished already, or never ours
    if (auto call = entry->second.lock()) call->cancel();
  }
}

}  // namespace stork::mcp
