#include "pipeline/transitions.hpp"

#include <algorithm>
#include <array>

namespace stork::pipeline {

namespace {

struct Move {
  Stage from;
  Stage to;
};

// The whole policy: work moves forward one stage at a time, may go back to current for more
// coding, may be shelved to the backlog from any active stage, and is final once done.
constexpr std::array kLegalMoves = {
    Move{Stage::Backlog, Stage::Current},  // started (by hand or when dependencies are done)
    Move{Stage::Current, Stage::Qa},       // gate passed, QA mode agent or human
    Move{Stage::Current, Stage::Merge},    // gate passed, QA mode server
    Move{Stage::Current, Stage::Backlog},  // shelved
    Move{Stage::Qa, Stage::Merge},         // approve_qa
    Move{Stage::Qa, Stage::Current},       // reject_qa: back to coding with the notes
    Move{Stage::Qa, Stage::Backlog},       // shelved
    Move{Stage::Merge, Stage::Done},       // merged and verified on the base branch
    Move{Stage::Merge, Stage::Current},    // back to coding, e.g. after a merge failure
    Move{Stage::Merge, Stage::Backlog},    // shelved
    Move{Stage::Done, Stage::Archived},    // the sweep, after 4 hours
};

bool is_legal(Stage from, Stage to) {
  return std::any_of(kLegalMoves.begin(), kLegalMoves.end(),
                     [&](const Move& move) { return move.from == from && move.to == to; });
}

}  // namespace

std::vector<Stage> legal_targets(Stage from) {
  std::vector<Stage> targets;
  for (Stage to : kAllStages) {
    if (is_legal(from, to)) targets.push_back(to);
  }
  return targets;
}

std::string IllegalMove::message() const {
  std::string text = "cannot move an item from " + std::string(stage_dir_name(from)) + " to " +
                     std::string(stage_dir_name(to));
  std::vector<Stage> allowed = legal_targets(from);
  if (allowed.empty())
    return text + " (no move is allowed from " + std::string(stage_dir_name(from)) + ")";
  text += " (allowed: ";
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) text += ", ";
    text += stage_dir_name(allowed[i]);
  }
  return text + ")";
}

Result<MoveOutcome, IllegalMove> check_move(Stage from, Stage to) {
  if (from == to) return MoveOutcome::Unchanged;
  if (!is_legal(from, to)) return fail(IllegalMove{from, to});
  return MoveOutcome::Moved;
}

}  // namespace stork::pipeline
