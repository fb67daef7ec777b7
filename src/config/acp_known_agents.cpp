#include "config/acp_known_agents.hpp"

#include <array>
#include <string>

namespace stork {
namespace {

struct Program {
  std::string_view program;  // the command's or package's last path segment
  KnownAcpAgent agent;
};

// Each agent's documented variables: the Gemini CLI's GOOGLE_GEMINI_BASE_URL and
// GEMINI_API_KEY (docs/runtime-gemini-cli.md), the Anthropic SDK's under Claude Code's
// adapters, and the OpenAI ones Codex's built-in provider reads.
constexpr std::array kPrograms{
    Program{"gemini", {"the Gemini CLI", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY"}},
    Program{"gemini-cli", {"the Gemini CLI", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY"}},
    Program{"claude-code-acp",
            {"Claude Code's ACP adapter", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"}},
    Program{"claude-agent-acp",
            {"Claude Code's ACP adapter", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"}},
    Program{"codex-acp", {"Codex's ACP adapter", "OPENAI_BASE_URL", "OPENAI_API_KEY"}},
};

// "/usr/bin/gemini" -> "gemini"; "@zed-industries/claude-code-acp@0.5.1" -> "claude-code-acp".
std::string_view program_of(std::string_view word) {
  if (const auto slash = word.rfind('/'); slash != std::string_view::npos)
    word.remove_prefix(slash + 1);
  if (const auto at = word.find('@'); at != std::string_view::npos && at > 0)
    word = word.substr(0, at);
  return word;
}

std::optional<KnownAcpAgent> match(std::string_view word) {
  const auto program = program_of(word);
  for (const auto& known : kPrograms) {
    if (known.program == program) return known.agent;
  }
  return std::nullopt;
}

}  // namespace

std::optional<KnownAcpAgent> known_acp_agent(const AgentConfig& agent) {
  if (agent.command) {
    if (auto found = match(*agent.command)) return found;
  }
  for (const auto& arg : agent.args) {
    if (arg.starts_with('-')) continue;
    if (auto found = match(arg)) return found;
  }
  return std::nullopt;
}

}  // namespace stork
