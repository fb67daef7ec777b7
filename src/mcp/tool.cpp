#include "mcp/tool.hpp"

#include <cmath>
#include <cstdint>

#include <boost/asio/dispatch.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/call_state.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/protocol_rules.hpp"
#include "mcp/session.hpp"
#include "mcp/stream_channel.hpp"

namespace stork::mcp {

ToolResult ToolResult::ok(std::string text) {
  ToolResult result;
  result.text.push_back(std::move(text));
  return result;
}

ToolResult ToolResult::ok_json(json::value value) {
  ToolResult result;
  // The spec asks tools with structured content to repeat it as text for older clients.
  result.text.push_back(json::serialize(value));
  if (value.is_object()) result.structured = std::move(value);
  return result;
}

ToolResult ToolResult::error(std::string message) {
  ToolResult result;
  result.text.push_back(std::move(message));
  result.is_error = true;
  return result;
}

namespace detail {

CallState::CallState(Strand strand_in, std::shared_ptr<Session> session_in,
                     std::shared_ptr<StreamChannel> channel_in, json::value progress_token_in,
                     std::string logger_in, CallerIdentity caller_in)
    : strand(std::move(strand_in)),
      session(std::move(session_in)),
      channel(std::move(channel_in)),
      progress_token(std::move(progress_token_in)),
      logger(std::move(logger_in)),
      session_id(session ? session->id : std::string()),
      caller(std::move(caller_in)) {}

void CallState::cancel() {
  if (cancelled.exchange(true)) return;
  signal.emit(boost::asio::cancellation_type::terminal);
}

void CallState::send(const json::value& message) const {
  if (channel) channel->send(message);
}

}  // namespace detail

ToolContext::ToolContext(std::shared_ptr<detail::CallState> state) : state_(std::move(state)) {}
ToolContext::~ToolContext() = default;

const std::string& ToolContext::session_id() const {
  return state_->session_id;
}

const CallerIdentity& ToolContext::caller() const {
  return state_->caller;
}

namespace {

// 3 rather than 3.0 (Boost.JSON writes doubles as 3E0) when the number is whole.
json::value number(double value) {
  if (std::abs(value) < 1e15 && std::trunc(value) == value) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace

void ToolContext::progress(double progress, std::optional<double> total, std::string_view message) {
  if (state_->progress_token.is_null() || !state_->channel) return;
  json::object params{{"progressToken", state_->progress_token}, {"progress", number(progress)}};
  if (total) params["total"] = number(*total);
  if (!message.empty()) params["message"] = message;
  // dispatch: runs at once when the tool is on the strand (the usual case), keeping the order
  // of progress notifications and the result.
  boost::asio::dispatch(
      state_->strand,
      [state = state_, note = jsonrpc::notification("notifications/progress", std::move(params))] {
        state->send(note);
      });
}

void ToolContext::log(std::string_view level, std::string message) {
  if (!state_->channel) return;
  auto rank = log_level_rank(level);
  std::string level_name = rank ? std::string(level) : std::string("info");
  int level_rank = rank.value_or(kDefaultLogRank);
  json::object params{
      {"level", level_name}, {"logger", state_->logger}, {"data", std::move(message)}};
  boost::asio::dispatch(state_->strand,
                        [state = state_, level_rank,
                         note = jsonrpc::notification("notifications/message", std::move(params))] {
                          if (state->session && level_rank < state->session->log_rank) return;
                          state->send(note);
                        });
}

bool ToolContext::cancelled() const {
  return state_->cancelled.load();
}

boost::asio::cancellation_slot ToolContext::cancellation_slot() {
  return state_->signal.slot();
}

}  // namespace stork::mcp
