// Transitions: the one table of legal moves between pipeline stages, used by manual moves
// (`stork story move`, MCP move_story) and checked before any automatic advance. Pure: it
// says whether a move is legal; moving the file is the work store's job.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

enum class MoveOutcome {
  Unchanged,  // from == to: nothing to do, and not an error (moves are idempotent)
  Moved,
};

// A move the pipeline does not allow, e.g. 5_done → 2_current.
struct IllegalMove {
  Stage from = Stage::Backlog;
  Stage to = Stage::Backlog;
  std::string why;              // a rule of the item's type ("spikes never merge"), or empty
  std::vector<Stage> allowed;   // where the item may go instead
  std::string message() const;  // names both stages, the rule if any, and the moves allowed
};

Result<MoveOutcome, IllegalMove> check_move(Stage from, Stage to);

// Every stage `from` may move to, in pipeline order; empty for Archived.
std::vector<Stage> legal_targets(Stage from);

// The same, with the rules of the item's type: a spike never reaches 4_merge (its findings
// are for a person, not the base branch), and leaves QA for 5_done once they have been read.
// Every mover (the server, the CLI, the MCP tools) checks a move with this one.
Result<MoveOutcome, IllegalMove> check_item_move(ItemType type, Stage from, Stage to);
std::vector<Stage> legal_targets(ItemType type, Stage from);

}  // namespace stork::pipeline
