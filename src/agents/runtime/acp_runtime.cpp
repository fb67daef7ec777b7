#include "agents/runtime/acp_runtime.hpp"

#include <cstdlib>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agents/acp/acp_client.hpp"
#include "agents/runtime/acp_permissions.hpp"
#include "agents/runtime/process_run.hpp"
#include "config/acp_known_agents.hpp"
#include "proc/child_process.hpp"

namespace stork::agents {
namespace {

// One ACP agent process and the conversation with it. Everything runs on the run's executor.
class AcpRun final : public RuntimeRun, public std::enable_shared_from_this<AcpRun> {
 public:
  AcpRun(const boost::asio::any_io_executor& executor, std::shared_ptr<RunObserver> observer,
         std::chrono::milliseconds stop_grace)
      : executor_(executor),
        observer_(std::move(observer)),
        grace_timer_(executor),
        stop_grace_(stop_grace) {}

  void begin(std::shared_ptr<proc::ChildProcess> process, acp::AcpClientOptions options) {
    process_ = std::move(process);
    std::weak_ptr<proc::ChildProcess> weak = process_;
    client_ = std::make_unique<acp::AcpClient>(std::move(options), [weak](std::string line) {
      if (auto child = weak.lock()) child->write_stdin(std::move(line));
    });
    client_->start();
  }

  void on_lines(std::vector<std::string>& lines) {
    std::vector<RuntimeEvent> events;
    if (client_) {
      for (const auto& line : lines)
        client_->on_line(line, events);
    }
    observer_->on_output(lines, events);
    if (client_ && client_->finished()) end_process();
  }

  void on_exit(const proc::ExitStatus& status) {
    grace_timer_.cancel();
    RunExit exit;
    exit.succeeded = status.succeeded();
    exit.inactive = status.reason == proc::ExitReason::Inactive;
    exit.stopped = status.reason == proc::ExitReason::Stopped && !ended_by_us_;
    exit.reason = status.describe();
    // ACP agents serve until their input ends; one that was ended after its turn ended did
    // its work, whatever its exit status says. The result event said whether the turn failed.
    if (ended_by_us_) {
      exit.succeeded = true;
      exit.reason = "turn ended (" + status.describe() + ")";
    } else if (client_ && !client_->finished() && !exit.stopped && !exit.inactive) {
      exit.succeeded = false;
      exit.reason = "the agent ended before answering session/prompt: " + status.describe();
    }
    observer_->on_exit(exit);
  }

  bool send_message(const std::string& text) override {
    return client_ != nullptr && client_->queue_message(text);
  }
  void stop() override {
    if (client_) client_->cancel();
    if (process_) process_->stop();
  }
  void kill() override {
    if (process_) process_->kill();
  }
  void hold_inactivity(bool held) override {
    if (process_) process_->hold_inactivity(held);
  }
  std::optional<pid_t> pid() const override {
    if (!process_) return std::nullopt;
    return process_->pid();
  }
  // Permission answers come back on any thread: hop to the executor, and drop them once the
  // run is gone (the client that asked with it).
  void deliver(std::function<void()> answer) {
    boost::asio::post(executor_, [weak = weak_from_this(), answer = std::move(answer)] {
      if (auto live = weak.lock(); live && live->client_) answer();
    });
  }

 private:
  // The turn is over: EOF on stdin ends a well-behaved agent; one that lingers is stopped.
  void end_process() {
    if (ended_by_us_ || !process_) return;
    ended_by_us_ = true;
    process_->close_stdin();
    grace_timer_.expires_after(stop_grace_);
    grace_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (auto live = weak.lock(); live && !ec && live->process_) live->process_->stop();
    });
  }

  boost::asio::any_io_executor executor_;
  std::shared_ptr<RunObserver> observer_;
  boost::asio::steady_timer grace_timer_;
  std::chrono::milliseconds stop_grace_;
  std::shared_ptr<proc::ChildProcess> process_;
  std::unique_ptr<acp::AcpClient> client_;
  bool ended_by_us_ = false;
};

// The agent's base_url and the key named by api_key_env, in the variables a known agent reads
// (acp_known_agents.hpp). An unknown agent gets neither; the loader warned about it.
Result<void, RuntimeError> add_provider_environment(const AgentConfig& agent,
                                                    proc::SpawnOptions& options) {
  const auto known = known_acp_agent(agent);
  if (!known) return {};
  if (agent.base_url) {
    std::string base_url = *agent.base_url;
    while (!base_url.empty() && base_url.back() == '/')
      base_url.pop_back();
    options.set_env.emplace_back(std::string(known->base_url_env), std::move(base_url));
  }
  if (agent.api_key_env) {
    const char* key = std::getenv(agent.api_key_env->c_str());
    if (key == nullptr || *key == '\0') {
      return fail(RuntimeError{"agent '" + agent.name + "': no API key: " + *agent.api_key_env +
                               " is not set (api_key_env; " + std::string(known->name) +
                               " is given it as " + std::string(known->api_key_env) + ")"});
    }
    options.set_env.emplace_back(std::string(known->api_key_env), key);
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<RuntimeRun>, RuntimeError> AcpRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  const AgentConfig& agent = *context.agent;
  if (!agent.command) {
    return fail(RuntimeError{"agent '" + agent.name +
                             "' (runtime acp) has no 'command': the ACP agent to start"});
  }
  acp::AcpClientOptions client;
  client.worktree = context.worktree;
  client.prompt = context.prompt;
  client.resume_session = context.resume_session;
  client.model = agent.model;
  if (!context.mcp_config.empty()) {
    auto servers = acp::acp_mcp_servers(context.mcp_config, agent.name, context.story_id);
    if (!servers.ok()) return fail(RuntimeError{"agent '" + agent.name + "': " + servers.error()});
    client.mcp_servers = std::move(servers).value();
  }

  proc::SpawnOptions options;
  options.argv.push_back(*agent.command);
  options.argv.insert(options.argv.end(), agent.args.begin(), agent.args.end());
  options.cwd = context.worktree;
  options.set_env = agent_environment(context);
  if (auto provider = add_provider_environment(agent, options); !provider.ok())
    return fail(provider.error());
  options.stdin_stream = true;
  options.inactivity_timeout = std::chrono::seconds(agent.inactivity_timeout_secs);
  options.stop_grace = context.stop_grace;
  if (auto sandboxed = apply_agent_sandbox(options, context); !sandboxed.ok())
    return fail(sandboxed.error());

  auto run = std::make_shared<AcpRun>(executor, observer, context.stop_grace);
  client.ask_permission = acp_permission_ask(
      context, [weak = std::weak_ptr<AcpRun>(run)](std::function<void()> answer) {
        if (auto live = weak.lock()) live->deliver(std::move(answer));
      });
  proc::ProcessHandlers handlers;
  handlers.on_lines = [weak = std::weak_ptr<AcpRun>(run)](std::vector<std::string>& lines) {
    if (auto live = weak.lock()) live->on_lines(lines);
  };
  // Weak, as on_lines: the process must not keep its own run alive (a cycle through process_).
  handlers.on_exit = [weak = std::weak_ptr<AcpRun>(run), observer](const proc::ExitStatus& status) {
    if (auto live = weak.lock()) return live->on_exit(status);
    observer->on_exit(RunExit{false, false, true, status.describe()});
  };
  auto spawned = proc::ChildProcess::spawn(executor, std::move(options), std::move(handlers));
  if (!spawned.ok()) return fail(RuntimeError{spawned.error().message});
  run->begin(spawned.value(), std::move(client));
  boost::asio::post(executor,
                    [observer, pid = spawned.value()->pid()] { observer->on_started(pid); });
  return std::shared_ptr<RuntimeRun>(std::move(run));
}

}  // namespace stork::agents
