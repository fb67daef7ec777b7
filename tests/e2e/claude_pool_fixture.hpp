// End-to-end fixture: the agent pool running the real Claude Code CLI (STORK_CLAUDE_CLI, the
// pinned npm package scripts/setup installs) against the scripted Messages API server. Each
// test gets a git project with one `claude-code` coder, its own server on a scenario of
// tests/fixtures/claude/scenarios/, an empty HOME for the CLI, and a pool on an io_context
// thread. The CLI inherits this process's environment (minus CLAUDECODE), so the fixture sets
// the recipe of docs/claude-code.md here and restores the old values afterwards.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "agents/agent_pool.hpp"
#include "agents/awaitable_result.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {

// setenv/unsetenv that put the previous values back when it goes away.
class ScopedEnvironment {
 public:
  ScopedEnvironment() = default;
  ~ScopedEnvironment();
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  void set(const std::string& name, const std::string& value);
  void unset(const std::string& name);

 private:
  void remember(const std::string& name);
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// How the CLI authenticates: an API key (rate-limit headers ignored) or an unsigned Claude
// gateway token (the CLI then reports rate limits as rate_limit_event lines).
enum class ClaudeAuth { ApiKey, Gateway };

struct ClaudeProject {
  std::string scenario;  // file name under tests/fixtures/<scenario_dir>/
  ClaudeAuth auth = ClaudeAuth::ApiKey;
  int inactivity_timeout_secs = 60;
  std::string scenario_dir = "claude/scenarios";
  // The coder's runtime, command and args lines of project.toml; empty: the claude-code CLI
  // with --dangerously-skip-permissions (the acp tests put claude-code-acp here).
  std::string agent_lines{};
};

class ClaudePoolTest : public ::testing::Test {
 protected:
  static constexpr const char* kAgent = "coder-1";
  static constexpr const char* kModel = "claude-sonnet-4-5";

  ClaudePoolTest();
  ~ClaudePoolTest() override;
  void SetUp() override;  // fails (never skips) when the CLI is not installed

  std::filesystem::path root() const { return dir_.path(); }

  // Starts the scripted server, points the CLI at it, writes project.toml with the coder
  // kAgent and opens the pool. Fails the test (fatally) when something cannot start.
  void open_project(const ClaudeProject& project);
  // Writes `toml` as the project's project.toml, opens the pool on it and runs the io thread
  // (open_project's last step; fixtures of other runtimes call it with their own agent).
  void open_pool(const std::string& toml);
  // .storkit/work/2_current/<id>.md
  void add_story(const std::string& id);

  template <class T>
  T run(boost::asio::awaitable<T> operation) {
    return agents::run_blocking(io_, std::move(operation));
  }
  agents::PoolResult<agents::AgentInfo> start(const std::string& story);
  // Waits for the run to finish; a failed wait is a test failure (and an empty AgentInfo).
  agents::AgentInfo wait(const std::string& story, std::chrono::milliseconds timeout);
  // The pool's entry for (story, kAgent), as list_agents reports it.
  std::optional<agents::AgentInfo> listed(const std::string& story);
  // The run on `story` once it is Blocked (a hard rate limit); nullopt when it finished instead,
  // or neither happened within `timeout`.
  std::optional<agents::AgentInfo> wait_blocked(const std::string& story,
                                                std::chrono::milliseconds timeout);
  std::vector<agents::AgentEvent> events(const std::string& story);
  std::vector<std::string> requests_log() const { return server_->request_lines(); }

  // What to print when an assertion about a run fails: the events of the story's latest run
  // and the server's request log (kind and step of each request).
  std::string diagnostics(const std::string& story);

  TempDir dir_;
  TempDir home_;  // the CLI's HOME: ~/.claude.json, sessions for --resume
  TempDir server_dir_;
  ScopedEnvironment env_;
  std::unique_ptr<ScriptedServer> server_;
  boost::asio::io_context io_;
  std::unique_ptr<agents::AgentPool> pool_;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread io_thread_;
};

}  // namespace stork::testing
