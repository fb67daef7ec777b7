#include "agents/runtime/claude_runtime.hpp"

#include "agents/claude/launch.hpp"
#include "agents/runtime/event_translation.hpp"
#include "agents/runtime/process_run.hpp"

namespace stork::agents {

Result<std::shared_ptr<RuntimeRun>, RuntimeError> ClaudeRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  const AgentConfig& agent = *context.agent;
  claude::LaunchInput input;
  input.prompt = context.prompt;
  input.resume_session = context.resume_session;
  input.mcp_config = context.mcp_config;
  if (agent.stage == AgentStage::Coder) input.default_model = context.project->default_coder_model;

  proc::SpawnOptions options;
  options.argv = claude::claude_argv(agent, input);
  options.cwd = context.worktree;
  options.set_env = agent_environment(context);
  options.unset_env = {"CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT"};
  // Pipes, not a PTY: the prompt and people's messages go to the CLI's stdin as stream-json,
  // and the CLI must read EOF there when its turn is over (a PTY has no EOF in raw mode).
  options.inactivity_timeout = std::chrono::seconds(agent.inactivity_timeout_secs);
  options.stop_grace = context.stop_grace;
  if (auto sandboxed = apply_agent_sandbox(options, context); !sandboxed.ok())
    return fail(sandboxed.error());
  return start_process_run(
      std::move(options), executor, std::move(observer),
      [](std::string_view line, std::vector<RuntimeEvent>& events) {
        translate_claude_line(line, events);
      },
      StreamInput{claude::claude_user_message, context.prompt});
}

}  // namespace stork::agents
