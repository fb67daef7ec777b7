// The one JSON shape of a work item, for REST, the CLI's --json, the MCP tools and chat. The
// field names are documented once, in docs/items.md; a surface may add fields of its own
// around this object (an MCP answer's `message`), never rename or drop one.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "ops/item_view.hpp"
#include "work/work_error.hpp"

namespace stork::ops {

// id, number, type, slug, name, stage, path, agent, qa, manual_qa, blocked, blocked_reason,
// review_hold, merge_failure, retry_count, depends_on, criteria_total, criteria_checked.
boost::json::object item_summary_json(const ItemView& view);
// The summary plus criteria, front_matter, front_matter_keys, body, problems.
boost::json::object item_detail_json(const ItemView& view);
// [{index, checked, text}] in file order.
boost::json::array criteria_json(const ItemView& view);
// An unusable item file: {path, line, message}.
boost::json::object problem_json(const WorkError& problem);

}  // namespace stork::ops
