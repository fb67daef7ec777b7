// Runtime: how one kind of agent is run (a CLI in a PTY, a plain command, or a model API loop
// inside stork: openai, gemini). The pool knows runs only through this interface: it asks a runtime
// to start, receives typed events and one exit, and may ask it to stop. Everything a runtime
// reports reaches its RunObserver on the executor it was given (the pool's strand).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <sys/types.h>

#include "agents/runtime/permission_host.hpp"
#include "agents/runtime/tool_host.hpp"
#include "base/result.hpp"
#include "config/project_config.hpp"

namespace stork::agents {

struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_creation_input_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
  double cost_usd = 0;
  // The tokens count the whole session, earlier (resumed) runs included, as the Codex CLI
  // reports them; the pool then records the run's own share (pool_run_cost.cpp).
  bool session_totals = false;
};

struct RateLimitNotice {
  bool hard = false;     // rejected until the reset time
  bool allowed = false;  // back under the limit (ends a warning)
  std::optional<std::int64_t> resets_at_unix_s;
  std::string limit_type;
};

// One event as a runtime produces it; the pool adds run, sequence number and time.
struct RuntimeEvent {
  std::string type;     // agent_event.hpp event_type
  std::string payload;  // JSON object text
  // Facts the pool acts on, when this event carries them.
  std::optional<std::string> session_id;
  std::optional<std::string> model;
  std::optional<TokenUsage> usage;  // a run's totals (result)
  std::optional<RateLimitNotice> rate_limit;
  bool failed_result = false;  // a result that says the run failed (error_max_turns, ...)
  // With failed_result: why, in words that name what to fix ("the model API refused the key in
  // OPENAI_API_KEY"); the run's failure reason then, instead of the bare exit status.
  std::string failure;
};

// How the run ended, in words for people and in facts for the pool.
struct RunExit {
  bool succeeded = false;
  bool inactive = false;  // killed by the inactivity timeout
  bool stopped = false;   // ended because stop() was called
  std::string reason;     // "exit code 1", "inactive: no output for 300 s ...", ...
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // `pid` is the agent's process (group leader); none for runs without a process of their own
  // (the API runtimes run their loop inside stork).
  virtual void on_started(std::optional<pid_t> pid) = 0;
  // `raw_lines` are the lines as the agent printed them (for the run's log file); `events`
  // what they meant. Both may be empty.
  virtual void on_output(std::vector<std::string>& raw_lines,
                         std::vector<RuntimeEvent>& events) = 0;
  virtual void on_exit(const RunExit& exit) = 0;  // exactly once, after the last output
};

// How the API runtimes deal with failures of the model API (docs/runtimes.md).
struct ApiRunOptions {
  int max_retries = 3;  // for 5xx answers and dropped connections, per request
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{4000};
  // A 429 whose reset is at most this far away is waited out inside the run (Throttled); a
  // later reset ends the run as rate limited, and the pool resumes it after the reset (Blocked).
  std::chrono::milliseconds max_throttle_wait{60000};
  int default_max_turns = 100;  // when the agent sets no max_turns
};

struct LaunchContext {
  const AgentConfig* agent = nullptr;
  const ProjectConfig* project = nullptr;
  std::string story_id;
  std::filesystem::path worktree;
  std::filesystem::path mcp_config;  // the worktree's .mcp.json
  // What that file points at, for CLIs that take their MCP servers in a config of their own
  // (codex): stork's MCP endpoint and its bearer token (empty: the server has none).
  std::string mcp_url;
  std::string mcp_token;
  std::string prompt;
  std::optional<std::string> resume_session;
  std::chrono::milliseconds stop_grace{3000};
  // For the API runtimes (openai, gemini): the project's root (its state database holds the
  // conversations), the tools to offer the model, and the retry/backoff settings.
  std::filesystem::path project_root;
  std::shared_ptr<ToolHost> tool_host;
  ApiRunOptions api;
  // For runtimes that are asked for permissions themselves (acp); null: none (answered by mode).
  std::shared_ptr<PermissionHost> permission_host;
  // Where a run's blocking work goes (the API runtimes' HTTP transfers and SQLite writes): the
  // pool's worker threads, never the executor the run reports on.
  boost::asio::any_io_executor workers;
};

class RuntimeRun {
 public:
  virtual ~RuntimeRun() = default;
  virtual void stop() = 0;  // graceful; on_exit follows
  virtual void kill() = 0;  // at once; on_exit follows
  // The pool is going away (any thread, also once its executor has stopped): report nothing
  // more, and end at once whatever holds a worker thread.
  virtual void abandon() {}
  virtual std::optional<pid_t> pid() const = 0;
  // A question to a person is pending (true) or answered (false): its wait is not inactivity
  // (proc::ChildProcess::hold_inactivity). On the run's executor.
  virtual void hold_inactivity(bool held) { (void)held; }
  // A person's message for the agent, on the run's executor. True: the agent reads it in this
  // run (Claude Code's stream-json stdin while its turn runs; the API runtimes' conversation
  // before the next model request). False: the run cannot take input now (a `command` agent,
  // or the final answer is in), and the caller keeps the message for the next start.
  virtual bool send_message(const std::string& text) {
    (void)text;
    return false;
  }
};

struct RuntimeError {
  std::string message;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual std::string_view name() const = 0;
  virtual Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const = 0;
};

// How run_command and the gates are confined, from the project's `sandbox` and
// `sandbox_network` (docs/sandbox.md); nullopt: not at all.
inline std::optional<proc::SandboxPolicy> command_sandbox(const ProjectConfig& project) {
  if (project.sandbox != SandboxKind::Bwrap) return std::nullopt;
  proc::SandboxPolicy policy;
  policy.network = project.sandbox_network;
  return policy;
}

// The runtime for an agent's `runtime` field; an error names the ones this build supports.
Result<std::unique_ptr<Runtime>, RuntimeError> make_runtime(std::string_view name);

}  // namespace stork::agents
