#include "cli/config_command.hpp"

#include <fmt/format.h>

#include "cli/project_locator.hpp"
#include "config/config_loader.hpp"

namespace stork::cli {
namespace {

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + toml_string(items[i]);
  return out + "]";
}

std::string optional_text(const std::optional<std::string>& value, std::string_view unset) {
  return value ? toml_string(*value) : "# " + std::string(unset);
}

// Prints the configuration as TOML with every default written out.
void print_resolved(std::ostream& out, const ProjectConfig& config) {
  out << "default_qa = " << toml_string(to_string(config.default_qa)) << "\n";
  out << "default_coder_model = "
      << optional_text(config.default_coder_model, "unset: the runtime's default") << "\n";
  out << "max_coders = " << config.max_coders << "\n";
  out << "max_retries = " << config.max_retries << "\n";
  out << "base_branch = " << optional_text(config.base_branch, "unset: detected from HEAD") << "\n";
  out << "rate_limit_notifications = " << (config.rate_limit_notifications ? "true" : "false")
      << "\n";
  out << "timezone = " << optional_text(config.timezone, "unset: the server's local zone") << "\n";
  for (const auto& component : config.components) {
    out << "\n[[component]]\nname = " << toml_string(component.name)
        << "\npath = " << toml_string(component.path) << "\nsetup = " << list(component.setup)
        << "\nteardown = " << list(component.teardown) << "\n";
  }
  for (const auto& agent : config.agents) {
    out << "\n[[agent]]\nname = " << toml_string(agent.name) << "\n";
    out << "stage = " << toml_string(to_string(agent.stage))
        << (agent.stage_inferred ? "  # inferred from the name" : "") << "\n";
    if (!agent.role.empty()) out << "role = " << toml_string(agent.role) << "\n";
    out << "runtime = " << toml_string(agent.runtime) << "\n";
    out << "model = " << optional_text(agent.model, "unset") << "\n";
    if (agent.command) out << "command = " << toml_string(*agent.command) << "\n";
    if (!agent.args.empty()) out << "args = " << list(agent.args) << "\n";
    if (agent.prompt) out << "prompt = " << toml_string(*agent.prompt) << "\n";
    if (agent.system_prompt) out << "system_prompt = " << toml_string(*agent.system_prompt) << "\n";
    if (!agent.allowed_tools.empty())
      out << "allowed_tools = " << list(agent.allowed_tools) << "\n";
    out << "max_turns = "
        << (agent.max_turns ? std::to_string(*agent.max_turns) : "# unset: no limit") << "\n";
    out << "max_budget_usd = "
        << (agent.max_budget_usd ? fmt::format("{}", *agent.max_budget_usd) : "# unset: no limit")
        << "\n";
    out << "inactivity_timeout_secs = " << agent.inactivity_timeout_secs << "\n";
  }
}

void run_check(CliContext& context) {
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root) {
    context.fail(kExitUsage, root.error().message);
    return;
  }
  auto path = *root / ".storkit" / "project.toml";
  auto loaded = load_project_config(path);
  if (!loaded) {
    context.err << render_all(loaded.error());
    context.fail(kExitFailure, path.string() + " has errors");
    return;
  }
  context.err << render_all(loaded->warnings);
  context.out << "# " << path.string() << " is valid; resolved configuration:\n";
  print_resolved(context.out, loaded->config);
}

}  // namespace

void add_config_commands(CLI::App& app, CliContext& context) {
  auto* config = app.add_subcommand("config", "Inspect .storkit/project.toml");
  config->require_subcommand(1);
  config->add_subcommand("check", "Validate project.toml and print the resolved configuration")
      ->callback([&context] { run_check(context); });
}

}  // namespace stork::cli
