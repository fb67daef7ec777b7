// The openai and gemini runtimes end to end inside one process: a real project (git repository,
// items, pool, pipeline), stork's MCP tools registered on an mcp::Server and reached through the
// app's ToolHost (in-process dispatch), and a scripted model server on loopback
// (tests/e2e/scripted_model_api.py) speaking the Chat Completions or the Gemini streaming format.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../e2e/scripted_server.hpp"
#include "../unit/tools/tools_fixture.hpp"
#include "config/config_loader.hpp"
#include "state/run_store.hpp"
#include "support/git_fixture.hpp"
#include "tools/agent_tool_host.hpp"
#include "tools/tool_services.hpp"
#include "tools/worktree_builtin_tools.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr const char* kStory = "1_story_api";
// Of stage `other`: it works on the item in place, so the pipeline neither moves the item nor
// starts agents again after a run (the coder path is pipeline_e2e_test's).
constexpr const char* kAgent = "api-agent";
constexpr const char* kKeyVar = "STORK_TEST_MODEL_KEY";

struct ApiAgent {
  std::string runtime = "openai";
  std::string model = "gpt-4o";
  std::string extra;  // more TOML lines of the [[agent]]
};

// The app's tool host, counting the calls it has answered: a test that stops a run during a
// tool call waits for the tool itself to end before the project goes away.
class CountingToolHost final : public agents::ToolHost {
 public:
  explicit CountingToolHost(std::shared_ptr<agents::ToolHost> inner) : inner_(std::move(inner)) {}
  std::vector<agents::ToolSpec> list_tools() const override { return inner_->list_tools(); }
  void call(const std::string& name, const std::string& arguments, const agents::ToolCaller& caller,
            std::function<void(agents::ToolCallResult)> done) override {
    inner_->call(name, arguments, caller,
                 [answered = answered_, done = std::move(done)](agents::ToolCallResult result) {
                   done(std::move(result));
                   ++*answered;
                 });
  }
  int answered() const { return answered_->load(); }

 private:
  std::shared_ptr<agents::ToolHost> inner_;
  std::shared_ptr<std::atomic<int>> answered_ = std::make_shared<std::atomic<int>>(0);
};

class ApiRuntimeTest : public ToolsTest, public ::testing::WithParamInterface<std::string> {
 protected:
  ~ApiRuntimeTest() override {
    // Runs end before the MCP server they call goes (ToolsTest drops it first).
    if (pool_) run(pool_->shutdown());
  }

  std::string runtime() const { return GetParam(); }

  // Starts the scripted server on `steps` and opens the project with one API coder.
  void open_api(const json::array& steps, const ApiAgent& agent_in = {},
                const std::string& extra_toml = "") {
    ApiAgent agent = agent_in;
    agent.runtime = runtime();
    if (agent.runtime == "gemini" && agent.model == "gpt-4o") agent.model = "gemini-2.5-flash";
    ::setenv(kKeyVar, "sk-scripted-test", 1);
    write_text(server_dir_.path() / "scenario.json", json::serialize(steps));
    model_server_ = std::make_unique<ScriptedServer>(
        STORK_SCRIPTED_MODEL_API, server_dir_.path() / "scenario.json", server_dir_.path(),
        std::vector<std::string>{"--format", agent.runtime});
    ASSERT_FALSE(model_server_->failed()) << model_server_->error();
    const std::string base_url =
        agent.runtime == "openai" ? model_server_->base_url() + "/v1" : model_server_->base_url();

    registry_ = std::make_shared<mcp::ToolRegistry>();
    server_ = std::make_unique<mcp::Server>(io_.get_executor(), mcp::ServerInfo{}, registry_);
    tool_host_ = std::make_shared<CountingToolHost>(
        tools::make_agent_tool_host(io_.get_executor(), *server_, registry_, root()));
    pool_options_.tool_host = tool_host_;
    pool_options_.api.initial_backoff = 20ms;
    pool_options_.api.max_backoff = 80ms;
    pool_options_.api.max_throttle_wait = 2000ms;
    pool_options_.rate_limit_margin = 0ms;
    const std::string toml = extra_toml + "\n[[agent]]\nname = \"" + kAgent +
                             "\"\nstage = \"other\"\nruntime = \"" + agent.runtime +
                             "\"\nmodel = \"" + agent.model + "\"\nbase_url = \"" + base_url +
                             "\"\napi_key_env = \"" + kKeyVar + "\"\n" + agent.extra + "\n";
    open_pipeline({TestAgent{"helper", "other", "sleep 30"}}, toml);
    auto loaded = load_project_config(dir_ / ".storkit/project.toml");
    ASSERT_TRUE(loaded.ok());
    config_ = std::make_shared<const ProjectConfig>(loaded.value().config);
    services_.project_root = dir_.path();
    services_.base_branch = "main";
    services_.pool = pool_.get();
    services_.pipeline = pipeline_.get();
    services_.config = [this] { return config_; };
    services_.reload_config =
        [this]() -> Result<std::shared_ptr<const ProjectConfig>, std::string> { return config_; };
    services_.workers = workers_.get_executor();
    items_ = std::make_shared<ops::ItemOps>(services_);  // its OpsServices part
    services_.items = items_;
    tools::register_storkit_tools(*registry_, services_);
    add_story(Stage::Backlog, kStory, {"The notes file exists", "It is committed"});
    git(root(), {"add", "-A"});
    git(root(), {"commit", "-qm", "the item"});
  }

  agents::AgentInfo start_and_wait(std::chrono::milliseconds timeout = 20s) {
    auto started = start(kStory, std::string(kAgent));
    EXPECT_TRUE(started.ok()) << started.error().message;
    return wait(kStory, kAgent, timeout);
  }

  std::vector<agents::AgentEvent> events() {
    auto drained = run(pool_->drain_events(kStory, kAgent));
    EXPECT_TRUE(drained.ok());
    return drained.ok() ? drained.value() : std::vector<agents::AgentEvent>{};
  }

  std::vector<json::object> payloads(const std::string& type) {
    std::vector<json::object> out;
    for (const auto& event : events()) {
      if (event.type == type) out.push_back(json::parse(event.payload).as_object());
    }
    return out;
  }

  std::vector<std::string> types() {
    std::vector<std::string> out;
    for (const auto& event : events())
      out.push_back(event.type);
    return out;
  }

  std::vector<json::object> requests() const {
    std::vector<json::object> out;
    // request_lines() holds whole lines only, even while the server is appending one.
    for (const auto& line : model_server_->request_lines())
      out.push_back(json::parse(line).as_object());
    return out;
  }

  std::filesystem::path worktree() const { return root() / ".storkit/worktrees" / kStory; }

  static json::object call(const std::string& name, json::object arguments) {
    return json::object{{"name", name}, {"arguments", std::move(arguments)}};
  }
  static json::object tool_step(json::array calls, const std::string& text = "") {
    json::object step{{"tool_calls", std::move(calls)}};
    if (!text.empty()) step["text"] = text;
    return step;
  }
  static json::object text_step(const std::string& text) { return json::object{{"text", text}}; }

  TempDir server_dir_;
  std::unique_ptr<ScriptedServer> model_server_;
  std::shared_ptr<CountingToolHost> tool_host_;
};

// The issue's scenario: read a file, write a file, commit with git through the command tool,
// tick a criterion over MCP, finish.
TEST_P(ApiRuntimeTest, FullScenario_CommitsTicksTheCriterionAndRecordsEventsUsageAndCost) {
  json::array steps{
      tool_step({call("read_file", {{"path", "README.md"}})}, "Let me look at the README.\n"),
      tool_step(
          {call("write_file", {{"path", "notes/api.txt"}, {"content", "written by the model\n"}})}),
      tool_step({call("run_command",
                      {{"command", "git add notes/api.txt && git commit -qm 'add notes'"}})}),
      tool_step({call("check_criterion", {{"story_id", kStory}, {"index", 0}})}),
      json::object{{"text", "All done: the notes file is committed."},
                   {"usage", json::object{{"input", 1000}, {"output", 200}, {"cached", 400}}}}};
  open_api(steps);
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  EXPECT_FALSE(info.pid.has_value());

  // The worktree ends with the commit.
  EXPECT_EQ(read_text(worktree() / "notes/api.txt"), "written by the model\n");
  EXPECT_EQ(git(worktree(), {"log", "-1", "--format=%s"}), "add notes\n");
  // The criterion is ticked in the item file (wherever the pipeline has moved it since).
  auto item = StageStore(root()).load(kStory);
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item.value().criteria().size(), 2u);
  EXPECT_TRUE(item.value().criteria()[0].checked);
  EXPECT_FALSE(item.value().criteria()[1].checked);

  // Events: session, live text, every tool use with its result, the result with usage.
  const auto seen = types();
  EXPECT_THAT(seen, Contains("session"));
  EXPECT_THAT(seen, Contains("assistant_text"));
  const auto uses = payloads("tool_use");
  ASSERT_EQ(uses.size(), 4u);
  EXPECT_EQ(uses[0].at("name").as_string(), "read_file");
  EXPECT_EQ(uses[3].at("name").as_string(), "check_criterion");
  const auto results = payloads("tool_result");
  ASSERT_EQ(results.size(), 4u);
  for (const auto& result : results)
    EXPECT_FALSE(result.at("is_error").as_bool()) << json::serialize(result);
  EXPECT_EQ(results[0].at("text").as_string(), "# sample\n");
  const auto texts = payloads("assistant_text");
  EXPECT_EQ(texts.front().at("text").as_string(), "Let me look at the README.");
  const auto result = payloads("result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].at("subtype").as_string(), "success");
  EXPECT_EQ(result[0].at("num_turns").as_int64(), 5);

  // Usage and cost: 4 turns of 100/20 and one of 1000 (400 cached)/200.
  auto state = state::StateStore::open(root());
  ASSERT_TRUE(state.ok());
  auto usage = state.value()->token_usage(std::string(kStory));
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 1u);
  const auto& recorded = usage.value().front();
  EXPECT_EQ(recorded.input_tokens, 4 * 100 + 600);
  EXPECT_EQ(recorded.cache_read_input_tokens, 400);
  EXPECT_EQ(recorded.output_tokens, 4 * 20 + 200);
  const auto* price = find_model_price(config_->pricing, recorded.model);
  ASSERT_NE(price, nullptr) << recorded.model;
  const double expected = (1000.0 * price->input_per_mtok +
                           400.0 * price->cached_input_per_mtok.value_or(price->input_per_mtok) +
                           280.0 * price->output_per_mtok) /
                          1e6;
  EXPECT_NEAR(recorded.cost_usd, expected, 1e-9);
  EXPECT_GT(recorded.cost_usd, 0);

  // The requests: the key was sent, the tools offered, the tool results sent back.
  const auto sent = requests();
  ASSERT_EQ(sent.size(), 5u);
  EXPECT_TRUE(sent[0].at("auth").as_bool());
  const auto second = json::serialize(sent[1].at("body"));
  EXPECT_THAT(second, HasSubstr("# sample"));
  const auto first = json::serialize(sent[0].at("body"));
  for (const auto* name : {"read_file", "write_file", "list_files", "run_command",
                           "check_criterion", "get_story_todos"})
    EXPECT_THAT(first, HasSubstr(std::string("\"") + name + "\"")) << name;
  EXPECT_THAT(first, Not(HasSubstr("prompt_permission")));
}

TEST_P(ApiRuntimeTest, Unauthorized_FailsWithCheckTheApiKeyInItsVariable) {
  open_api({json::object{{"status", 401},
                         {"body", {{"error", {{"message", "Incorrect API key provided"}}}}}}});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("check the API key in STORK_TEST_MODEL_KEY"));
  EXPECT_THAT(info.exit_reason, HasSubstr("Incorrect API key provided"));
  EXPECT_EQ(requests().size(), 1u);  // not retried
}

TEST_P(ApiRuntimeTest, Forbidden_FailsWithCheckTheApiKeyInItsVariable) {
  open_api({json::object{{"status", 403}}});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("HTTP 403"));
  EXPECT_THAT(info.exit_reason, HasSubstr("check the API key in STORK_TEST_MODEL_KEY"));
}

TEST_P(ApiRuntimeTest, RateLimitWithNearReset_IsWaitedOutThrottledAndTheRunGoesOn) {
  open_api({json::object{{"status", 429}, {"headers", {{"retry-after", "1"}}}},
            text_step("done after the limit")});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  const auto limits = payloads("rate_limit");
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].at("level").as_string(), "warning");
  EXPECT_TRUE(limits[0].contains("resets_at"));
  EXPECT_EQ(limits[1].at("level").as_string(), "allowed");
  bool throttled = false;
  for (const auto& status : payloads("status"))
    throttled = throttled || status.at("status").as_string() == "throttled";
  EXPECT_TRUE(throttled);
  EXPECT_EQ(requests().size(), 2u);
}

TEST_P(ApiRuntimeTest, RateLimitWithLateReset_BlocksAndResumesTheConversationAfterIt) {
  // The reset is 3 s away, over the 2 s the run waits itself: the run ends Blocked and the pool
  // starts it again after the reset, continuing the persisted conversation.
  json::object limited{{"status", 429},
                       {"headers",
                        {{"x-ratelimit-reset-requests", "3s"},
                         {"x-ratelimit-remaining-requests", "0"},
                         {"x-ratelimit-reset-tokens", "1s"},
                         {"x-ratelimit-remaining-tokens", "5000"}}}};
  if (runtime() == "gemini") limited["headers"] = json::object{{"retry-after", "3"}};
  open_api(
      {tool_step({call("list_files", json::object{})}), limited, text_step("resumed and done")});
  auto started = start(kStory, std::string(kAgent));
  ASSERT_TRUE(started.ok());
  const auto first_run = started.value().run_id;
  ASSERT_TRUE(eventually(
      [&] {
        auto runs = run(pool_->list_agents());
        return !runs.empty() && std::any_of(runs.begin(), runs.end(), [](const auto& r) {
          return r.status == agents::AgentStatus::Blocked;
        });
      },
      5s));
  const auto info = wait(kStory, kAgent, 15s);
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  EXPECT_NE(info.run_id, first_run);
  const auto sent = requests();
  ASSERT_EQ(sent.size(), 3u);
  // The resumed request carries the first run's tool call and its result.
  const auto resumed = json::serialize(sent[2].at("body"));
  EXPECT_THAT(resumed, HasSubstr("list_files"));
  EXPECT_THAT(resumed, HasSubstr("README.md"));
  EXPECT_THAT(resumed, HasSubstr("rate limit that stopped your previous run"));
}

TEST_P(ApiRuntimeTest, ServerErrors_AreRetriedWithBackoff) {
  open_api({json::object{{"status", 503}}, json::object{{"status", 500}}, text_step("third time")});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  EXPECT_EQ(requests().size(), 3u);
}

TEST_P(ApiRuntimeTest, ServerErrors_FailTheRunAfterBoundedRetriesWithTheReason) {
  open_api({json::object{{"status", 502},
                         {"forever", true},
                         {"body", {{"error", {{"message", "upstream is down"}}}}}}});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("failed 4 times (3 retries)"));
  EXPECT_THAT(info.exit_reason, HasSubstr("HTTP 502: upstream is down"));
  EXPECT_EQ(requests().size(), 4u);
}

TEST_P(ApiRuntimeTest, DroppedConnection_IsRetried) {
  open_api({json::object{{"drop", true}}, text_step("after the drop")});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  EXPECT_EQ(requests().size(), 2u);
  const auto result = payloads("result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].at("text").as_string(), "after the drop");
}

TEST_P(ApiRuntimeTest, StreamSilentForTheInactivityTimeout_CountsAsDroppedAndIsRetried) {
  open_api({json::object{{"stall", true}}, text_step("after the stall")},
           ApiAgent{"", "gpt-4o", "inactivity_timeout_secs = 1"});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  EXPECT_EQ(requests().size(), 2u);
  bool noted = false;
  for (const auto& output : payloads("output"))
    noted = noted ||
            std::string(output.at("text").as_string()).find("retry 1 of 3") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST_P(ApiRuntimeTest, OtherClientErrors_FailTheRunWithTheApiMessage) {
  open_api({json::object{{"status", 400},
                         {"body", {{"error", {{"message", "model 'x' does not exist"}}}}}}});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("HTTP 400"));
  EXPECT_THAT(info.exit_reason, HasSubstr("model 'x' does not exist"));
  EXPECT_EQ(requests().size(), 1u);
}

TEST_P(ApiRuntimeTest, UnknownToolsAndBadArguments_GetToolErrorsAndTheRunGoesOn) {
  json::array calls{call("no_such_tool", json::object{}), call("read_file", {{"path", 5}}),
                    call("check_criterion", {{"index", 0}}),
                    call("write_file", {{"path", "../outside.txt"}, {"content", "x"}})};
  open_api({tool_step(calls), text_step("I will stop here")});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  const auto results = payloads("tool_result");
  ASSERT_EQ(results.size(), 4u);
  for (const auto& result : results)
    EXPECT_TRUE(result.at("is_error").as_bool()) << json::serialize(result);
  EXPECT_THAT(std::string(results[0].at("text").as_string()),
              HasSubstr("Unknown tool: no_such_tool"));
  EXPECT_THAT(std::string(results[1].at("text").as_string()),
              HasSubstr("argument 'path': expected string"));
  EXPECT_THAT(std::string(results[2].at("text").as_string()), HasSubstr("story_id"));
  EXPECT_THAT(std::string(results[3].at("text").as_string()), HasSubstr("uses '..'"));
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/worktrees/outside.txt"));
  // The model read the errors: they are in the second request.
  const auto second = json::serialize(requests().at(1).at("body"));
  EXPECT_THAT(second, HasSubstr("Unknown tool: no_such_tool"));
}

TEST_P(ApiRuntimeTest, ModelThatNeverStopsCallingTools_EndsAtMaxTurnsWithAClearReason) {
  json::object forever = tool_step({call("list_files", json::object{})});
  forever["forever"] = true;
  open_api({forever}, ApiAgent{"", "gpt-4o", "max_turns = 3"});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("max_turns (3) reached"));
  EXPECT_EQ(requests().size(), 3u);
  const auto result = payloads("result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].at("subtype").as_string(), "error_max_turns");
}

TEST_P(ApiRuntimeTest, CostOverMaxBudget_EndsTheRunWithItsReason) {
  json::object expensive = tool_step({call("list_files", json::object{})});
  expensive["usage"] = json::object{{"input", 100000}, {"output", 1000}, {"cached", 0}};
  expensive["forever"] = true;
  open_api({expensive}, ApiAgent{"", "gpt-4o", "max_budget_usd = 0.001"});
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("max_budget_usd"));
  EXPECT_EQ(requests().size(), 1u);
  const auto result = payloads("result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].at("subtype").as_string(), "error_max_budget_usd");
  EXPECT_GT(result[0].at("total_cost_usd").as_double(), 0.001);
}

TEST_P(ApiRuntimeTest, StopMidStream_AbortsTheRequestAtOnce) {
  open_api({json::object{{"stall", true}}});
  ASSERT_TRUE(start(kStory, std::string(kAgent)).ok());
  ASSERT_TRUE(eventually([&] { return requests().size() == 1; }, 5s));
  const auto asked = std::chrono::steady_clock::now();
  auto stopped = run(pool_->stop_agent(kStory, kAgent));
  ASSERT_TRUE(stopped.ok());
  const auto info = wait(kStory, kAgent, 5s);
  EXPECT_EQ(info.status, agents::AgentStatus::Stopped);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 1500ms);
}

TEST_P(ApiRuntimeTest, StopDuringAToolCall_EndsTheRunAtOnceWithoutTheToolsAnswer) {
  // The tool takes seconds; the stop must not wait for it.
  open_api({tool_step({call("run_command", {{"command", "sleep 2"}})}), text_step("never")});
  ASSERT_TRUE(start(kStory, std::string(kAgent)).ok());
  ASSERT_TRUE(eventually([&] { return !payloads("tool_use").empty(); }, 5s));
  const auto asked = std::chrono::steady_clock::now();
  auto stopped = run(pool_->stop_agent(kStory, kAgent));
  ASSERT_TRUE(stopped.ok());
  const auto info = wait(kStory, kAgent, 5s);
  EXPECT_EQ(info.status, agents::AgentStatus::Stopped);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 1500ms);
  EXPECT_EQ(requests().size(), 1u) << "no request after the stop";
  EXPECT_EQ(tool_host_->answered(), 0) << "the stop did not wait for the tool";
  // The command itself runs on: the project stays until it has ended.
  EXPECT_TRUE(eventually([&] { return tool_host_->answered() == 1; }, 10s));
}

// A person's message during a tool call is added to the conversation before the next request;
// after the final answer the run takes no input, and the message is queued for the next start.
TEST_P(ApiRuntimeTest, SayDuringAToolCall_ReachesTheNextRequestAndAfterTheEndIsQueued) {
  open_api({tool_step({call("run_command", {{"command", "sleep 1"}})}), text_step("done")});
  ASSERT_TRUE(start(kStory, std::string(kAgent)).ok());
  ASSERT_TRUE(eventually([&] { return !payloads("tool_use").empty(); }, 5s));
  auto said = run(pool_->say(kStory, kAgent, "use the PELICAN fixture"));
  ASSERT_TRUE(said.ok()) << said.error().message;
  EXPECT_TRUE(said.value().live);
  const auto info = wait(kStory, kAgent, 10s);
  EXPECT_EQ(info.status, agents::AgentStatus::Completed) << info.exit_reason;
  const auto sent = requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_THAT(json::serialize(sent[0].at("body")), Not(HasSubstr("PELICAN")));
  EXPECT_THAT(json::serialize(sent[1].at("body")), HasSubstr("use the PELICAN fixture"));
  const auto messages = payloads("message");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("delivery").as_string(), "live");

  auto late = run(pool_->say(kStory, kAgent, "too late"));
  ASSERT_TRUE(late.ok()) << late.error().message;
  EXPECT_FALSE(late.value().live);
  EXPECT_THAT(late.value().queued_reason, HasSubstr("no run of the agent is live"));
}

TEST_P(ApiRuntimeTest, SecondStart_ContinuesThePersistedConversation) {
  open_api({text_step("first answer"), text_step("second answer")});
  auto first = start_and_wait();
  ASSERT_EQ(first.status, agents::AgentStatus::Completed) << first.exit_reason;
  ASSERT_TRUE(first.session_id.has_value());
  auto second = start_and_wait();
  EXPECT_EQ(second.status, agents::AgentStatus::Completed) << second.exit_reason;
  EXPECT_EQ(second.session_id, first.session_id);
  const auto sent = requests();
  ASSERT_EQ(sent.size(), 2u);
  const auto body = json::serialize(sent[1].at("body"));
  EXPECT_THAT(body, HasSubstr("first answer"));
  EXPECT_THAT(body, HasSubstr(kStory));
}

TEST_P(ApiRuntimeTest, MissingKeyForThePublicEndpoint_FailsAtOnceNamingTheVariable) {
  open_api({text_step("never reached")});
  // The agent points at the provider itself, whose key is not set.
  auto config = *config_;
  ::unsetenv("STORK_TEST_UNSET_KEY");
  const std::string toml = read_text(dir_ / ".storkit/project.toml");
  std::string changed = toml;
  const auto at = changed.find("base_url = ");
  changed.erase(at, changed.find('\n', at) - at + 1);
  const auto key_at = changed.find(std::string("api_key_env = \"") + kKeyVar);
  changed.replace(key_at, std::string("api_key_env = \"").size() + std::string(kKeyVar).size(),
                  "api_key_env = \"STORK_TEST_UNSET_KEY");
  write_text(dir_ / ".storkit/project.toml", changed);
  auto loaded = load_project_config(dir_ / ".storkit/project.toml");
  ASSERT_TRUE(loaded.ok());
  run(pool_->set_config(std::make_shared<const ProjectConfig>(loaded.value().config)));
  const auto info = start_and_wait();
  EXPECT_EQ(info.status, agents::AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("STORK_TEST_UNSET_KEY is not set"));
  EXPECT_TRUE(requests().empty());
}

INSTANTIATE_TEST_SUITE_P(Runtimes, ApiRuntimeTest, ::testing::Values("openai", "gemini"),
                         [](const auto& param_info) { return param_info.param; });

// ---- the built-in worktree tools, called directly ----

class WorktreeBuiltins : public ::testing::Test {
 protected:
  agents::ToolCallResult call(const std::string& name, const std::string& arguments) {
    std::promise<agents::ToolCallResult> promise;
    auto future = promise.get_future();
    tools::call_worktree_builtin(
        io_.get_executor(), dir_.path(), name, json::parse(arguments).as_object(),
        agents::ToolCaller{"1_story_x", "coder", worktree_},
        [&](agents::ToolCallResult r) { promise.set_value(std::move(r)); });
    while (future.wait_for(0ms) != std::future_status::ready) {
      io_.run_for(20ms);
      io_.restart();
    }
    return future.get();
  }
  void SetUp() override {
    worktree_ = dir_ / "wt";
    std::filesystem::create_directories(worktree_ / "src");
    write_text(worktree_ / "src/a.txt", "alpha\n");
    write_text(dir_ / "secret.txt", "outside\n");
  }
  TempDir dir_;
  std::filesystem::path worktree_;
  boost::asio::io_context io_;
};

TEST_F(WorktreeBuiltins, ReadWriteAndListStayInsideTheWorktree) {
  EXPECT_EQ(call("read_file", R"({"path":"src/a.txt"})").text, "alpha\n");
  EXPECT_FALSE(call("write_file", R"({"path":"new/b.txt","content":"beta"})").is_error);
  EXPECT_EQ(read_text(worktree_ / "new/b.txt"), "beta");
  EXPECT_EQ(call("list_files", R"({"recursive":true})").text, "new/\nnew/b.txt\nsrc/\nsrc/a.txt\n");
}

TEST_F(WorktreeBuiltins, RefusesAbsolutePathsDotDotAndSymlinksLeadingOut) {
  auto absolute = call("read_file", R"({"path":"/etc/passwd"})");
  EXPECT_TRUE(absolute.is_error);
  EXPECT_THAT(absolute.text, HasSubstr("is absolute"));
  auto up = call("read_file", R"({"path":"../secret.txt"})");
  EXPECT_TRUE(up.is_error);
  EXPECT_THAT(up.text, HasSubstr("uses '..'"));
  std::filesystem::create_symlink(dir_.path(), worktree_ / "escape");
  auto link = call("read_file", R"({"path":"escape/secret.txt"})");
  EXPECT_TRUE(link.is_error);
  EXPECT_THAT(link.text, HasSubstr("leads outside the worktree"));
  auto write = call("write_file", R"({"path":"escape/new.txt","content":"x"})");
  EXPECT_TRUE(write.is_error);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "new.txt"));
}

TEST_F(WorktreeBuiltins, RunCommandRunsInTheWorktreeAndRefusesTheDenyList) {
  auto ran = call("run_command", R"({"command":"cat src/a.txt"})");
  EXPECT_FALSE(ran.is_error);
  auto parsed = json::parse(ran.text).as_object();
  EXPECT_TRUE(parsed.at("succeeded").as_bool());
  EXPECT_THAT(std::string(parsed.at("output").as_string()), HasSubstr("alpha"));
  auto refused = call("run_command", R"({"command":"git push origin main"})");
  EXPECT_TRUE(refused.is_error);
  auto bad = call("run_command", R"({"command":"ls","timeout_secs":9999})");
  EXPECT_TRUE(bad.is_error);
  EXPECT_THAT(bad.text, HasSubstr("timeout_secs"));
}

}  // namespace
}  // namespace stork::testing
