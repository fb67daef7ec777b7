#include "pipeline/stage_exit.hpp"

namespace stork::pipeline {

std::optional<std::string> stage_exit_reason(AgentStage agent_stage, const ItemSnapshot* item,
                                             bool unreadable) {
  if (agent_stage == AgentStage::Other) return std::nullopt;
  if (item == nullptr) {
    if (unreadable) return std::nullopt;
    return std::string("its item file was deleted");
  }
  if (item->stage == Stage::Backlog) return std::string("its item was moved back to the backlog");
  if (item->stage == Stage::Archived) return std::string("its item was archived");
  if (item->blocked) return std::string("its item was blocked");
  return std::nullopt;
}

}  // namespace stork::pipeline
