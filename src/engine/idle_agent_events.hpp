// Which pipeline events an idle agent hears about at its next start on the item (storkit story
// 736: moved, blocked, unblocked, merge_failed; and qa_rejected with its notes, which a resumed
// coder is otherwise never sent, story 543), and how they read for it. The pipeline forwards
// them to AgentPool::note_item_event, which keeps them for each agent not running on the item.
#pragma once

#include <optional>
#include <string>

#include "engine/pipeline.hpp"

namespace stork::engine {

// The text for the agent, or nullopt for events that do not concern it.
std::optional<std::string> idle_agent_text(const PipelineEvent& event);

}  // namespace stork::engine
