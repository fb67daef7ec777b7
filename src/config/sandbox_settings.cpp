#include "config/sandbox_settings.hpp"

namespace stork {

std::string_view to_string(SandboxKind kind) {
  return kind == SandboxKind::Bwrap ? "bwrap" : "none";
}

}  // namespace stork

namespace stork::config_detail {
namespace {

std::optional<SandboxKind> read_kind(TableReader& table, const std::string& owner) {
  auto text = table.string("sandbox");
  if (!text) return std::nullopt;
  for (auto kind : {SandboxKind::None, SandboxKind::Bwrap}) {
    if (*text == to_string(kind)) return kind;
  }
  table.error("sandbox", owner + "unknown sandbox '" + *text + "' (expected bwrap or none)");
  return std::nullopt;
}

}  // namespace

void read_agent_sandbox(TableReader& table, AgentConfig& agent, const std::string& owner) {
  auto kind = read_kind(table, owner);
  if (!kind) return;
  agent.sandbox = *kind;
  // The runtimes that start a process of their own run it under apply_agent_sandbox; the API
  // runtimes (openai, gemini) run inside stork.
  const bool own_process = agent.runtime == "claude-code" || agent.runtime == "command" ||
                           agent.runtime == "codex" || agent.runtime == "gemini-cli" ||
                           agent.runtime == "acp";
  if (*kind == SandboxKind::Bwrap && !own_process) {
    table.warning("sandbox", owner +
                                 "'sandbox' applies to agents that are a process of their own "
                                 "(claude-code, codex, gemini-cli, acp, command); the " +
                                 agent.runtime +
                                 " runtime runs inside stork, its run_command follows the "
                                 "project's 'sandbox'");
  }
}

void read_project_sandbox(TableReader& root, ProjectConfig& config) {
  if (auto kind = read_kind(root, "")) config.sandbox = *kind;
  if (auto network = root.boolean("sandbox_network")) config.sandbox_network = *network;
}

}  // namespace stork::config_detail
