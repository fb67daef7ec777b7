#include "ops/item_actions.hpp"

#include <boost/json/array.hpp>

#include "pipeline/stage_rules.hpp"
#include "pipeline/transitions.hpp"
#include "work/story_id.hpp"

namespace stork::ops {

LegalActions legal_actions(const ItemView& view) {
  LegalActions actions;
  // Only an `other` agent may attach in done or archived; the board's Start picks coders.
  actions.start = pipeline::required_agent_stage(view.stage).has_value();
  const bool finished = view.stage == Stage::Done || view.stage == Stage::Archived;
  // A retry count on a finished item is history, not a hold: nothing for unblock to release.
  actions.unblock =
      view.blocked || view.merge_failure.has_value() || (view.retry_count > 0 && !finished);
  actions.request_qa = view.stage == Stage::Current;
  actions.approve_qa = view.stage == Stage::Qa;
  actions.reject_qa = view.stage == Stage::Qa;
  const auto type = parse_item_type(view.type);
  actions.moves =
      type ? pipeline::legal_targets(*type, view.stage) : pipeline::legal_targets(view.stage);
  return actions;
}

boost::json::object actions_json(const LegalActions& actions) {
  boost::json::array moves;
  for (const auto stage : actions.moves)
    moves.emplace_back(stage_name(stage));
  return boost::json::object{{"start", actions.start},           {"unblock", actions.unblock},
                             {"request_qa", actions.request_qa}, {"approve_qa", actions.approve_qa},
                             {"reject_qa", actions.reject_qa},   {"moves", std::move(moves)}};
}

}  // namespace stork::ops
