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
  if (!why.empty()) text += ": " + why;
  const std::vector<Stage> targets = allowed.empty() ? legal_targets(from) : allowed;
  if (targets.empty())
    return text + " (no move is allowed from " + std::string(stage_dir_name(from)) + ")";
  text += " (allowed: ";
  for (size_t i = 0; i < targets.size(); ++i) {
    if (i > 0) text += ", ";
    text += stage_dir_name(targets[i]);
  }
  return text + ")";
}

Result<MoveOutcome, IllegalMove> check_move(Stage from, Stage to) {
  if (from == to) return MoveOutcome::Unchanged;
  if (!is_legal(from, to)) return fail(IllegalMove{from, to, "", {}});
  return MoveOutcome::Moved;
}

namespace {

bool is_legal_for(ItemType type, Stage from, Stage to) {
  if (type == ItemType::Spike) {
    if (to == Stage::Merge) return false;
    if (from == Stage::Qa && to == Stage::Done) return true;
  }
  return is_legal(from, to);
}

}  // namespace

std::vector<Stage> legal_targets(ItemType type, Stage from) {
  std::vector<Stage> targets;
  for (Stage to : kAllStages) {
    if (is_legal_for(type, from, to)) targets.push_back(to);
  }
  return targets;
}

Result<MoveOutcome, IllegalMove> check_item_move(ItemType type, Stage from, Stage to) {
  if (from == to) return MoveOutcome::Unchanged;
  if (is_legal_for(type, from, to)) return MoveOutcome::Moved;
  const bool spike_rule = type == ItemType::Spike && to == Stage::Merge;
  return fail(IllegalMove{
      from, to, spike_rule ? "spikes never merge (approve it in QA: it goes to done)" : "",
      legal_targets(type, from)});
}

}  // namespace stork::pipeline
