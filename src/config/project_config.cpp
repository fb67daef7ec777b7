#include "config/project_config.hpp"

#include <algorithm>

namespace stork {

std::string_view to_string(QaMode mode) {
  switch (mode) {
    case QaMode::Server:
      return "server";
    case QaMode::Agent:
      return "agent";
    case QaMode::Human:
      return "human";
  }
  return "server";
}

std::string_view to_string(AgentStage stage) {
  switch (stage) {
    case AgentStage::Coder:
      return "coder";
    case AgentStage::Qa:
      return "qa";
    case AgentStage::Mergemaster:
      return "mergemaster";
    case AgentStage::Other:
      return "other";
  }
  return "other";
}

std::optional<QaMode> parse_qa_mode(std::string_view text) {
  for (auto mode : {QaMode::Server, QaMode::Agent, QaMode::Human}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

std::optional<AgentStage> parse_agent_stage(std::string_view text) {
  for (auto stage :
       {AgentStage::Coder, AgentStage::Qa, AgentStage::Mergemaster, AgentStage::Other}) {
    if (text == to_string(stage)) return stage;
  }
  return std::nullopt;
}

const AgentConfig* ProjectConfig::find_agent(std::string_view name) const {
  auto it = std::find_if(agents.begin(), agents.end(),
                         [&](const AgentConfig& agent) { return agent.name == name; });
  return it == agents.end() ? nullptr : &*it;
}

const std::vector<ModelPrice>& default_model_prices() {
  // USD per million tokens: input, output, cached input.
  static const std::vector<ModelPrice> prices{
      {"gpt-5", 1.25, 10.0, 0.125},
      {"gpt-5-mini", 0.25, 2.0, 0.025},
      {"gpt-5-nano", 0.05, 0.40, 0.005},
      {"gpt-4.1", 2.0, 8.0, 0.50},
      {"gpt-4.1-mini", 0.40, 1.60, 0.10},
      {"gpt-4.1-nano", 0.10, 0.40, 0.025},
      {"gpt-4o", 2.50, 10.0, 1.25},
      {"gpt-4o-mini", 0.15, 0.60, 0.075},
      {"o3", 2.0, 8.0, 0.50},
      {"o4-mini", 1.10, 4.40, 0.275},
      {"gemini-2.5-pro", 1.25, 10.0, 0.31},
      {"gemini-2.5-flash", 0.30, 2.50, 0.075},
      {"gemini-2.5-flash-lite", 0.10, 0.40, 0.025},
      {"gemini-2.0-flash", 0.10, 0.40, 0.025},
  };
  return prices;
}

namespace {

const ModelPrice* lookup_price(const std::vector<ModelPrice>& prices, std::string_view model) {
  const ModelPrice* best = nullptr;
  for (const auto& price : prices) {
    if (price.model == model) return &price;
    if (model.substr(0, price.model.size()) == price.model &&
        (best == nullptr || price.model.size() > best->model.size())) {
      best = &price;
    }
  }
  return best;
}

}  // namespace

const ModelPrice* find_model_price(const std::vector<ModelPrice>& project_prices,
                                   std::string_view model) {
  if (model.empty()) return nullptr;
  if (const auto* own = lookup_price(project_prices, model)) return own;
  return lookup_price(default_model_prices(), model);
}

AgentStage infer_agent_stage(std::string_view agent_name) {
  if (agent_name == "qa") return AgentStage::Qa;
  if (agent_name == "mergemaster") return AgentStage::Mergemaster;
  if (agent_name.substr(0, 5) == "coder") return AgentStage::Coder;
  return AgentStage::Other;
}

std::string render_prompt(std::string_view text, const PromptValues& values) {
  const std::pair<std::string_view, const std::string*> substitutions[] = {
      {"{{story_id}}", &values.story_id},
      {"{{agent_name}}", &values.agent_name},
      {"{{worktree_path}}", &values.worktree_path},
      {"{{base_branch}}", &values.base_branch}};
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    if (text.compare(i, 2, "{{") == 0) {
      for (const auto& [token, value] : substitutions) {
        if (text.compare(i, token.size(), token) == 0) {
          out += *value;
          i += token.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

}  // namespace stork
