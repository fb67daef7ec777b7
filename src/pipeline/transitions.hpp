// Transitions: the one table of legal moves between pipeline stages, used by manual moves
// (`stork story move`, MCP move_story) and checked before any automatic advance. Pure: it
// says whether a move is legal; moving the file is the work store's job.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "work/stage.hpp"

namespace stork::pipeline {

enum class MoveOutcome {
  Unchanged,  // from == to: nothing to do, and not an error (moves are idempotent)
  Moved,
};

// A move the pipeline does not allow, e.g. 5_done → 2_current.
struct IllegalMove {
  Stage from = Stage::Backlog;
  Stage to = Stage::Backlog;
  std::string message() const;  // names both stages and the moves allowed from `from`
};

Result<MoveOutcome, IllegalMove> check_move(Stage from, Stage to);

// Every stage `from` may move to, in pipeline order; empty for Archived.
std::vector<Stage> legal_targets(Stage from);

}  // namespace stork::pipeline
