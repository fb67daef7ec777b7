// ProjectConfig: the resolved contents of .storkit/project.toml, every field with its default
// applied. A plain value type with no parser in sight (the loader is config_loader.hpp), so any
// module may include it cheaply. Field names and defaults follow storkit (STORKIT.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/limits_config.hpp"
#include "config/permission_mode.hpp"
#include "config/server_config.hpp"

namespace stork {

// What happens when a coder's work passes the gate.
enum class QaMode { Server, Agent, Human };

// The pipeline stage an agent works in; Other (e.g. a supervisor) may attach to any stage.
enum class AgentStage { Coder, Qa, Mergemaster, Other };

std::string_view to_string(QaMode mode);
std::string_view to_string(AgentStage stage);
std::optional<QaMode> parse_qa_mode(std::string_view text);
std::optional<AgentStage> parse_agent_stage(std::string_view text);

// How commands, gates and agents are confined (docs/sandbox.md): not at all (storkit's way,
// and what a project without the key gets), or under bubblewrap.
enum class SandboxKind { None, Bwrap };
std::string_view to_string(SandboxKind kind);

// The runtimes stork knows. `command` is stork's own (any executable; see DESIGN.md).
inline constexpr std::string_view kKnownRuntimes[] = {"claude-code", "gemini", "openai", "command",
                                                      "gemini-cli",  "codex",  "acp"};

struct AgentConfig {
  std::string name;
  AgentStage stage = AgentStage::Other;
  bool stage_inferred = false;  // true when `stage` was absent and derived from the name
  std::string role;
  std::string runtime = "claude-code";
  std::optional<std::string> model;
  std::optional<std::string> command;  // overrides the runtime's executable
  std::vector<std::string> args;
  std::optional<std::string> prompt;
  std::optional<std::string> system_prompt;
  std::vector<std::string> allowed_tools;
  std::optional<int> max_turns;
  std::optional<double> max_budget_usd;
  int inactivity_timeout_secs = 300;
  // The API runtimes (openai, gemini): the endpoint (absent: the provider's public one) and the
  // environment variable holding the key (absent: OPENAI_API_KEY / GEMINI_API_KEY).
  std::optional<std::string> base_url;
  std::optional<std::string> api_key_env;
  // claude-code: who answers its permission questions (absent: the CLI's own flags in `args`).
  std::optional<PermissionMode> permission_mode;
  // `sandbox`: the agent's process under bwrap (with the network: it must reach its model).
  SandboxKind sandbox = SandboxKind::None;
};

// What a model costs, in USD per million tokens. Cached input tokens are billed at
// cached_input_per_mtok (when absent, at input_per_mtok).
struct ModelPrice {
  std::string model;
  double input_per_mtok = 0;
  double output_per_mtok = 0;
  std::optional<double> cached_input_per_mtok;
};

// Built-in prices of common OpenAI and Gemini models (list prices when this table was written;
// `[pricing."<model>"]` in project.toml overrides or adds).
const std::vector<ModelPrice>& default_model_prices();

// The price for `model`: the project's own table first, then the built-in one; an exact name
// first, then the longest entry that is a prefix of it ("gpt-4o-2024-08-06" is priced as
// "gpt-4o"). Null when neither knows the model (a local model: its cost is 0).
const ModelPrice* find_model_price(const std::vector<ModelPrice>& project_prices,
                                   std::string_view model);

// Setup and teardown steps run in every new or removed worktree, in `path` below it.
struct ComponentConfig {
  std::string name;
  std::string path = ".";
  std::vector<std::string> setup;
  std::vector<std::string> teardown;
};

// One `[[notify]]` channel (docs/notifications.md): where notifications of the listed events
// go. Secrets (a webhook URL, SMTP credentials) may come from environment variables, named
// here, read when a message is sent.
struct NotifyChannelConfig {
  std::string name;                      // `name`, or "<kind>-<N>" (N from 1, in file order)
  std::string kind;                      // "webhook" or "email"
  std::string format = "json";           // webhook: "json", "slack" or "discord"
  std::optional<std::string> url;        // webhook: http:// or https://
  std::optional<std::string> url_env;    // webhook: the variable holding the URL
  std::vector<std::string> events;       // names from kNotifyEvents
  std::optional<std::string> digest_at;  // "HH:MM" local (`timezone`): a daily digest
  std::string smtp_url;                  // email: smtp:// or smtps://HOST[:PORT]
  std::string from;
  std::vector<std::string> to;
  bool starttls = false;  // email: require STARTTLS on smtp://
  std::optional<std::string> user_env;
  std::optional<std::string> password_env;
  int line = 0;  // where the table starts in project.toml
};

// The events a channel may list; `done` and `digest` are only sent when listed.
inline constexpr std::string_view kNotifyEvents[] = {
    "blocked",      "merge_failed", "needs_review", "permission_request",
    "rate_limited", "agent_failed", "done"};
// What a channel without `events` receives.
inline constexpr std::string_view kDefaultNotifyEvents[] = {"blocked",      "merge_failed",
                                                            "needs_review", "permission_request",
                                                            "rate_limited", "agent_failed"};

struct ProjectConfig {
  QaMode default_qa = QaMode::Server;
  std::optional<std::string> default_coder_model;
  int max_coders = 3;
  int max_retries = 2;
  std::optional<std::string> base_branch;  // absent: detected from the repository's HEAD
  bool rate_limit_notifications = true;
  std::optional<std::string> timezone;  // absent: the server's local zone

  // stork's own pipeline settings (storkit has these fixed).
  std::string gate_command = "script/test";  // run with `sh -c` in the worktree; exit 0 = pass
  int gate_timeout_secs = 1800;              // a gate running longer fails
  double archive_after_hours = 4;            // 5_done → 6_archived after this long
  std::vector<ComponentConfig> components;
  std::vector<AgentConfig> agents;
  std::vector<ModelPrice> pricing;          // [pricing."<model>"] tables, in file order
  ServerConfig server;                      // [server]: remote access (server_config.hpp)
  std::vector<NotifyChannelConfig> notify;  // [[notify]] tables, in file order
  LimitsConfig limits;                      // [limits]
  int permission_timeout_secs = 600;        // an unanswered permission request is denied after this
  // `sandbox`: run_command and the gates under bwrap; `sandbox_network`: with the network.
  SandboxKind sandbox = SandboxKind::None;
  bool sandbox_network = false;

  const AgentConfig* find_agent(std::string_view name) const;
};

// storkit's rule for an agent without `stage`: `qa` and `mergemaster` by name, names starting
// with `coder` are coders, anything else (supervisor, ...) is Other.
AgentStage infer_agent_stage(std::string_view agent_name);

// The placeholders a prompt may use; anything else in {{...}} is a configuration error.
inline constexpr std::string_view kPromptPlaceholders[] = {"story_id", "agent_name",
                                                           "worktree_path", "base_branch"};

struct PromptValues {
  std::string story_id;
  std::string agent_name;
  std::string worktree_path;
  std::string base_branch;
};

// Replaces every known {{placeholder}}; unknown ones are left as written (the loader has
// already rejected them, so at run time this cannot fail).
std::string render_prompt(std::string_view text, const PromptValues& values);

}  // namespace stork
