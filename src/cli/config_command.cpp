#include "cli/config_command.hpp"

#include <memory>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "cli/doctor_command.hpp"
#include "cli/project_loading.hpp"
#include "config/config_loader.hpp"
#include "ops/doctor.hpp"

namespace stork::cli {
namespace {

// TOML's own quoting and escaping, from toml++.
std::string toml_string(std::string_view text) {
  std::ostringstream out;
  out << toml::value<std::string>(std::string(text));
  return out.str();
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + toml_string(items[i]);
  return out + "]";
}

// `key = value`, or, when unset, a comment saying what applies instead, so that the printed
// configuration is itself valid TOML.
std::string setting(std::string_view key, const std::optional<std::string>& toml_value,
                    std::string_view when_unset) {
  if (toml_value) return std::string(key) + " = " + *toml_value + "\n";
  return "# " + std::string(key) + ": unset (" + std::string(when_unset) + ")\n";
}

std::optional<std::string> quoted(const std::optional<std::string>& text) {
  return text ? std::optional(toml_string(*text)) : std::nullopt;
}

template <class Number>
std::optional<std::string> number(const std::optional<Number>& value) {
  return value ? std::optional(fmt::format("{}", *value)) : std::nullopt;
}

// Prints the configuration as TOML with every default written out.
void print_resolved(std::ostream& out, const ProjectConfig& config) {
  out << "default_qa = " << toml_string(to_string(config.default_qa)) << "\n";
  out << setting("default_coder_model", quoted(config.default_coder_model),
                 "the runtime's default");
  out << "max_coders = " << config.max_coders << "\n";
  out << "max_retries = " << config.max_retries << "\n";
  out << setting("base_branch", quoted(config.base_branch), "detected from HEAD");
  out << "rate_limit_notifications = " << (config.rate_limit_notifications ? "true" : "false")
      << "\n";
  out << setting("timezone", quoted(config.timezone), "the server's local zone");
  out << "gate_command = " << toml_string(config.gate_command) << "\n";
  out << "gate_timeout_secs = " << config.gate_timeout_secs << "\n";
  out << "archive_after_hours = " << config.archive_after_hours << "\n";
  out << "sandbox = " << toml_string(to_string(config.sandbox)) << "\n";
  out << "sandbox_network = " << (config.sandbox_network ? "true" : "false") << "\n";
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
    out << setting("model", quoted(agent.model), "the runtime's default");
    if (agent.command) out << "command = " << toml_string(*agent.command) << "\n";
    if (!agent.args.empty()) out << "args = " << list(agent.args) << "\n";
    if (agent.prompt) out << "prompt = " << toml_string(*agent.prompt) << "\n";
    if (agent.system_prompt) out << "system_prompt = " << toml_string(*agent.system_prompt) << "\n";
    if (!agent.allowed_tools.empty())
      out << "allowed_tools = " << list(agent.allowed_tools) << "\n";
    out << setting("max_turns", number(agent.max_turns), "no limit");
    out << setting("max_budget_usd", number(agent.max_budget_usd), "no limit");
    out << "inactivity_timeout_secs = " << agent.inactivity_timeout_secs << "\n";
    out << "sandbox = " << toml_string(to_string(agent.sandbox)) << "\n";
    if (agent.runtime == "openai" || agent.runtime == "gemini" || agent.runtime == "gemini-cli" ||
        agent.runtime == "codex") {
      out << setting("base_url", quoted(agent.base_url), "the provider's public endpoint");
      out << setting("api_key_env", quoted(agent.api_key_env),
                     agent.runtime == "gemini" ? "GEMINI_API_KEY" : "OPENAI_API_KEY");
    }
  }
  for (const auto& price : config.pricing) {
    out << "\n[pricing." << toml_string(price.model) << "]\n";
    out << "input_per_mtok = " << price.input_per_mtok << "\n";
    out << "output_per_mtok = " << price.output_per_mtok << "\n";
    if (price.cached_input_per_mtok)
      out << "cached_input_per_mtok = " << *price.cached_input_per_mtok << "\n";
  }
}

// [server] and the [[notify]] channels (docs/notifications.md); secrets stay in their variables.
void print_notify(std::ostream& out, const ProjectConfig& config) {
  if (config.server.public_url)
    out << "\n[server]\npublic_url = " << toml_string(*config.server.public_url) << "\n";
  for (const auto& channel : config.notify) {
    out << "\n[[notify]]\nname = " << toml_string(channel.name)
        << "\nkind = " << toml_string(channel.kind) << "\nevents = " << list(channel.events)
        << "\n";
    if (channel.digest_at) out << "digest_at = " << toml_string(*channel.digest_at) << "\n";
    if (channel.kind == "webhook") {
      out << "format = " << toml_string(channel.format) << "\n";
      if (channel.url) out << "url = " << toml_string(*channel.url) << "\n";
      if (channel.url_env) out << "url_env = " << toml_string(*channel.url_env) << "\n";
      continue;
    }
    out << "smtp_url = " << toml_string(channel.smtp_url)
        << "\nfrom = " << toml_string(channel.from) << "\nto = " << list(channel.to)
        << "\nstarttls = " << (channel.starttls ? "true" : "false") << "\n";
    if (channel.user_env) out << "user_env = " << toml_string(*channel.user_env) << "\n";
    if (channel.password_env)
      out << "password_env = " << toml_string(*channel.password_env) << "\n";
  }
}

// The agent CLIs stork starts itself: the program when the agent names none, and its package.
struct AgentCli {
  std::string_view runtime;
  std::string_view program;
  std::string_view package;
};
constexpr AgentCli kAgentClis[] = {{"codex", "codex", "@openai/codex"},
                                   {"gemini-cli", "gemini", "@google/gemini-cli"}};

// Agent CLIs (and ACP agents) that are not where the agent's `command` (or the PATH) says;
// `--deep` (doctor)
// also runs them and checks credentials. Warnings: the file is valid, the runs would fail.
void warn_missing_clis(std::ostream& err, const std::filesystem::path& root,
                       const ProjectConfig& config) {
  for (const auto& agent : config.agents) {
    for (const auto& cli : kAgentClis) {
      if (agent.runtime != cli.runtime) continue;
      const std::string program = agent.command.value_or(std::string(cli.program));
      if (!ops::doctor::resolve_program(program, root).empty()) continue;
      err << "warning: agent '" << agent.name << "' (runtime " << agent.runtime << "): '" << program
          << "' is not an executable on the PATH: install it (npm install -g " << cli.package
          << "), or set command = \"/path/to/" << cli.program << "\"\n";
    }
    // An ACP agent is any program: its `command` (required; the loader says when it is
    // missing) must be there.
    if (agent.runtime == "acp" && agent.command &&
        ops::doctor::resolve_program(*agent.command, root).empty()) {
      err << "warning: agent '" << agent.name << "' (runtime acp): '" << *agent.command
          << "' is not an executable on the PATH: install the ACP agent, or set command to its "
             "path\n";
    }
  }
}

void run_check(CliContext& context, bool deep) {
  const auto project = load_project_or_report(context);
  if (!project) return;
  const auto& root = project->root;
  const auto& path = project->toml;
  const auto& loaded = project->loaded;
  context.err << render_all(loaded.warnings);
  warn_missing_clis(context.err, root, loaded.config);
  context.out << "# " << path.string() << " is valid; resolved configuration:\n";
  print_resolved(context.out, loaded.config);
  print_notify(context.out, loaded.config);
  if (deep) (void)doctor_passes(context, root, loaded.config, /*verbose=*/true);
}

}  // namespace

void add_config_commands(CLI::App& app, CliContext& context) {
  auto* config = app.add_subcommand("config", "Inspect .storkit/project.toml");
  config->require_subcommand(1);
  auto deep = std::make_shared<bool>(false);
  auto* check =
      config->add_subcommand("check", "Validate project.toml and print the resolved configuration");
  check->add_flag("--deep", *deep, "Also run `stork doctor`'s checks of the setup");
  check->callback([&context, deep] { run_check(context, *deep); });
}

}  // namespace stork::cli
