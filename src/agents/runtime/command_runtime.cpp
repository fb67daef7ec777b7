#include "agents/runtime/command_runtime.hpp"

#include "agents/runtime/event_translation.hpp"
#include "agents/runtime/process_run.hpp"

namespace stork::agents {

Result<std::shared_ptr<RuntimeRun>, RuntimeError> CommandRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  const AgentConfig& agent = *context.agent;
  if (!agent.command || agent.command->empty()) {
    return fail(
        RuntimeError{"agent '" + agent.name + "' has runtime \"command\" but no `command` to run"});
  }
  proc::SpawnOptions options;
  options.argv.push_back(*agent.command);
  options.argv.insert(options.argv.end(), agent.args.begin(), agent.args.end());
  options.cwd = context.worktree;
  options.set_env = agent_environment(context);
  options.set_env.emplace_back("STORK_PROMPT", context.prompt);
  options.stdin_data = context.prompt;
  options.inactivity_timeout = std::chrono::seconds(agent.inactivity_timeout_secs);
  options.stop_grace = context.stop_grace;
  if (auto sandboxed = apply_agent_sandbox(options, context); !sandboxed.ok())
    return fail(sandboxed.error());
  return start_process_run(std::move(options), executor, std::move(observer),
                           [](std::string_view line, std::vector<RuntimeEvent>& events) {
                             translate_command_line(line, events);
                           });
}

}  // namespace stork::agents
