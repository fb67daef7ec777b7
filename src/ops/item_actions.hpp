// LegalActions: what a person may do with an item where it is now, by the same rules the server
// applies when asked (pipeline/stage_rules.hpp for starting an agent, pipeline/transitions.hpp
// for moves, the QA and unblock operations' own checks), so a client offers only what will be
// accepted instead of deciding again. Pure; serialised as the item JSON's `actions`.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

#include "ops/item_view.hpp"

namespace stork::ops {

struct LegalActions {
  bool start = false;        // an agent of the stage's kind can be started (not done/archived)
  bool unblock = false;      // something to clear: blocked, a merge failure, or retries in flight
  bool request_qa = false;   // in current
  bool approve_qa = false;   // in QA (a spike approved goes to done, never merged)
  bool reject_qa = false;    // in QA
  std::vector<Stage> moves;  // legal targets of a manual move, in pipeline order
};

LegalActions legal_actions(const ItemView& view);

// {"start", "unblock", "request_qa", "approve_qa", "reject_qa", "moves": [stage names]}.
boost::json::object actions_json(const LegalActions& actions);

}  // namespace stork::ops
