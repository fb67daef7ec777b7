#include "agents/runtime/gemini_cli_runtime.hpp"

#include <cstdlib>
#include <fstream>
#include <utility>

#include "agents/gemini_cli/launch.hpp"
#include "agents/gemini_cli/stream_translator.hpp"
#include "agents/runtime/process_run.hpp"
#include "base/file_io.hpp"

namespace stork::agents {
namespace {

constexpr const char* kDefaultKeyEnv = "GEMINI_API_KEY";

// Passes everything on, but ends a failed run with the translator's words when the CLI said
// why (a rate limit, a refused key) instead of a bare "exit code 1".
class FailureNamingObserver final : public RunObserver {
 public:
  FailureNamingObserver(std::shared_ptr<RunObserver> inner,
                        std::shared_ptr<GeminiStreamTranslator> translator)
      : inner_(std::move(inner)), translator_(std::move(translator)) {}
  void on_started(std::optional<pid_t> pid) override { inner_->on_started(pid); }
  void on_output(std::vector<std::string>& raw_lines, std::vector<RuntimeEvent>& events) override {
    inner_->on_output(raw_lines, events);
  }
  void on_exit(const RunExit& exit) override {
    RunExit named = exit;
    if (!exit.stopped && !exit.inactive && !translator_->failure().empty())
      named.reason = translator_->failure() + " (" + exit.reason + ")";
    inner_->on_exit(named);
  }

 private:
  std::shared_ptr<RunObserver> inner_;
  std::shared_ptr<GeminiStreamTranslator> translator_;
};

RuntimeError launch_error(const AgentConfig& agent, const std::string& what) {
  return RuntimeError{"agent '" + agent.name + "' (runtime \"gemini-cli\"): " + what};
}

// stork's MCP server from the worktree's .mcp.json; none when the file is absent (the run goes
// on without stork's tools, as the claude-code runtime's would).
Result<std::optional<gemini_cli::McpServer>, RuntimeError> mcp_server(
    const LaunchContext& context) {
  std::error_code ec;
  if (context.mcp_config.empty() || !std::filesystem::exists(context.mcp_config, ec))
    return std::optional<gemini_cli::McpServer>();
  auto text = read_file(context.mcp_config);
  if (!text.ok()) return fail(launch_error(*context.agent, text.error().message));
  auto server = gemini_cli::storkit_mcp_server(text.value(), context.agent->name, context.story_id);
  if (!server.ok())
    return fail(launch_error(*context.agent, context.mcp_config.string() + ": " + server.error()));
  return std::optional<gemini_cli::McpServer>(std::move(server).value());
}

// Writes <home>/.gemini/settings.json for this run (replacing the last run's).
Result<void, RuntimeError> write_settings(const LaunchContext& context,
                                          const std::filesystem::path& home) {
  auto mcp = mcp_server(context);
  if (!mcp.ok()) return fail(mcp.error());
  std::error_code ec;
  std::filesystem::create_directories(home / ".gemini", ec);
  if (ec)
    return fail(launch_error(*context.agent, (home / ".gemini").string() + ": " + ec.message()));
  auto written = write_file_atomic(home / ".gemini" / "settings.json",
                                   gemini_cli::gemini_cli_settings(*context.agent, mcp.value()));
  if (!written.ok()) return fail(launch_error(*context.agent, written.error().message));
  return {};
}

// Whether the CLI kept session `id` under `home` with an answer of the model in it: it writes
// <home>/.gemini/tmp/<project>/chats/session-<time>-<first 8 characters of the id>.jsonl, and
// refuses to resume one without a model turn (a run whose first request was refused). Without
// it `--resume` would fail the run; the run starts a fresh session instead.
bool session_saved(const std::filesystem::path& home, const std::string& id) {
  const std::string tag = "-" + id.substr(0, 8) + ".json";
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(home / ".gemini" / "tmp", ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("session-", 0) != 0 || name.find(tag) == std::string::npos) continue;
    std::ifstream in(it->path());
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"type\":\"gemini\"") != std::string::npos) return true;
    }
  }
  return false;
}

std::string prompt_with_system_prompt(const LaunchContext& context) {
  // The CLI can replace its system prompt (GEMINI_SYSTEM_MD) but not add to it: the agent's
  // own instructions go first in the prompt instead.
  if (!context.agent->system_prompt) return context.prompt;
  return *context.agent->system_prompt + "\n\n" + context.prompt;
}

}  // namespace

std::filesystem::path gemini_cli_home(const LaunchContext& context) {
  return context.project_root / ".storkit" / "logs" / context.story_id / "home" / "gemini-cli" /
         context.agent->name;
}

Result<std::shared_ptr<RuntimeRun>, RuntimeError> GeminiCliRuntime::start(
    const LaunchContext& context, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer) const {
  const AgentConfig& agent = *context.agent;
  const std::string key_env = agent.api_key_env.value_or(kDefaultKeyEnv);
  const char* key = std::getenv(key_env.c_str());
  if (key == nullptr || *key == '\0') {
    return fail(launch_error(
        agent, "no API key: " + key_env + " is not set (check the API key in " + key_env + ")"));
  }
  const auto home = gemini_cli_home(context);
  if (auto written = write_settings(context, home); !written.ok()) return fail(written.error());

  gemini_cli::LaunchInput input;
  input.model = agent.model;
  if (!input.model && agent.stage == AgentStage::Coder)
    input.model = context.project->default_coder_model;
  if (context.resume_session && session_saved(home, *context.resume_session))
    input.resume_session = context.resume_session;

  proc::SpawnOptions options;
  options.argv = gemini_cli::gemini_cli_argv(agent, input);
  options.cwd = context.worktree;
  options.set_env = agent_environment(context);
  options.set_env.emplace_back("GEMINI_CLI_HOME", home.string());
  options.set_env.emplace_back("GEMINI_API_KEY", key);
  options.set_env.emplace_back("GEMINI_TELEMETRY_ENABLED", "false");
  if (agent.base_url) {
    std::string base_url = *agent.base_url;
    while (!base_url.empty() && base_url.back() == '/')
      base_url.pop_back();
    options.set_env.emplace_back("GOOGLE_GEMINI_BASE_URL", base_url);
  }
  // Settings in the caller's environment that would take the CLI to another auth method.
  options.unset_env = {"GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_GCA",
                       "GEMINI_CLI_SYSTEM_SETTINGS_PATH"};
  options.stdin_data = prompt_with_system_prompt(context);
  options.inactivity_timeout = std::chrono::seconds(agent.inactivity_timeout_secs);
  options.stop_grace = context.stop_grace;
  if (auto sandboxed = apply_agent_sandbox(options, context); !sandboxed.ok())
    return fail(sandboxed.error());

  auto translator = std::make_shared<GeminiStreamTranslator>(
      GeminiTranslatorSetup{context.project->pricing, key_env, {}});
  return start_process_run(std::move(options), executor,
                           std::make_shared<FailureNamingObserver>(std::move(observer), translator),
                           [translator](std::string_view line, std::vector<RuntimeEvent>& events) {
                             translator->translate(line, events);
                           });
}

}  // namespace stork::agents
