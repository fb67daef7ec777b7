// The one JSON shape of an item's timeline (ops/item_timeline.hpp), for REST
// (GET /api/items/{id}/timeline) and any other surface; fields in docs/api.md.
#pragma once

#include <boost/json/object.hpp>

#include "ops/item_timeline.hpp"

namespace stork::ops {

// {"story", "entries": [{time_ms, kind, title, detail, failure, seq, run_id, agent, commit,
// paths, tools: [{name, count}], tool_calls}]}; run_id and commit are null when absent.
boost::json::object timeline_json(const ItemTimeline& timeline);

}  // namespace stork::ops
