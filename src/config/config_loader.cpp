#include "config/config_loader.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "base/file_io.hpp"
#include "config/acp_agent_checks.hpp"
#include "config/chat_config_reader.hpp"
#include "config/limits_config_reader.hpp"
#include "config/notify_config_loader.hpp"
#include "config/permission_settings.hpp"
#include "config/pricing_reader.hpp"
#include "config/sandbox_settings.hpp"
#include "config/server_config_reader.hpp"
#include "config/toml_table_reader.hpp"

namespace stork {
namespace {

using config_detail::TableReader;

// Agent names end up in file names (logs/<story>/<agent>-<session>.log) and branch-free
// identifiers, so they are restricted to a safe alphabet.
bool is_safe_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

bool is_relative_inside(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::string_view rest = path;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto part = rest.substr(0, slash);
    if (part == "..") return false;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return true;
}

// Names of {{placeholders}} in `text` that render_prompt does not know.
std::vector<std::string> unknown_placeholders(std::string_view text) {
  std::vector<std::string> unknown;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    auto end = text.find("}}", pos + 2);
    if (end == std::string_view::npos) break;
    auto name = text.substr(pos + 2, end - pos - 2);
    auto known = std::find(std::begin(kPromptPlaceholders), std::end(kPromptPlaceholders), name);
    if (known == std::end(kPromptPlaceholders)) unknown.emplace_back(name);
    pos = end + 2;
  }
  return unknown;
}

template <class T>
void positive(TableReader& table, std::string_view key, std::optional<T> value,
              std::string_view owner) {
  if (value && *value <= 0) {
    table.error(key, std::string(owner) + "'" + table.field_name(key) + "' must be positive, got " +
                         std::to_string(*value));
  }
}

void read_prompt(TableReader& table, std::string_view key, std::optional<std::string>& out) {
  out = table.string(key);
  if (!out) return;
  for (const auto& name : unknown_placeholders(*out)) {
    table.error(key, "'" + table.field_name(key) + "' uses unknown placeholder {{" + name +
                         "}} (known: story_id, agent_name, worktree_path, base_branch)");
  }
}

bool is_env_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

void read_api_settings(TableReader& table, AgentConfig& agent, const std::string& owner) {
  // gemini-cli and codex hand both to the CLI (gemini-cli: GOOGLE_GEMINI_BASE_URL and
  // GEMINI_API_KEY; codex: its per-run config.toml's provider); acp to a known agent's own
  // variables (acp_known_agents.hpp), and an unknown agent is warned about in
  // check_acp_agent_args.
  const bool api_runtime = agent.runtime == "openai" || agent.runtime == "gemini" ||
                           agent.runtime == "gemini-cli" || agent.runtime == "codex" ||
                           agent.runtime == "acp";
  if (auto url = table.string("base_url")) {
    if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
      table.error("base_url", owner + "'" + table.field_name("base_url") +
                                  "' must start with http:// or https://, got '" + *url + "'");
    } else {
      agent.base_url = *url;
    }
    if (!api_runtime) {
      table.warning("base_url", owner +
                                    "'base_url' is used only by the openai, gemini, "
                                    "gemini-cli, codex and acp runtimes (this agent's runtime is " +
                                    agent.runtime + ")");
    }
  }
  if (auto env = table.string("api_key_env")) {
    if (!is_env_name(*env)) {
      table.error("api_key_env", owner + "'" + table.field_name("api_key_env") +
                                     "' must be an environment variable name (letters, digits "
                                     "and '_', not starting with a digit), got '" +
                                     *env + "'");
    } else {
      agent.api_key_env = *env;
    }
    if (!api_runtime) {
      table.warning("api_key_env",
                    owner +
                        "'api_key_env' is used only by the openai, gemini, "
                        "gemini-cli, codex and acp runtimes (this agent's runtime is " +
                        agent.runtime + ")");
    }
  }
}

// The runtimes that start `command` itself and have no default program need one; a known ACP
// agent's arguments are checked (acp_agent_checks.hpp).
void check_command(TableReader& table, const AgentConfig& agent, const std::string& owner) {
  if (agent.command) {
    check_acp_agent_args(table, agent, owner);
    return;
  }
  if (agent.runtime == "command") {
    table.error("command", owner + "runtime 'command' needs 'command' (the executable to run)");
  } else if (agent.runtime == "acp") {
    table.error("command", owner +
                               "runtime 'acp' needs 'command' (the ACP agent to start, e.g. "
                               "claude-code-acp or gemini)");
  }
}

AgentConfig read_agent(TableReader& table) {
  AgentConfig agent;
  auto name = table.string("name");
  if (!name || name->empty()) {
    if (!table.has("name") || name) table.error("name", "every [[agent]] needs a non-empty 'name'");
  } else if (!is_safe_name(*name)) {
    table.error("name", "agent name '" + *name +
                            "' may use only letters, digits, '-', '_' and '.' (and must not "
                            "start with '.' or '-')");
  } else {
    agent.name = *name;
  }
  const std::string owner = agent.name.empty() ? "" : "agent '" + agent.name + "': ";
  if (auto stage = table.string("stage")) {
    if (auto parsed = parse_agent_stage(*stage)) {
      agent.stage = *parsed;
    } else {
      table.error("stage", owner + "unknown stage '" + *stage +
                               "' (expected coder, qa, mergemaster or other)");
    }
  } else {
    agent.stage = infer_agent_stage(agent.name);
    agent.stage_inferred = true;
  }
  agent.role = table.string("role").value_or("");
  if (auto runtime = table.string("runtime")) {
    auto known = std::find(std::begin(kKnownRuntimes), std::end(kKnownRuntimes), *runtime);
    if (known == std::end(kKnownRuntimes)) {
      table.error(
          "runtime",
          owner + "unknown runtime '" + *runtime +
              "' (expected claude-code, gemini, openai, gemini-cli, codex, command or acp)");
    }
    agent.runtime = *runtime;
  }
  agent.model = table.string("model");
  agent.command = table.string("command");
  agent.args = table.string_list("args").value_or(std::vector<std::string>{});
  read_prompt(table, "prompt", agent.prompt);
  read_prompt(table, "system_prompt", agent.system_prompt);
  agent.allowed_tools = table.string_list("allowed_tools").value_or(std::vector<std::string>{});

  auto max_turns = table.integer("max_turns");
  positive(table, "max_turns", max_turns, owner);
  if (max_turns && *max_turns > 0)
    agent.max_turns = static_cast<int>(std::min(*max_turns, 1000000LL));
  auto budget = table.number("max_budget_usd");
  positive(table, "max_budget_usd", budget, owner);
  if (budget && *budget > 0) agent.max_budget_usd = *budget;
  auto timeout = table.integer("inactivity_timeout_secs");
  positive(table, "inactivity_timeout_secs", timeout, owner);
  if (timeout && *timeout > 0)
    agent.inactivity_timeout_secs = static_cast<int>(std::min(*timeout, 86400LL * 7));
  read_api_settings(table, agent, owner);
  read_permission_mode(table, agent, owner);
  read_agent_sandbox(table, agent, owner);
  check_command(table, agent, owner);
  table.finish();
  return agent;
}

ComponentConfig read_component(TableReader& table) {
  ComponentConfig component;
  component.name = table.string("name").value_or("");
  if (component.name.empty()) table.error("name", "every [[component]] needs a non-empty 'name'");
  if (auto path = table.string("path")) {
    if (!is_relative_inside(*path)) {
      table.error("path", "component '" + component.name + "': path '" + *path +
                              "' must be relative and stay inside the worktree (no '..')");
    }
    component.path = *path;
  }
  component.setup = table.string_list("setup").value_or(std::vector<std::string>{});
  component.teardown = table.string_list("teardown").value_or(std::vector<std::string>{});
  table.finish();
  return component;
}

template <class Item, class ReadFn>
std::vector<Item> read_entries(TableReader& root, std::string_view key, const std::string& file,
                               std::vector<Diagnostic>& out, ReadFn read) {
  std::vector<Item> items;
  const toml::array* array = root.array_of_tables(key);
  if (array == nullptr) return items;
  std::map<std::string, int> first_line;  // name -> line of its first definition
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    TableReader entry(table, std::string(key) + "[" + std::to_string(i) + "]", file, out);
    Item item = read(entry);
    const int line = static_cast<int>(table.source().begin.line);
    if (!item.name.empty()) {
      auto [it, inserted] = first_line.emplace(item.name, line);
      if (!inserted) {
        out.push_back(
            Diagnostic{Diagnostic::Severity::Error, file, line, 1, entry.field_name("name"),
                       std::string(key) + " '" + item.name + "' defined twice (first at line " +
                           std::to_string(it->second) + ")"});
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

// [pricing."<model>"] tables: input_per_mtok and output_per_mtok (required), and
// cached_input_per_mtok, all USD per million tokens and not negative.
void read_pipeline_settings(TableReader& root, ProjectConfig& config) {
  if (auto gate = root.string("gate_command")) {
    if (gate->find_first_not_of(" \t") == std::string::npos) {
      root.error("gate_command", "'gate_command' must not be empty (default: script/test)");
    } else {
      config.gate_command = *gate;
    }
  }
  if (auto timeout = root.integer("gate_timeout_secs")) {
    if (*timeout < 1 || *timeout > 86400) {
      root.error("gate_timeout_secs", "'gate_timeout_secs' must be between 1 and 86400, got " +
                                          std::to_string(*timeout));
    } else {
      config.gate_timeout_secs = static_cast<int>(*timeout);
    }
  }
  if (auto hours = root.number("archive_after_hours")) {
    if (!(*hours >= 0) || *hours > 24 * 365) {
      root.error("archive_after_hours",
                 "'archive_after_hours' must be between 0 and 8760, got " + std::to_string(*hours));
    } else {
      config.archive_after_hours = *hours;
    }
  }
}

void read_top_level(TableReader& root, ProjectConfig& config) {
  if (auto qa = root.string("default_qa")) {
    if (auto mode = parse_qa_mode(*qa)) {
      config.default_qa = *mode;
    } else {
      root.error("default_qa",
                 "unknown default_qa '" + *qa + "' (expected server, agent or human)");
    }
  }
  config.default_coder_model = root.string("default_coder_model");
  if (auto max_coders = root.integer("max_coders")) {
    if (*max_coders < 1 || *max_coders > 1000) {
      root.error("max_coders",
                 "'max_coders' must be between 1 and 1000, got " + std::to_string(*max_coders));
    } else {
      config.max_coders = static_cast<int>(*max_coders);
    }
  }
  if (auto max_retries = root.integer("max_retries")) {
    if (*max_retries < 0 || *max_retries > 1000) {
      root.error("max_retries",
                 "'max_retries' must be between 0 and 1000, got " + std::to_string(*max_retries));
    } else {
      config.max_retries = static_cast<int>(*max_retries);
    }
  }
  config.base_branch = root.string("base_branch");
  if (config.base_branch &&
      (config.base_branch->empty() || config.base_branch->find("..") != std::string::npos ||
       config.base_branch->find_first_of(" ~^:?*[\\") != std::string::npos)) {
    root.error("base_branch",
               "'base_branch' is not a valid branch name: '" + *config.base_branch + "'");
  }
  config.rate_limit_notifications = root.boolean("rate_limit_notifications").value_or(true);
  config.timezone = root.string("timezone");
  read_pipeline_settings(root, config);
  read_permission_timeout(root, config);
  read_project_sandbox(root, config);
}

// [wizard] agent = "NAME": checked here to be an agent of the roster, so a typo is a config
// error with its line rather than a failed draft later (the wizard reads the value itself:
// config/wizard_settings.hpp).
void read_wizard(TableReader& root, const std::string& file, std::vector<Diagnostic>& diagnostics,
                 const ProjectConfig& config) {
  const toml::table* wizard = root.table("wizard");
  if (wizard == nullptr) return;
  TableReader table(*wizard, "wizard", file, diagnostics);
  if (auto agent = table.string("agent"); agent && config.find_agent(*agent) == nullptr) {
    table.error("agent",
                "'wizard.agent' names '" + *agent + "', which is not an [[agent]] of this file");
  }
  table.finish();
}

}  // namespace

ConfigResult parse_project_config(std::string_view toml_text, std::string_view file_name) {
  const std::string file(file_name);
  std::vector<Diagnostic> diagnostics;
  toml::table root_table;
  try {
    root_table = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    diagnostics.push_back(Diagnostic{Diagnostic::Severity::Error, file,
                                     static_cast<int>(where.line), static_cast<int>(where.column),
                                     "", "invalid TOML: " + std::string(error.description())});
    return fail(std::move(diagnostics));
  }

  ProjectConfig config;
  TableReader root(root_table, "", file, diagnostics);
  read_top_level(root, config);
  config.components =
      read_entries<ComponentConfig>(root, "component", file, diagnostics, read_component);
  config.agents = read_entries<AgentConfig>(root, "agent", file, diagnostics, read_agent);
  config.pricing = read_pricing(root, file, diagnostics);
  config_detail::read_server_config(root, file, diagnostics, config.server);
  config_detail::read_notify_settings(root, file, diagnostics, config);
  config_detail::read_limits(root, file, diagnostics, config.limits);
  std::optional<MatrixChatConfig> chat_matrix;  // read for the bot by chat_config_loader.hpp
  std::optional<std::string> chat_agent;  // read for the project chat by chat_agent_loader.hpp
  int chat_agent_line = 0;
  if (const toml::table* chat = root.table("chat")) {
    config_detail::read_chat_table(*chat, file, diagnostics, chat_matrix, chat_agent,
                                   chat_agent_line);
  }
  if (chat_agent && !chat_agent->empty() && config.find_agent(*chat_agent) == nullptr) {
    diagnostics.push_back(Diagnostic{
        Diagnostic::Severity::Error, file, chat_agent_line, 0, "chat.agent",
        "[chat] 'agent' names '" + *chat_agent + "', which is not an [[agent]] of this project"});
  }
  config_detail::check_matrix_channels(config, chat_matrix, file, diagnostics);
  read_wizard(root, file, diagnostics, config);
  root.finish();

  const bool has_error =
      std::any_of(diagnostics.begin(), diagnostics.end(),
                  [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (has_error) return fail(std::move(diagnostics));
  return LoadedConfig{std::move(config), std::move(diagnostics)};
}

ConfigResult load_project_config(const std::filesystem::path& project_toml) {
  auto text = read_file(project_toml);
  if (!text) {
    return fail(std::vector<Diagnostic>{Diagnostic{
        Diagnostic::Severity::Error, project_toml.string(), 0, 0, "", text.error().message}});
  }
  return parse_project_config(*text, project_toml.string());
}

}  // namespace stork
