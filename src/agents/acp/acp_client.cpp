#include "agents/acp/acp_client.hpp"

#include <boost/json/serialize.hpp>

#include "agents/acp/prompt_errors.hpp"
#include "agents/acp/worktree_files.hpp"
#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"
#include "agents/runtime/event_translation.hpp"

namespace stork::acp {
namespace json = boost::json;
using agents::make_event;
using agents::RuntimeEvent;
namespace event_type = agents::event_type;
namespace {

// The protocol version this client speaks (ACP's integer version).
constexpr std::int64_t kProtocolVersion = 1;

const json::object* object_field(const json::value& value, std::string_view key) {
  if (!value.is_object()) return nullptr;
  const auto* field = value.as_object().if_contains(key);
  return field != nullptr && field->is_object() ? &field->as_object() : nullptr;
}

std::optional<std::string> string_field(const json::value& value, std::string_view key) {
  if (!value.is_object()) return std::nullopt;
  const auto* field = value.as_object().if_contains(key);
  if (field == nullptr || !field->is_string()) return std::nullopt;
  return std::string(field->as_string());
}

std::optional<std::int64_t> int_field(const json::value& value, std::string_view key) {
  if (!value.is_object()) return std::nullopt;
  const auto* field = value.as_object().if_contains(key);
  if (field == nullptr || !field->is_int64()) return std::nullopt;
  return field->as_int64();
}

bool bool_field(const json::object* object, std::string_view key) {
  if (object == nullptr) return false;
  const auto* field = object->if_contains(key);
  return field != nullptr && field->is_bool() && field->as_bool();
}

json::array text_prompt(const std::string& text) {
  return json::array{json::object{{"type", "text"}, {"text", text}}};
}

// The option of `kinds` (first match wins) among a permission request's options.
std::optional<std::string> option_of(const json::value& params,
                                     std::initializer_list<std::string_view> kinds) {
  if (!params.is_object()) return std::nullopt;
  const auto* options = params.as_object().if_contains("options");
  if (options == nullptr || !options->is_array()) return std::nullopt;
  for (auto kind : kinds) {
    for (const auto& option : options->as_array()) {
      if (string_field(option, "kind") == kind) {
        if (auto id = string_field(option, "optionId")) return id;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

AcpClient::AcpClient(AcpClientOptions options, Send send)
    : options_(std::move(options)), send_(std::move(send)) {}

void AcpClient::send_request(Pending what, std::string_view method, json::object params) {
  const std::int64_t id = next_id_++;
  pending_[id] = what;
  send_(encode_request(id, method, std::move(params)));
}

void AcpClient::start() {
  json::object capabilities{{"fs", json::object{{"readTextFile", true}, {"writeTextFile", true}}},
                            {"terminal", false}};
  send_request(Pending::Initialize, "initialize",
               {{"protocolVersion", kProtocolVersion},
                {"clientCapabilities", std::move(capabilities)},
                {"clientInfo", json::object{{"name", "stork"}, {"version", "1"}}}});
}

void AcpClient::on_line(std::string_view line, std::vector<RuntimeEvent>& events) {
  auto parsed = parse_message(line);
  if (!parsed.ok()) {
    // Agents log to stderr; anything else on stdout is shown, not interpreted.
    if (!line.empty()) events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  Message& message = parsed.value();
  switch (message.kind) {
    case MessageKind::Response:
      return on_response(message, events);
    case MessageKind::Request:
      return on_request(message, events);
    case MessageKind::Notification:
      if (message.method == "session/update") {
        if (!loading_) translator_.translate(message.params, events);
        return;
      }
      events.push_back(make_event(event_type::kRaw, {{"line", line}}));
      return;
  }
}

void AcpClient::on_response(const Message& message, std::vector<RuntimeEvent>& events) {
  const auto id = message.id.is_int64() ? message.id.as_int64() : -1;
  auto found = pending_.find(id);
  if (found == pending_.end()) return;  // not ours (or answered twice): nothing waits for it
  const Pending what = found->second;
  pending_.erase(found);
  if (what == Pending::Prompt) return on_prompt_answer(message, events);
  if (message.error && what == Pending::LoadSession) {
    // The agent lost the session (a new machine, a wiped HOME): start afresh, and say so.
    loading_ = false;
    events.push_back(make_event(
        event_type::kOutput,
        {{"text", "session/load of " + options_.resume_session.value_or("") + " failed (" +
                      message.error->message + "); starting a new session"}}));
    return new_session();
  }
  if (message.error && what == Pending::SetModel) {
    events.push_back(agents::error_event("session/set_model " + options_.model.value_or("") +
                                         " failed: " + message.error->message));
    return send_prompt(options_.prompt);
  }
  if (message.error) {
    const char* step = what == Pending::Initialize ? "initialize" : "session/new";
    return fail_protocol(std::string(step) + " failed: " + describe_prompt_error(*message.error),
                         events);
  }
  switch (what) {
    case Pending::Initialize:
      return on_initialized(message.result, events);
    case Pending::NewSession:
      return on_session(message.result, false, events);
    case Pending::LoadSession:
      return on_session(message.result, true, events);
    case Pending::SetModel:
      return send_prompt(options_.prompt);
    case Pending::Prompt:
      break;
  }
}

void AcpClient::on_initialized(const json::value& result, std::vector<RuntimeEvent>& events) {
  const auto version = int_field(result, "protocolVersion");
  if (version && *version != kProtocolVersion) {
    return fail_protocol("the agent speaks ACP version " + std::to_string(*version) +
                             "; stork speaks version " + std::to_string(kProtocolVersion),
                         events);
  }
  const auto* capabilities = object_field(result, "agentCapabilities");
  load_session_ = bool_field(capabilities, "loadSession");
  // Looked up in place: object_field takes a value, and an object would be copied into a
  // temporary whose member the pointer would outlive.
  const json::value* mcp_value =
      capabilities != nullptr ? capabilities->if_contains("mcpCapabilities") : nullptr;
  const json::object* mcp =
      mcp_value != nullptr && mcp_value->is_object() ? &mcp_value->as_object() : nullptr;
  if (!bool_field(mcp, "http") && !options_.mcp_servers.empty()) {
    // ACP requires stdio MCP servers of every agent, http only when advertised; stork's server
    // is http, so such an agent works without stork's tools.
    events.push_back(
        make_event(event_type::kOutput, {{"text",
                                          "the agent does not advertise mcpCapabilities.http: it "
                                          "runs without stork's MCP tools"}}));
    options_.mcp_servers.clear();
  }
  if (options_.resume_session && load_session_) {
    loading_ = true;
    send_request(Pending::LoadSession, "session/load",
                 {{"sessionId", *options_.resume_session},
                  {"cwd", options_.worktree.string()},
                  {"mcpServers", options_.mcp_servers}});
    return;
  }
  new_session();
}

void AcpClient::new_session() {
  send_request(Pending::NewSession, "session/new",
               {{"cwd", options_.worktree.string()}, {"mcpServers", options_.mcp_servers}});
}

void AcpClient::on_session(const json::value& result, bool loaded,
                           std::vector<RuntimeEvent>& events) {
  loading_ = false;
  if (loaded) {
    session_id_ = options_.resume_session;
  } else {
    session_id_ = string_field(result, "sessionId");
    if (!session_id_) return fail_protocol("session/new answered without a sessionId", events);
  }
  auto event = make_event(
      event_type::kSession,
      {{"session_id", *session_id_}, {"model", options_.model.value_or("")}, {"resumed", loaded}});
  event.session_id = session_id_;
  if (options_.model) event.model = options_.model;
  events.push_back(std::move(event));
  if (options_.model && object_field(result, "models") != nullptr) {
    send_request(Pending::SetModel, "session/set_model",
                 {{"sessionId", *session_id_}, {"modelId", *options_.model}});
    return;
  }
  send_prompt(options_.prompt);
}

void AcpClient::send_prompt(const std::string& text) {
  send_request(Pending::Prompt, "session/prompt",
               {{"sessionId", *session_id_}, {"prompt", text_prompt(text)}});
}

void AcpClient::on_prompt_answer(const Message& message, std::vector<RuntimeEvent>& events) {
  if (message.error) {
    translator_.flush(events);
    auto failure = classify_prompt_error(*message.error, translator_.last_text());
    events.push_back(agents::error_event(failure.message));
    auto result = make_event(event_type::kResult,
                             {{"subtype", "error"}, {"is_error", true}, {"text", failure.message}});
    result.failed_result = true;
    result.rate_limit = failure.rate_limit;
    events.push_back(std::move(result));
    finished_ = true;
    return;
  }
  const json::object empty;
  auto result =
      translator_.result(message.result.is_object() ? message.result.as_object() : empty, events);
  if (auto limit = rate_limit_in_text(translator_.last_text()); limit && result.failed_result)
    result.rate_limit = limit;
  if (!queued_messages_.empty() && !cancelled_) {
    events.push_back(std::move(result));
    std::string next;
    for (const auto& text : queued_messages_)
      next += (next.empty() ? "" : "\n\n") + text;
    queued_messages_.clear();
    return send_prompt(next);
  }
  result.session_id = session_id_;
  events.push_back(std::move(result));
  finished_ = true;
}

bool AcpClient::queue_message(const std::string& text) {
  if (finished_ || cancelled_) return false;
  queued_messages_.push_back(text);
  return true;
}

void AcpClient::cancel() {
  if (cancelled_ || finished_) return;
  cancelled_ = true;
  for (auto& [key, id] : open_permissions_)
    send_(encode_result(id, json::object{{"outcome", json::object{{"outcome", "cancelled"}}}}));
  open_permissions_.clear();
  if (session_id_) send_(encode_notification("session/cancel", {{"sessionId", *session_id_}}));
}

void AcpClient::fail_protocol(const std::string& why, std::vector<RuntimeEvent>& events) {
  events.push_back(agents::error_event(why));
  auto result =
      make_event(event_type::kResult, {{"subtype", "error"}, {"is_error", true}, {"text", why}});
  result.failed_result = true;
  events.push_back(std::move(result));
  finished_ = true;
}

void AcpClient::on_request(const Message& message, std::vector<RuntimeEvent>& events) {
  const auto& params = message.params;
  const auto path = string_field(params, "path");
  if (message.method == "session/request_permission") return answer_permission(message, events);
  if (message.method == "fs/read_text_file" || message.method == "fs/write_text_file") {
    if (!path) return send_(encode_error(message.id, kInvalidParams, "params.path is missing"));
    if (message.method == "fs/read_text_file") {
      auto text = read_worktree_file(options_.worktree, *path, int_field(params, "line"),
                                     int_field(params, "limit"));
      if (!text.ok()) return send_(encode_error(message.id, kInvalidParams, text.error()));
      return send_(encode_result(message.id, json::object{{"content", text.value()}}));
    }
    const auto content = string_field(params, "content");
    if (!content)
      return send_(encode_error(message.id, kInvalidParams, "params.content is missing"));
    auto written = write_worktree_file(options_.worktree, *path, *content);
    if (!written.ok()) return send_(encode_error(message.id, kInvalidParams, written.error()));
    return send_(encode_result(message.id, nullptr));
  }
  // Any other method, the terminal/* ones and an empty name alike, gets JSON-RPC's answer
  // instead of silence, so the agent is not left waiting on it.
  send_(encode_error(message.id, kMethodNotFound,
                     "stork does not offer the method '" + message.method +
                         "' (it offers fs/read_text_file, fs/write_text_file and "
                         "session/request_permission; no terminal capability)"));
}

void AcpClient::answer_permission(const Message& message, std::vector<RuntimeEvent>& events) {
  (void)events;
  const auto* tool_call = object_field(message.params, "toolCall");
  PermissionQuestion question;
  if (tool_call != nullptr) {
    question.tool_name = string_field(*tool_call, "title").value_or("tool");
    question.tool_use_id = string_field(*tool_call, "toolCallId").value_or("");
    const auto* input = tool_call->if_contains("rawInput");
    question.input_json = input != nullptr && input->is_object() ? json::serialize(*input) : "{}";
  }
  const std::string key = json::serialize(message.id);
  open_permissions_[key] = message.id;
  options_.ask_permission(std::move(question), [this, key, params = message.params](
                                                   bool allow, const std::string& why) {
    auto open = open_permissions_.find(key);
    if (open == open_permissions_.end()) return;  // cancelled meanwhile
    const json::value id = open->second;
    open_permissions_.erase(open);
    auto option = allow ? option_of(params, {"allow_once", "allow_always"})
                        : option_of(params, {"reject_once", "reject_always"});
    (void)why;  // ACP's answer carries no message; the denial shows as a failed tool call
    if (!option) {
      send_(encode_result(id, json::object{{"outcome", json::object{{"outcome", "cancelled"}}}}));
      return;
    }
    send_(encode_result(id, json::object{{"outcome", json::object{{"outcome", "selected"},
                                                                  {"optionId", *option}}}}));
  });
}

}  // namespace stork::acp
