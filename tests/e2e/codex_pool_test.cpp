// The agent pool running the real Codex CLI (STORK_CODEX_CLI) as a `codex` agent against the
// scripted Responses API: stopping a run mid-command leaves no process behind; a 429 blocks
// the run with a rate_limit event; a 401 fails it naming the key's variable; a second start
// continues the thread with `codex exec resume`, and each run is charged its own tokens.
#include <cerrno>
#include <csignal>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/agent_pool.hpp"
#include "agents/awaitable_result.hpp"
#include "config/config_loader.hpp"
#include "scripted_server.hpp"
#include "state/run_store.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/process_probe.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;
using agents::AgentEvent;
using agents::AgentStatus;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr const char* kAgent = "coder-codex";
constexpr const char* kKeyVariable = "STORK_E2E_CODEX_KEY";

json::object payload(const AgentEvent& event) {
  return json::parse(event.payload).as_object();
}

std::vector<std::string> texts_of(const std::vector<AgentEvent>& events, std::string_view type,
                                  std::string_view key) {
  std::vector<std::string> texts;
  for (const auto& event : events) {
    if (event.type != type) continue;
    const auto object = payload(event);
    const auto* value = object.if_contains(key);
    texts.emplace_back(value && value->is_string() ? value->get_string() : "");
  }
  return texts;
}

bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

class CodexPool : public ::testing::Test {
 protected:
  CodexPool() : guard_(boost::asio::make_work_guard(io_)) {
    init_repo(dir_.path());
    write_text(dir_ / ".gitignore", ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n");
    git(dir_.path(), {"add", ".gitignore"});
    git(dir_.path(), {"commit", "-qm", "ignore stork state"});
  }
  ~CodexPool() override {
    if (pool_) run(pool_->shutdown());
    pool_.reset();
    guard_.reset();
    io_.stop();
    if (io_thread_.joinable()) io_thread_.join();
    if (old_home_) ::setenv("HOME", old_home_->c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  }
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CODEX_CLI))
        << STORK_CODEX_CLI << " is missing: run scripts/setup";
    ::setenv(kKeyVariable, "sk-scripted-codex", 1);  // NOLINT(concurrency-mt-unsafe)
    // The CLI runs commands in a login shell: an empty HOME keeps this machine's profile (a
    // pyenv rehash waiting on its lock, seen here) out of the agent's commands.
    if (const char* home = std::getenv("HOME")) old_home_ = home;  // NOLINT(concurrency-mt-unsafe)
    ::setenv("HOME", home_.path().c_str(), 1);                     // NOLINT(concurrency-mt-unsafe)
  }

  // The scripted server on `scenario`, project.toml with the codex coder, the pool.
  void open_project(const std::string& scenario, int inactivity_timeout_secs = 60) {
    server_ = std::make_unique<ScriptedServer>(
        STORK_SCRIPTED_MODEL_API,
        std::filesystem::path(STORK_TEST_DATA_DIR) / "codex/scenarios" / scenario,
        server_dir_.path(), std::vector<std::string>{"--format", "responses"});
    ASSERT_FALSE(server_->failed()) << server_->error();
    const std::string toml =
        std::string("[[agent]]\nname = \"") + kAgent +
        "\"\nstage = \"coder\"\nruntime = \"codex\"\n"
        "command = '" STORK_CODEX_CLI
        "'\nargs = [\"--dangerously-bypass-approvals-and-sandbox\"]\n"
        "model = \"gpt-5.5\"\nbase_url = \"" +
        server_->base_url() + "/v1\"\napi_key_env = \"" + kKeyVariable +
        "\"\ninactivity_timeout_secs = " + std::to_string(inactivity_timeout_secs) +
        "\n[pricing.\"gpt-5.5\"]\ninput_per_mtok = 1.0\n"
        "output_per_mtok = 10.0\ncached_input_per_mtok = 0.5\n";
    const auto path = dir_ / ".storkit/project.toml";
    write_text(path, toml);
    auto loaded = load_project_config(path);
    ASSERT_TRUE(loaded.ok()) << toml;
    agents::PoolOptions options;
    options.project_root = dir_.path();
    options.mcp_url = "http://127.0.0.1:9/mcp";  // nothing listens: the CLI runs without it
    options.stop_grace = 1s;
    auto pool = agents::AgentPool::open(
        io_.get_executor(), std::make_shared<const ProjectConfig>(loaded.value().config), options);
    ASSERT_TRUE(pool.ok()) << pool.error();
    pool_ = std::move(pool.value());
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void add_story(const std::string& id) {
    write_text(dir_ / ".storkit/work/2_current" / (id + ".md"),
               "---\nname: " + id + "\n---\n\n# " + id + "\n");
  }
  template <class T>
  T run(boost::asio::awaitable<T> operation) {
    return agents::run_blocking(io_, std::move(operation));
  }
  agents::PoolResult<agents::AgentInfo> start(const std::string& story) {
    agents::StartRequest request;
    request.story = story;
    request.agent = kAgent;
    return run(pool_->start_agent(request));
  }
  agents::AgentInfo wait(const std::string& story, std::chrono::milliseconds timeout) {
    auto info = run(pool_->wait_for_agent(story, kAgent, timeout));
    EXPECT_TRUE(info.ok()) << info.error().message << "\n" << diagnostics(story);
    return info.ok() ? info.value() : agents::AgentInfo{};
  }
  std::optional<agents::AgentInfo> listed(const std::string& story) {
    for (auto& info : run(pool_->list_agents()))
      if (info.story_id == story && info.agent_name == kAgent) return info;
    return std::nullopt;
  }
  std::vector<AgentEvent> events(const std::string& story) {
    auto drained = run(pool_->drain_events(story, kAgent));
    return drained.ok() ? drained.value() : std::vector<AgentEvent>{};
  }
  std::vector<json::object> model_requests() const {
    std::vector<json::object> found;
    for (const auto& line : server_->request_lines()) {
      auto request = json::parse(line).as_object();
      if (request.at("path").as_string() == "/v1/responses") found.push_back(std::move(request));
    }
    return found;
  }
  std::string diagnostics(const std::string& story) {
    std::string out = "events:\n";
    for (const auto& event : events(story))
      out += "  " + event.type + " " + event.payload.substr(0, 300) + "\n";
    out += "requests:\n";
    for (const auto& line : server_->request_lines())
      out += "  " + line.substr(0, 200) + " ... " +
             line.substr(line.size() - std::min<std::size_t>(line.size(), 600)) + "\n";
    return out;
  }

  TempDir dir_, server_dir_, home_;
  std::optional<std::string> old_home_;
  std::unique_ptr<ScriptedServer> server_;
  boost::asio::io_context io_;
  std::unique_ptr<agents::AgentPool> pool_;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread io_thread_;
};

// Stopped while its command runs: the CLI, its process group and the command it started are
// all gone, and the run is Stopped.
TEST_F(CodexPool, StopMidCommandLeavesNoProcessBehind) {
  open_project("stop_mid_command.json");
  const std::string story = "1_story_stop";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  const auto pid_file = dir_ / ".storkit/worktrees" / story / "sleeper.pid";
  ASSERT_TRUE(eventually(
      [&] { return std::filesystem::exists(pid_file) && !read_text(pid_file).empty(); }, 60s))
      << diagnostics(story);
  const pid_t sleeper = std::stoi(read_text(pid_file));
  auto info = listed(story);
  ASSERT_TRUE(info && info->pid) << diagnostics(story);
  const pid_t cli = *info->pid;
  EXPECT_FALSE(process_gone(sleeper));
  EXPECT_EQ(model_requests().size(), 1u) << "the command still runs: no answer sent yet";

  auto stopped = run(pool_->stop_agent(story, kAgent));
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  auto ended = wait(story, 20s);
  EXPECT_EQ(ended.status, AgentStatus::Stopped) << ended.exit_reason;
  EXPECT_TRUE(process_gone(cli)) << "the CLI (pid " << cli << ") still runs";
  EXPECT_TRUE(group_gone(cli)) << "its process group still has members";
  EXPECT_TRUE(eventually([&] { return process_gone(sleeper); }, 5s))
      << "the command the CLI ran (pid " << sleeper << ") outlived the run";
  // No tool_use event is asserted: 0.171.0 had not printed the command's item.started line
  // yet when the run was stopped (its JSONL reports the command late).
}

// A 429 from the model: the run ends Blocked (the CLI names no reset time: the pool waits its
// default five minutes), with a rate_limit event and the message; stopped and started again,
// the next run continues the same thread (`codex exec resume`): the model's request carries
// the first run's prompt.
TEST_F(CodexPool, RateLimitBlocksTheRunAndTheNextStartResumesTheThread) {
  open_project("rate_limited_then_resumed.json");
  const std::string story = "2_story_limited";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;
  std::optional<agents::AgentInfo> blocked;
  ASSERT_TRUE(eventually(
      [&] {
        auto info = listed(story);
        if (info && info->status == AgentStatus::Blocked) blocked = info;
        return blocked.has_value() || (info && is_finished(info->status));
      },
      60s))
      << diagnostics(story);
  ASSERT_TRUE(blocked.has_value()) << "the run did not block\n" << diagnostics(story);
  EXPECT_FALSE(blocked->pid.has_value());
  ASSERT_TRUE(blocked->session_id.has_value());
  ASSERT_TRUE(blocked->blocked_until_ms.has_value());
  EXPECT_GE(*blocked->blocked_until_ms, started.value().started_at_ms + 5 * 60 * 1000);
  auto first_events = events(story);
  EXPECT_THAT(texts_of(first_events, "rate_limit", "level"), ElementsAre("rejected"));
  EXPECT_THAT(texts_of(first_events, "result", "text"),
              ElementsAre(HasSubstr("rate-limited the run")));
  EXPECT_THAT(texts_of(first_events, "result", "text"), ElementsAre(HasSubstr("429")));

  ASSERT_TRUE(run(pool_->stop_agent(story, kAgent)).ok());
  ASSERT_EQ(wait(story, 10s).status, AgentStatus::Stopped);
  ASSERT_TRUE(start(story).ok());
  auto resumed = wait(story, 60s);
  ASSERT_EQ(resumed.status, AgentStatus::Completed) << resumed.exit_reason << "\n"
                                                    << diagnostics(story);
  EXPECT_EQ(resumed.session_id, blocked->session_id);
  EXPECT_THAT(texts_of(events(story), "assistant_text", "text"),
              ElementsAre("Carrying on after the limit."));
  auto requests = model_requests();
  ASSERT_EQ(requests.size(), 2u);
  const std::string first_input = json::serialize(requests[0].at("body").at("input"));
  const std::string second_input = json::serialize(requests[1].at("body").at("input"));
  EXPECT_GT(second_input.size(), first_input.size());
  const auto& first_items = requests[0].at("body").at("input").as_array();
  ASSERT_FALSE(first_items.empty());
  EXPECT_THAT(second_input, HasSubstr(json::serialize(first_items.back().at("content"))))
      << "the resumed thread sends the first run's prompt again";
}

// Two completed runs of one thread: the CLI reports the thread's running totals, the pool
// records each run's own share (and its cost at the project's price).
TEST_F(CodexPool, SecondStartResumesTheThreadAndEachRunIsChargedItsOwnTokens) {
  open_project("two_runs.json");
  const std::string story = "3_story_twice";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto first = wait(story, 60s);
  ASSERT_EQ(first.status, AgentStatus::Completed) << first.exit_reason << "\n"
                                                  << diagnostics(story);
  ASSERT_TRUE(first.session_id.has_value());
  EXPECT_EQ(first.model, "gpt-5.5");
  ASSERT_TRUE(start(story).ok());
  auto second = wait(story, 60s);
  ASSERT_EQ(second.status, AgentStatus::Completed) << second.exit_reason << "\n"
                                                   << diagnostics(story);
  EXPECT_EQ(second.session_id, first.session_id);
  EXPECT_NE(second.run_id, first.run_id);
  EXPECT_THAT(texts_of(events(story), "session", "session_id"), ElementsAre(*first.session_id));

  auto store = state::StateStore::open(dir_.path());
  ASSERT_TRUE(store.ok());
  auto usage = store.value()->token_usage(story);
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 2u);
  EXPECT_EQ(usage.value()[0].input_tokens, 60);
  EXPECT_EQ(usage.value()[0].cache_read_input_tokens, 40);
  EXPECT_EQ(usage.value()[0].output_tokens, 20);
  EXPECT_NEAR(usage.value()[0].cost_usd, (60 * 1.0 + 40 * 0.5 + 20 * 10.0) / 1e6, 1e-12);
  EXPECT_EQ(usage.value()[1].run_id, second.run_id);
  EXPECT_EQ(usage.value()[1].input_tokens, 100);
  EXPECT_EQ(usage.value()[1].cache_read_input_tokens, 200);
  EXPECT_EQ(usage.value()[1].output_tokens, 30);
  EXPECT_NEAR(usage.value()[1].cost_usd, (100 * 1.0 + 200 * 0.5 + 30 * 10.0) / 1e6, 1e-12);
  // The resumed request carries the first run's answer.
  auto requests = model_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(json::serialize(requests[1].at("body").at("input")),
              HasSubstr("First run: nothing to do yet."));
}

// A 401: the run fails, and the reason names the variable the key came from.
TEST_F(CodexPool, UnauthorizedFailsTheRunNamingTheKeyVariable) {
  open_project("unauthorized.json");
  const std::string story = "4_story_denied";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto info = wait(story, 60s);
  ASSERT_EQ(info.status, AgentStatus::Failed) << info.exit_reason << "\n" << diagnostics(story);
  EXPECT_THAT(info.exit_reason, HasSubstr("401"));
  EXPECT_THAT(info.exit_reason, HasSubstr(std::string("check the API key in ") + kKeyVariable));
}

}  // namespace
}  // namespace stork::testing
