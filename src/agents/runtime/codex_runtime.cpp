#include "agents/runtime/codex_runtime.hpp"

#include "agents/codex/codex_config.hpp"
#include "agents/codex/codex_launch.hpp"
#include "agents/runtime/codex_event_translation.hpp"
#include "agents/runtime/process_run.hpp"
#include "base/file_io.hpp"

namespace stork::agents {
namespace {

std::optional<std::string> model_of(const LaunchContext& context) {
  const AgentConfig& agent = *context.agent;
  if (agent.model) return agent.model;
  if (agent.stage == AgentStage::Coder) return context.project->default_coder_model;
  return std::nullopt;
}

codex::ConfigInput config_input(const LaunchContext& context) {
  const AgentConfig& agent = *context.agent;
  codex::ConfigInput input;
  input.model = model_of(context);
  input.base_url = agent.base_url;
  input.api_key_env = agent.api_key_env;
  input.mcp_url = context.mcp_url;
  input.mcp_token = !context.mcp_token.empty();
  input.agent_name = agent.name;
  input.story_id = context.story_id;
  return input;
}

CodexRunFacts run_facts(const LaunchContext& context, const codex::ConfigInput& input) {
  CodexRunFacts facts;
  facts.model = input.model.value_or("");
  if (const ModelPrice* price = find_model_price(context.project->pricing, facts.model))
    facts.price = *price;
  facts.failure.base_url = input.base_url.value_or(codex::kDefaultBaseUrl);
  facts.failure.key_variable = codex::key_variable(input);
  return facts;
}

}  // namespace

std::filesystem::path codex_home(const std::filesystem::path& project_root,
                                 const std::string& story_id, const std::string& agent) {
  return project_root / ".storkit" / "logs" / story_id / "home" / (".codex-" + agent);
}

Result<std::shared_ptr<RuntimeRun>, RuntimeError> CodexRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  const AgentConfig& agent = *context.agent;
  const auto home = codex_home(context.project_root, context.story_id, agent.name);
  const auto input = config_input(context);
  std::error_code ec;
  std::filesystem::create_directories(home, ec);
  if (ec) return fail(RuntimeError{"codex: cannot create " + home.string() + ": " + ec.message()});
  if (auto written = write_file_atomic(home / "config.toml", codex::config_toml(input)); !written)
    return fail(RuntimeError{"codex: " + written.error().message});

  proc::SpawnOptions options;
  options.argv = codex::codex_argv(agent, context.resume_session);
  options.cwd = context.worktree;
  options.set_env = agent_environment(context);
  options.set_env.emplace_back("CODEX_HOME", home.string());
  if (!context.mcp_token.empty())
    options.set_env.emplace_back(codex::kMcpTokenVariable, context.mcp_token);
  // The prompt is read from stdin ("-"), which is then closed: the CLI reads to its end.
  options.stdin_data = context.prompt;
  options.inactivity_timeout = std::chrono::seconds(agent.inactivity_timeout_secs);
  options.stop_grace = context.stop_grace;
  if (auto sandboxed = apply_agent_sandbox(options, context); !sandboxed.ok())
    return fail(sandboxed.error());
  auto translator = std::make_shared<CodexEventTranslator>(run_facts(context, input));
  return start_process_run(std::move(options), executor, std::move(observer),
                           [translator](std::string_view line, std::vector<RuntimeEvent>& events) {
                             translator->translate(line, events);
                           });
}

}  // namespace stork::agents
