// The turn loop of an API run: send the conversation, read the streamed answer, run its tool
// calls, append the results, until the model answers without tool calls or a limit is reached.
// The retry policy, the tool bridge, the cost and the saved conversation are their own files.
#include "agents/api/api_run.hpp"

#include <atomic>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agents/agent_event.hpp"
#include "agents/api/retry_policy.hpp"
#include "agents/api/run_cost.hpp"
#include "agents/api/run_plan.hpp"
#include "agents/api/run_reporter.hpp"
#include "agents/api/saved_conversation.hpp"
#include "agents/api/tool_bridge.hpp"
#include "agents/runtime/event_building.hpp"
#include "base/offload.hpp"

namespace stork::agents::api {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

using std::chrono::milliseconds;

std::int64_t unix_now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// How a request ended.
enum class Outcome { Turn, Stopped, Failed, RateLimited };

struct RequestResult {
  Outcome outcome = Outcome::Failed;
  ModelTurn turn;
  std::string reason;
};

// What one transfer gave: the HTTP answer and, for a 2xx one, the turn its stream carried and
// the live text not yet reported.
struct Transfer {
  HttpResponse response;
  ModelTurn turn;
  LiveText live;
};

class ApiRun : public std::enable_shared_from_this<ApiRun> {
 public:
  ApiRun(std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
         const asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer)
      : protocol_(std::move(protocol)),
        agent_(*context.agent),
        plan_(plan_run(*protocol_, context)),
        story_id_(context.story_id),
        prompt_(context.prompt),
        resume_session_(context.resume_session),
        options_(context.api),
        executor_(executor),
        workers_(context.workers),
        reporter_(executor, std::move(observer)),
        tools_(context.tool_host, ToolCaller{context.story_id, agent_.name, context.worktree,
                                             agents::command_sandbox(*context.project)}),
        conversation_store_(
            context.project_root,
            ConversationOwner{context.story_id, agent_.name, std::string(protocol_->runtime())}),
        cost_(context.project->pricing),
        timer_(executor) {}

  asio::awaitable<void> run();
  // Any thread: the flag stops a transfer (curl polls it); the wake-up runs on the executor.
  void cancel() {
    cancel_flag_ = true;
    asio::post(executor_, [self = shared_from_this()] {
      self->timer_.cancel();
      self->tools_.cancel();
    });
  }
  // Any thread, also while the executor no longer runs: report nothing more, abort a transfer.
  void abandon() {
    reporter_.abandon();
    cancel_flag_ = true;
  }
  // On the executor: kept for the next model request; false once the final answer is in.
  bool send_message(const std::string& text) {
    if (finished_) return false;
    inbox_.push_back(text);
    return true;
  }
  void fail_internal(const std::string& what) {
    reporter_.exit(RunExit{false, false, false, "internal error in the API run: " + what});
  }

 private:
  bool cancelled() const { return cancel_flag_.load(); }
  asio::awaitable<void> open_conversation();
  asio::awaitable<void> save_conversation();
  asio::awaitable<RequestResult> request();
  asio::awaitable<Transfer> transfer();
  asio::awaitable<bool> sleep(milliseconds delay);
  asio::awaitable<bool> call_tools(const ModelTurn& turn, std::vector<ToolCallResult>& results);
  void report_rate_limit(const RateLimitFacts& facts, bool hard);
  void end_throttle();
  // The result event, then the exit.
  void finish(RunExit exit, const char* subtype, const std::string& text);
  void fail_now(const std::string& reason) {
    finish(RunExit{false, false, false, reason}, "error_during_execution", reason);
  }
  void finish_stopped() {
    finish(RunExit{false, false, true, "stopped"}, "error_stopped", "stopped");
  }
  // A reason to end the run after this turn (max_budget_usd, max_turns), or "".
  std::pair<const char*, std::string> limit_reached() const;

  const std::unique_ptr<ModelProtocol> protocol_;
  const AgentConfig agent_;  // a copy: the run outlives no configuration it needs
  const RunPlan plan_;
  const std::string story_id_;
  const std::string prompt_;
  const std::optional<std::string> resume_session_;
  const ApiRunOptions options_;
  const asio::any_io_executor executor_;
  const asio::any_io_executor workers_;
  RunReporter reporter_;
  ToolBridge tools_;
  SavedConversation conversation_store_;
  RunCost cost_;
  asio::steady_timer timer_;  // backoff and throttle waits
  std::atomic<bool> cancel_flag_{false};

  std::vector<ToolSpec> tool_specs_;
  json::array conversation_;
  std::string session_id_;
  int turns_ = 0;
  bool throttled_ = false;
  bool finished_ = false;
  std::vector<std::string> inbox_;  // people's messages for the next request
};

asio::awaitable<void> ApiRun::run() {
  reporter_.started();
  session_id_ = resume_session_.value_or(new_session_id(protocol_->runtime()));
  if (!plan_.error.empty()) co_return fail_now(plan_.error);
  co_await open_conversation();
  protocol_->add_user_text(conversation_, prompt_);
  tool_specs_ = tools_.tools();
  for (;;) {
    RequestResult answer = co_await request();
    switch (answer.outcome) {
      case Outcome::Stopped:
        co_return finish_stopped();
      case Outcome::Failed:
        co_return fail_now(answer.reason);
      case Outcome::RateLimited:
        co_return finish(RunExit{false, false, false, answer.reason}, "error_rate_limited",
                         answer.reason);
      case Outcome::Turn:
        break;
    }
    const ModelTurn& turn = answer.turn;
    ++turns_;
    cost_.add(turn.usage);
    std::vector<ToolCallResult> results;
    if (!co_await call_tools(turn, results)) co_return finish_stopped();
    protocol_->add_turn(conversation_, turn, results);
    // A message that came during the turn follows the tool results, and earns another turn.
    const bool told = !inbox_.empty();
    for (const auto& message : std::exchange(inbox_, {}))
      protocol_->add_user_text(conversation_, message);
    co_await save_conversation();
    if (turn.tool_calls.empty() && !told) {
      co_return finish(RunExit{true, false, false, "the model finished"}, "success", turn.text);
    }
    const auto limit = limit_reached();
    if (!limit.second.empty()) {
      co_return finish(RunExit{false, false, false, limit.second}, limit.first, limit.second);
    }
  }
}

asio::awaitable<void> ApiRun::open_conversation() {
  std::optional<std::string> note;
  ResumedConversation resumed;
  auto open = [this, &note, &resumed] {
    note = conversation_store_.open();
    if (resume_session_) resumed = conversation_store_.load(*resume_session_);
  };
  co_await offload(workers_, open);
  if (note) reporter_.note(*note);
  if (resumed.foreign) session_id_ = new_session_id(protocol_->runtime());
  conversation_ = std::move(resumed.messages);
  auto event = make_event(event_type::kSession, {{"session_id", session_id_},
                                                 {"model", plan_.endpoint.model},
                                                 {"runtime", protocol_->runtime()},
                                                 {"resumed_messages", conversation_.size()}});
  event.session_id = session_id_;
  event.model = plan_.endpoint.model;
  reporter_.emit(std::move(event));
}

asio::awaitable<void> ApiRun::save_conversation() {
  std::optional<std::string> note;
  auto save = [this, &note] {
    note = conversation_store_.save(session_id_, plan_.endpoint.model, conversation_);
  };
  co_await offload(workers_, save);
  if (note) reporter_.note(*note);
}

asio::awaitable<RequestResult> ApiRun::request() {
  RetryCounts counts;
  for (;;) {
    if (cancelled()) co_return RequestResult{Outcome::Stopped, {}, "stopped"};
    Transfer answer = co_await transfer();
    if (answer.response.cancelled || cancelled())
      co_return RequestResult{Outcome::Stopped, {}, "stopped"};
    Verdict verdict =
        judge_answer(answer.response, *protocol_, options_, counts, unix_now_s(), plan_.key_env);
    if (verdict.kind == Verdict::Kind::Accept) verdict = judge_turn(answer.turn, options_, counts);
    switch (verdict.kind) {
      case Verdict::Kind::Accept:
        reporter_.emit_live(answer.live, true);
        end_throttle();
        co_return RequestResult{Outcome::Turn, std::move(answer.turn), ""};
      case Verdict::Kind::Fail:
        co_return RequestResult{Outcome::Failed, {}, verdict.reason};
      case Verdict::Kind::Block:
        report_rate_limit(*verdict.limit, true);
        co_return RequestResult{Outcome::RateLimited, {}, verdict.reason};
      case Verdict::Kind::Throttle:
        report_rate_limit(*verdict.limit, false);
        reporter_.note("model API: rate limited (HTTP 429: " + verdict.limit->message +
                       "); retrying in " + std::to_string(verdict.delay.count()) + " ms");
        break;
      case Verdict::Kind::Retry:
        reporter_.note("model API: " + verdict.reason + "; retry " +
                       std::to_string(counts.failures) + " of " +
                       std::to_string(options_.max_retries) + " in " +
                       std::to_string(verdict.delay.count()) + " ms");
        break;
    }
    if (!co_await sleep(verdict.delay)) co_return RequestResult{Outcome::Stopped, {}, "stopped"};
  }
}

// The request on a worker thread: the conversation is serialised and sent there, and the
// stream is decoded as it arrives (its live text reported from there). The loop waits
// meanwhile, so nothing else touches the conversation.
asio::awaitable<Transfer> ApiRun::transfer() {
  auto work = [this] {
    Transfer result;
    HttpRequest http =
        protocol_->build_request(plan_.endpoint, plan_.system_prompt, conversation_, tool_specs_);
    http.idle_timeout = std::chrono::seconds(std::max(1, agent_.inactivity_timeout_secs));
    auto decoder = protocol_->decoder();
    SseParser parser;
    std::vector<SseEvent> events;
    auto on_body = [&](std::string_view bytes) {
      events.clear();
      parser.feed(bytes, events);
      for (const auto& event : events)
        decoder->on_event(event, result.live);
      reporter_.emit_live(result.live, false);
    };
    result.response = post_streaming(http, on_body, cancel_flag_);
    const long status = result.response.status;
    if (result.response.transport_error.empty() && status >= 200 && status < 300) {
      events.clear();
      parser.finish(events);
      for (const auto& event : events)
        decoder->on_event(event, result.live);
      result.turn = decoder->finish();
    }
    return result;
  };
  Transfer result = co_await offload(workers_, work);
  co_return result;
}

asio::awaitable<bool> ApiRun::sleep(milliseconds delay) {
  if (cancelled()) co_return false;
  timer_.expires_after(delay);
  boost::system::error_code ec;
  co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return !cancelled();
}

// False when the run was stopped during a call.
asio::awaitable<bool> ApiRun::call_tools(const ModelTurn& turn,
                                         std::vector<ToolCallResult>& results) {
  for (const auto& call : turn.tool_calls) {
    reporter_.emit(make_event(
        event_type::kToolUse,
        {{"id", call.id}, {"name", call.name}, {"input", parsed_or_string(call.arguments)}}));
    auto calling = tools_.call(call);
    ToolCallResult result = co_await std::move(calling);
    if (cancelled()) co_return false;
    reporter_.emit(make_event(
        event_type::kToolResult,
        {{"tool_use_id", call.id}, {"text", result.text}, {"is_error", result.is_error}}));
    results.push_back(std::move(result));
  }
  co_return true;
}

void ApiRun::report_rate_limit(const RateLimitFacts& facts, bool hard) {
  json::object payload{{"level", hard ? "rejected" : "warning"},
                       {"limit_type", facts.reset.limit_type},
                       {"message", facts.message}};
  if (facts.reset.resets_at_unix_s) payload["resets_at"] = *facts.reset.resets_at_unix_s;
  auto event = make_event(event_type::kRateLimit, payload);
  RateLimitNotice notice;
  notice.hard = hard;
  notice.resets_at_unix_s = facts.reset.resets_at_unix_s;
  notice.limit_type = facts.reset.limit_type;
  event.rate_limit = notice;
  reporter_.emit(std::move(event));
  if (!hard) throttled_ = true;
}

void ApiRun::end_throttle() {
  if (!throttled_) return;
  throttled_ = false;
  auto event = make_event(event_type::kRateLimit, {{"level", "allowed"}});
  event.rate_limit = RateLimitNotice{false, true, std::nullopt, ""};
  reporter_.emit(std::move(event));
}

std::pair<const char*, std::string> ApiRun::limit_reached() const {
  if (agent_.max_budget_usd && cost_.cost(plan_.endpoint.model) >= *agent_.max_budget_usd) {
    return {"error_max_budget_usd", "max_budget_usd (" + std::to_string(*agent_.max_budget_usd) +
                                        ") reached after " + std::to_string(turns_) + " turns"};
  }
  if (turns_ >= plan_.max_turns) {
    return {"error_max_turns", "max_turns (" + std::to_string(plan_.max_turns) +
                                   ") reached: the model was still calling tools"};
  }
  return {"", ""};
}

void ApiRun::finish(RunExit exit, const char* subtype, const std::string& text) {
  finished_ = true;
  reporter_.emit(cost_.result_event(subtype, !exit.succeeded, text, plan_.endpoint.model,
                                    session_id_, turns_));
  reporter_.exit(std::move(exit));
}

// The run's coroutine holds the run; an exception (none is expected) still ends it with an exit.
asio::awaitable<void> drive(std::shared_ptr<ApiRun> run) {
  try {
    auto running = run->run();
    co_await std::move(running);
  } catch (const std::exception& e) {
    run->fail_internal(e.what());
  }
}

// The pool's handle on the run. Dropping it abandons the run: it reports nothing more.
class ApiRunHandle final : public RuntimeRun {
 public:
  explicit ApiRunHandle(std::shared_ptr<ApiRun> run) : run_(std::move(run)) {}
  ~ApiRunHandle() override { run_->abandon(); }
  void stop() override { run_->cancel(); }
  void kill() override { run_->cancel(); }
  void abandon() override { run_->abandon(); }
  std::optional<pid_t> pid() const override { return std::nullopt; }
  bool send_message(const std::string& text) override { return run_->send_message(text); }

 private:
  std::shared_ptr<ApiRun> run_;
};

}  // namespace

Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_api_run(
    std::unique_ptr<ModelProtocol> protocol, const LaunchContext& context,
    const asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer) {
  if (context.agent == nullptr || context.project == nullptr) {
    return fail(RuntimeError{"an API run needs its agent and project configuration"});
  }
  if (!context.workers) {
    return fail(RuntimeError{"an API run needs a worker executor for its HTTP transfers"});
  }
  auto run = std::make_shared<ApiRun>(std::move(protocol), context, executor, std::move(observer));
  asio::co_spawn(executor, drive(run), asio::detached);
  return std::shared_ptr<RuntimeRun>(std::make_shared<ApiRunHandle>(std::move(run)));
}

}  // namespace stork::agents::api
