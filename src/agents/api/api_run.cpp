#include "agents/api/api_run.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"
#include "state/conversation_store.hpp"

namespace stork::agents::api {
namespace json = boost::json;
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxToolResultBytes = 100 * 1024;
constexpr std::size_t kTextFlushBytes = 2000;
constexpr int kMaxThrottleWaits = 5;

std::int64_t unix_now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string new_session_id(std::string_view runtime) {
  std::random_device random;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string id = std::string(runtime) + "-";
  for (int i = 0; i < 24; ++i)
    id += "0123456789abcdef"[digit(random)];
  return id;
}

std::string trim_right(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

// Why a request did not give a turn.
enum class Outcome { Turn, Stopped, Failed, RateLimited };

struct RequestResult {
  Outcome outcome = Outcome::Failed;
  ModelTurn turn;
  std::string reason;
};

// What one run shares between its thread and its handle (stop/kill from the pool's strand).
class RunState : public std::enable_shared_from_this<RunState> {
 public:
  RunState(std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
           boost::asio::any_io_executor executor, std::shared_ptr<RunObserver> observer)
      : protocol_(std::move(protocol)),
        agent_(*context.agent),
        pricing_(context.project->pricing),
        default_coder_model_(context.project->default_coder_model),
        story_id_(context.story_id),
        worktree_(context.worktree),
        prompt_(context.prompt),
        resume_session_(context.resume_session),
        project_root_(context.project_root),
        tool_host_(context.tool_host),
        options_(context.api),
        executor_(std::move(executor)),
        observer_(std::move(observer)) {}

  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    cancel_flag_ = true;
    wake_.notify_all();
  }
  // The handle is going away: nothing more is reported (the executor may be gone next).
  void abandon() {
    abandoned_ = true;
    cancel();
  }

  void run();

 private:
  bool cancelled() const { return cancel_flag_.load(); }
  // Sleeps up to `duration`; false when the run was cancelled meanwhile.
  bool sleep_for(milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return cancelled_; });
  }

  void post(std::vector<RuntimeEvent> events);
  void post_exit(RunExit exit);
  void emit(RuntimeEvent event) { post({std::move(event)}); }
  void emit_text(std::string& pending, bool all, const char* type);
  void emit_live(LiveText& live, bool all) {
    emit_text(live.thinking, all, event_type::kThinking);
    emit_text(live.text, all, event_type::kAssistantText);
  }
  void note(std::string text) {
    emit(make_event(event_type::kOutput, {{"text", std::move(text)}}));
  }

  RequestResult request(const Endpoint& endpoint, const std::string& system_prompt,
                        const json::array& conversation, const std::vector<ToolSpec>& tools);
  ToolCallResult call_tool(const ToolCallRequest& call);
  void add_usage(const std::optional<TurnUsage>& usage) {
    if (!usage) return;
    totals_.input_tokens += usage->input_tokens;
    totals_.output_tokens += usage->output_tokens;
    totals_.cached_input_tokens += usage->cached_input_tokens;
  }
  double cost() const;
  void finish(RunExit exit, const char* subtype, const std::string& text);
  void save_conversation(const json::array& conversation);

  std::unique_ptr<ModelProtocol> protocol_;
  const AgentConfig agent_;
  const std::vector<ModelPrice> pricing_;
  const std::optional<std::string> default_coder_model_;
  const std::string story_id_;
  const std::filesystem::path worktree_;
  const std::string prompt_;
  const std::optional<std::string> resume_session_;
  const std::filesystem::path project_root_;
  const std::shared_ptr<ToolHost> tool_host_;
  const ApiRunOptions options_;
  const boost::asio::any_io_executor executor_;
  std::shared_ptr<RunObserver> observer_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool cancelled_ = false;
  std::atomic<bool> cancel_flag_{false};
  std::atomic<bool> abandoned_{false};

  // Only the run's thread touches these.
  std::unique_ptr<state::ConversationStore> store_;
  std::string session_id_;
  std::string model_;
  std::string reported_model_;
  std::string key_env_;
  TurnUsage totals_;
  int turns_ = 0;
  bool throttled_ = false;
};

void RunState::post(std::vector<RuntimeEvent> events) {
  if (abandoned_ || events.empty()) return;
  std::vector<std::string> lines;
  lines.reserve(events.size());
  for (const auto& event : events)
    lines.push_back("{\"type\":\"" + event.type + "\",\"payload\":" + event.payload + "}");
  boost::asio::post(executor_,
                    [observer = observer_, lines = std::move(lines),
                     events = std::move(events)]() mutable { observer->on_output(lines, events); });
}

void RunState::post_exit(RunExit exit) {
  if (abandoned_) return;
  boost::asio::post(executor_,
                    [observer = observer_, exit = std::move(exit)] { observer->on_exit(exit); });
}

void RunState::emit_text(std::string& pending, bool all, const char* type) {
  // Text goes out a line at a time (or in pieces of kTextFlushBytes), not one event per token.
  std::size_t cut = all ? pending.size() : pending.rfind('\n');
  if (!all && cut == std::string::npos) {
    if (pending.size() < kTextFlushBytes) return;
    cut = pending.size();
  } else if (!all) {
    cut += 1;
  }
  std::string text = trim_right(pending.substr(0, cut));
  pending.erase(0, cut);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return;
  emit(make_event(type, {{"text", std::move(text)}}));
}

double RunState::cost() const {
  const ModelPrice* price = find_model_price(pricing_, model_);
  if (price == nullptr) return 0;
  const double cached = static_cast<double>(totals_.cached_input_tokens);
  const double uncached = static_cast<double>(totals_.input_tokens) - cached;
  const double cached_price = price->cached_input_per_mtok.value_or(price->input_per_mtok);
  return (uncached * price->input_per_mtok + cached * cached_price +
          static_cast<double>(totals_.output_tokens) * price->output_per_mtok) /
         1e6;
}

void RunState::finish(RunExit exit, const char* subtype, const std::string& text) {
  TokenUsage usage;
  usage.input_tokens = totals_.input_tokens - totals_.cached_input_tokens;
  usage.cache_read_input_tokens = totals_.cached_input_tokens;
  usage.output_tokens = totals_.output_tokens;
  usage.cost_usd = cost();
  json::object payload{
      {"subtype", subtype},
      {"is_error", !exit.succeeded},
      {"text", text},
      {"usage", json::object{{"input_tokens", usage.input_tokens},
                             {"output_tokens", usage.output_tokens},
                             {"cache_creation_input_tokens", 0},
                             {"cache_read_input_tokens", usage.cache_read_input_tokens}}},
      {"total_cost_usd", usage.cost_usd},
      {"run_cost_usd", usage.cost_usd},
      {"num_turns", turns_},
      {"model", model_}};
  if (find_model_price(pricing_, model_) == nullptr) {
    payload["cost_note"] = "no price for model '" + model_ + "' (add [pricing.\"" + model_ +
                           "\"] to project.toml): cost 0";
  }
  auto event = make_event(event_type::kResult, std::move(payload));
  if (turns_ > 0) event.usage = usage;
  event.session_id = session_id_;
  if (!model_.empty()) event.model = model_;
  event.failed_result = !exit.succeeded;
  emit(std::move(event));
  post_exit(std::move(exit));
}

void RunState::save_conversation(const json::array& conversation) {
  if (!store_) return;
  state::Conversation record{session_id_,  story_id_,
                             agent_.name,  std::string(protocol_->runtime()),
                             model_,       json::serialize(conversation),
                             unix_now_ms()};
  if (auto saved = store_->save(record); !saved.ok()) {
    note("stork could not save the conversation (a resume will start over): " +
         saved.error().message);
  }
}

RequestResult RunState::request(const Endpoint& endpoint, const std::string& system_prompt,
                                const json::array& conversation,
                                const std::vector<ToolSpec>& tools) {
  HttpRequest http = protocol_->build_request(endpoint, system_prompt, conversation, tools);
  http.idle_timeout = std::chrono::seconds(std::max(1, agent_.inactivity_timeout_secs));
  int failures = 0;
  int throttles = 0;  // waits for near resets: a server that keeps saying "1 s" ends blocked
  for (;;) {
    if (cancelled()) return {Outcome::Stopped, {}, "stopped"};
    auto decoder = protocol_->decoder();
    SseParser parser;
    LiveText live;
    std::vector<SseEvent> events;
    auto on_body = [&](std::string_view bytes) {
      events.clear();
      parser.feed(bytes, events);
      for (const auto& event : events)
        decoder->on_event(event, live);
      emit_live(live, false);
    };
    HttpResponse response = post_streaming(http, on_body, cancel_flag_);
    if (response.cancelled || cancelled()) return {Outcome::Stopped, {}, "stopped"};

    std::string retry_reason;
    if (!response.transport_error.empty()) {
      retry_reason = "connection failed: " + response.transport_error;
    } else if (response.status >= 500) {
      retry_reason =
          "HTTP " + std::to_string(response.status) + ": " + api_error_message(response.error_body);
    } else if (response.status == 401 || response.status == 403) {
      return {Outcome::Failed,
              {},
              "the model API refused the request (HTTP " + std::to_string(response.status) + ": " +
                  api_error_message(response.error_body) + "): check the API key in " + key_env_};
    } else if (response.status == 429) {
      const std::string message = api_error_message(response.error_body);
      if (message.find("insufficient_quota") != std::string::npos ||
          response.error_body.find("\"insufficient_quota\"") != std::string::npos) {
        return {
            Outcome::Failed, {}, "the model API account has no quota left (HTTP 429): " + message};
      }
      const auto now = unix_now_s();
      RateLimitReset reset = protocol_->rate_limit_reset(response, now);
      const std::int64_t wait_ms =
          reset.resets_at_unix_s ? std::max<std::int64_t>(0, *reset.resets_at_unix_s - now) * 1000
                                 : -1;
      RateLimitNotice notice;
      notice.resets_at_unix_s = reset.resets_at_unix_s;
      notice.limit_type = reset.limit_type;
      json::object payload{
          {"level", "warning"}, {"limit_type", reset.limit_type}, {"message", message}};
      if (reset.resets_at_unix_s) payload["resets_at"] = *reset.resets_at_unix_s;
      // A near reset is waited out in the run (Throttled); an unknown one is retried with
      // backoff while retries last; anything else ends the run until the reset (Blocked).
      const bool wait_here = (wait_ms >= 0 && wait_ms <= options_.max_throttle_wait.count() &&
                              throttles < kMaxThrottleWaits) ||
                             (wait_ms < 0 && failures < options_.max_retries);
      if (wait_here) {
        auto event = make_event(event_type::kRateLimit, payload);
        event.rate_limit = notice;
        emit(std::move(event));
        throttled_ = true;
        milliseconds delay = wait_ms >= 0 ? milliseconds(wait_ms)
                                          : std::min(options_.max_backoff,
                                                     options_.initial_backoff * (1 << failures));
        if (wait_ms < 0) {
          ++failures;
        } else {
          ++throttles;
        }
        note("model API: rate limited (HTTP 429: " + message + "); retrying in " +
             std::to_string(delay.count()) + " ms");
        if (!sleep_for(delay)) return {Outcome::Stopped, {}, "stopped"};
        continue;
      }
      payload["level"] = "rejected";
      notice.hard = true;
      auto event = make_event(event_type::kRateLimit, payload);
      event.rate_limit = notice;
      emit(std::move(event));
      return {
          Outcome::RateLimited, {}, "rate limited by the model API (HTTP 429: " + message + ")"};
    } else if (response.status < 200 || response.status >= 300) {
      return {Outcome::Failed,
              {},
              "the model API rejected the request (HTTP " + std::to_string(response.status) +
                  "): " + api_error_message(response.error_body)};
    }

    if (retry_reason.empty()) {
      std::vector<SseEvent> rest;
      parser.finish(rest);
      for (const auto& event : rest)
        decoder->on_event(event, live);
      ModelTurn turn = decoder->finish();
      if (turn.error) {
        retry_reason = "the stream reported an error: " + *turn.error;
      } else if (!turn.complete) {
        retry_reason = "the stream ended before the model finished its answer";
      } else {
        emit_live(live, true);
        if (throttled_) {
          throttled_ = false;
          auto event = make_event(event_type::kRateLimit, {{"level", "allowed"}});
          event.rate_limit = RateLimitNotice{false, true, std::nullopt, ""};
          emit(std::move(event));
        }
        return {Outcome::Turn, std::move(turn), ""};
      }
    }
    if (failures >= options_.max_retries) {
      return {Outcome::Failed,
              {},
              "the model API failed " + std::to_string(failures + 1) + " times (" +
                  std::to_string(options_.max_retries) + " retries): " + retry_reason};
    }
    const milliseconds delay =
        std::min(options_.max_backoff, options_.initial_backoff * (1 << failures));
    ++failures;
    note("model API: " + retry_reason + "; retry " + std::to_string(failures) + " of " +
         std::to_string(options_.max_retries) + " in " + std::to_string(delay.count()) + " ms");
    if (!sleep_for(delay)) return {Outcome::Stopped, {}, "stopped"};
  }
}

ToolCallResult RunState::call_tool(const ToolCallRequest& call) {
  boost::system::error_code ec;
  auto arguments = json::parse(call.arguments, ec);
  if (ec || !arguments.is_object()) {
    return {"The arguments of " + call.name + " are not a JSON object (" +
                (ec ? ec.message() : std::string("got ") + json::serialize(arguments)) +
                "). Call it again with a JSON object that matches its parameters.",
            true};
  }
  if (!tool_host_) return {"No tools are available in this run (stork has no tool host).", true};

  struct Slot {
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<ToolCallResult> result;
  };
  auto slot = std::make_shared<Slot>();
  tool_host_->call(call.name, call.arguments, ToolCaller{story_id_, agent_.name, worktree_},
                   [slot](ToolCallResult result) {
                     {
                       std::lock_guard lock(slot->mutex);
                       slot->result = std::move(result);
                     }
                     slot->ready.notify_all();
                   });
  std::unique_lock lock(slot->mutex);
  // Polls the stop flag: a stop ends the wait at once (the tool's answer is then dropped).
  while (!slot->result) {
    if (cancelled()) return {"stopped", true};
    slot->ready.wait_for(lock, milliseconds(50));
  }
  ToolCallResult result = std::move(*slot->result);
  if (result.text.size() > kMaxToolResultBytes) {
    result.text.resize(kMaxToolResultBytes);
    result.text += "\n[stork: the result was cut at 100 KB]";
  }
  return result;
}

void RunState::run() {
  if (!abandoned_) {
    boost::asio::post(executor_, [observer = observer_] { observer->on_started(std::nullopt); });
  }
  model_ = agent_.model.value_or("");
  if (model_.empty() && agent_.stage == AgentStage::Coder && default_coder_model_)
    model_ = *default_coder_model_;
  key_env_ = agent_.api_key_env.value_or(protocol_->default_key_env());
  std::string base_url = agent_.base_url.value_or(protocol_->default_base_url());
  while (!base_url.empty() && base_url.back() == '/')
    base_url.pop_back();
  session_id_ = resume_session_.value_or(new_session_id(protocol_->runtime()));
  auto fail_now = [&](const std::string& reason) {
    finish(RunExit{false, false, false, reason}, "error_during_execution", reason);
  };
  if (model_.empty()) {
    return fail_now("agent '" + agent_.name + "' has runtime \"" +
                    std::string(protocol_->runtime()) + "\" but no `model`");
  }
  const char* key = std::getenv(key_env_.c_str());
  Endpoint endpoint{base_url, model_, key != nullptr ? key : ""};
  // A local OpenAI-compatible server may need no key; the provider's own endpoint always does.
  if (endpoint.api_key.empty() && base_url == protocol_->default_base_url()) {
    return fail_now("no API key: " + key_env_ + " is not set (check the API key in " + key_env_ +
                    ")");
  }

  json::array conversation;
  auto opened = state::ConversationStore::open(project_root_);
  if (opened.ok()) {
    store_ = std::move(opened.value());
  } else {
    note("stork cannot keep this conversation (a resume will start over): " +
         opened.error().message);
  }
  if (resume_session_ && store_) {
    auto loaded = store_->load(*resume_session_);
    if (loaded.ok() && loaded.value() && loaded.value()->runtime == protocol_->runtime()) {
      boost::system::error_code ec;
      auto messages = json::parse(loaded.value()->messages, ec);
      if (!ec && messages.is_array()) conversation = std::move(messages.as_array());
    } else if (loaded.ok() && loaded.value()) {
      session_id_ = new_session_id(protocol_->runtime());  // another runtime's session
    }
  }
  {
    auto event = make_event(event_type::kSession, {{"session_id", session_id_},
                                                   {"model", model_},
                                                   {"runtime", protocol_->runtime()},
                                                   {"resumed_messages", conversation.size()}});
    event.session_id = session_id_;
    event.model = model_;
    emit(std::move(event));
  }
  protocol_->add_user_text(conversation, prompt_);
  const std::vector<ToolSpec> tools =
      tool_host_ ? tool_host_->list_tools() : std::vector<ToolSpec>{};
  std::string system_prompt =
      "You are a coding agent run by stork on work item " + story_id_ +
      ". Your working directory is the item's git worktree " + worktree_.string() +
      "; the read_file, write_file, list_files and run_command tools act there (paths relative "
      "to it). stork's own tools (check_criterion, report_completion, ...) take the item's id "
      "as story_id. Commit your work with git through run_command.";
  if (agent_.system_prompt) system_prompt += "\n\n" + *agent_.system_prompt;
  const int max_turns = agent_.max_turns.value_or(options_.default_max_turns);

  for (;;) {
    RequestResult answer = request(endpoint, system_prompt, conversation, tools);
    switch (answer.outcome) {
      case Outcome::Stopped:
        return finish(RunExit{false, false, true, "stopped"}, "error_stopped", "stopped");
      case Outcome::Failed:
        return fail_now(answer.reason);
      case Outcome::RateLimited:
        return finish(RunExit{false, false, false, answer.reason}, "error_rate_limited",
                      answer.reason);
      case Outcome::Turn:
        break;
    }
    ModelTurn& turn = answer.turn;
    ++turns_;
    add_usage(turn.usage);
    if (!turn.model.empty() && reported_model_.empty()) reported_model_ = turn.model;

    std::vector<ToolCallResult> results;
    for (const auto& call : turn.tool_calls) {
      emit(make_event(
          event_type::kToolUse,
          {{"id", call.id}, {"name", call.name}, {"input", parsed_or_string(call.arguments)}}));
      ToolCallResult result = call_tool(call);
      if (cancelled()) {
        return finish(RunExit{false, false, true, "stopped"}, "error_stopped", "stopped");
      }
      emit(make_event(
          event_type::kToolResult,
          {{"tool_use_id", call.id}, {"text", result.text}, {"is_error", result.is_error}}));
      results.push_back(std::move(result));
    }
    protocol_->add_turn(conversation, turn, results);
    save_conversation(conversation);

    if (turn.tool_calls.empty()) {
      return finish(RunExit{true, false, false, "the model finished"}, "success", turn.text);
    }
    if (agent_.max_budget_usd && cost() >= *agent_.max_budget_usd) {
      const std::string reason = "max_budget_usd (" + std::to_string(*agent_.max_budget_usd) +
                                 ") reached after " + std::to_string(turns_) + " turns";
      return finish(RunExit{false, false, false, reason}, "error_max_budget_usd", reason);
    }
    if (turns_ >= max_turns) {
      const std::string reason = "max_turns (" + std::to_string(max_turns) +
                                 ") reached: the model was still calling tools";
      return finish(RunExit{false, false, false, reason}, "error_max_turns", reason);
    }
  }
}

// The pool's handle on the run. The thread holds only the RunState, never this handle, so
// the handle is never destroyed (joined) on its own thread by the run itself.
class ApiRunHandle final : public RuntimeRun {
 public:
  explicit ApiRunHandle(std::shared_ptr<RunState> state) : state_(std::move(state)) {}
  ~ApiRunHandle() override {
    state_->abandon();
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  void start() {
    thread_ = std::thread([state = state_] { state->run(); });
  }
  void stop() override { state_->cancel(); }
  void kill() override { state_->cancel(); }
  std::optional<pid_t> pid() const override { return std::nullopt; }

 private:
  std::shared_ptr<RunState> state_;
  std::thread thread_;
};

}  // namespace

Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_api_run(
    std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
    const boost::asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer) {
  if (context.agent == nullptr || context.project == nullptr) {
    return fail(RuntimeError{"an API run needs its agent and project configuration"});
  }
  auto state =
      std::make_shared<RunState>(std::move(protocol), context, executor, std::move(observer));
  auto handle = std::make_shared<ApiRunHandle>(state);
  handle->start();
  return std::shared_ptr<RuntimeRun>(std::move(handle));
}

}  // namespace stork::agents::api
