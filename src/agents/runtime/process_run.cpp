#include "agents/runtime/process_run.hpp"

#include <utility>

#include <boost/asio/post.hpp>
#include <unistd.h>

#include "proc/launch_plan.hpp"
#include "proc/sandbox.hpp"

namespace stork::agents {
namespace {

class ProcessRun final : public RuntimeRun {
 public:
  explicit ProcessRun(std::optional<StreamInput> input) : input_(std::move(input)) {}
  void attach(std::shared_ptr<proc::ChildProcess> process) {
    process_ = std::move(process);
    if (input_) process_->write_stdin(input_->encode(input_->prompt));
  }
  bool send_message(const std::string& text) override {
    if (!input_ || !process_ || input_over_) return false;
    return process_->write_stdin(input_->encode(text));
  }
  // The agent's turn is over: a message now would start another turn instead of ending.
  void end_input() {
    if (input_over_ || !process_) return;
    input_over_ = true;
    process_->close_stdin();
  }
  void stop() override {
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

 private:
  std::optional<StreamInput> input_;
  std::shared_ptr<proc::ChildProcess> process_;
  bool input_over_ = false;
};

bool has_result(const std::vector<RuntimeEvent>& events) {
  for (const auto& event : events)
    if (event.type == "result") return true;
  return false;
}

RunExit to_run_exit(const proc::ExitStatus& status) {
  RunExit exit;
  exit.succeeded = status.succeeded();
  exit.inactive = status.reason == proc::ExitReason::Inactive;
  exit.stopped = status.reason == proc::ExitReason::Stopped;
  exit.reason = status.describe();
  return exit;
}

// The first candidate exec would run, followed to the file it is; empty when none is found.
std::filesystem::path resolved_program(const proc::SpawnOptions& options) {
  std::string_view path_variable = "/bin:/usr/bin";
  const auto environment = proc::child_environment(options);
  for (const auto& entry : environment) {
    if (entry.rfind("PATH=", 0) == 0) path_variable = std::string_view(entry).substr(5);
  }
  for (const auto& candidate : proc::executable_candidates(options.argv.front(), path_variable)) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(options.cwd / candidate, ec);
    if (ec || ::access(absolute.c_str(), X_OK) != 0) continue;
    auto real = std::filesystem::canonical(absolute, ec);
    if (!ec && std::filesystem::is_regular_file(real, ec)) return real;
  }
  return {};
}

}  // namespace

Result<void, RuntimeError> apply_agent_sandbox(proc::SpawnOptions& options,
                                               const LaunchContext& context) {
  if (context.agent->sandbox != SandboxKind::Bwrap) return {};
  proc::SandboxPolicy policy;
  policy.network = true;
  policy.home = context.project_root / ".storkit" / "logs" / context.story_id / "home";
  if (auto program = resolved_program(options); !program.empty()) {
    options.argv.front() = program.string();
    policy.read_only.push_back(program.parent_path());
  }
  auto wrapped = proc::sandboxed_argv(options.cwd, policy, options.argv);
  if (!wrapped.ok()) {
    return fail(RuntimeError{"agent '" + context.agent->name +
                             "' (sandbox = \"bwrap\"): " + wrapped.error()});
  }
  options.argv = std::move(wrapped).value();
  return {};
}

Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_process_run(
    proc::SpawnOptions options, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer, LineInterpreter interpret,
    std::optional<StreamInput> input) {
  options.stdin_stream = input.has_value();
  auto run = std::make_shared<ProcessRun>(std::move(input));
  proc::ProcessHandlers handlers;
  handlers.on_lines = [observer, interpret = std::move(interpret),
                       weak_run = std::weak_ptr<ProcessRun>(run)](std::vector<std::string>& lines) {
    std::vector<RuntimeEvent> events;
    events.reserve(lines.size());
    for (const auto& line : lines)
      interpret(line, events);
    if (has_result(events))
      if (auto live = weak_run.lock()) live->end_input();
    observer->on_output(lines, events);
  };
  handlers.on_exit = [observer](const proc::ExitStatus& status) {
    observer->on_exit(to_run_exit(status));
  };

  auto spawned = proc::ChildProcess::spawn(executor, std::move(options), std::move(handlers));
  if (!spawned.ok()) return fail(RuntimeError{spawned.error().message});

  run->attach(spawned.value());
  // Reported through the executor like every other observer call, so the pool sees
  // "started" before any output of the process.
  boost::asio::post(executor,
                    [observer, pid = spawned.value()->pid()] { observer->on_started(pid); });
  return std::shared_ptr<RuntimeRun>(std::move(run));
}

std::vector<std::pair<std::string, std::string>> agent_environment(const LaunchContext& context) {
  std::vector<std::pair<std::string, std::string>> env{
      {"STORK_STORY_ID", context.story_id},
      {"STORK_AGENT", context.agent->name},
      {"STORK_WORKTREE", context.worktree.string()},
  };
  if (context.resume_session) env.emplace_back("STORK_RESUME_SESSION", *context.resume_session);
  return env;
}

}  // namespace stork::agents
