// WorkIndex: what the pipeline last knew of every item file (stage, front matter, body), so a
// change on disk that no pipeline event announced (an editor, `stork story new` in another
// shell, a `git pull`) can be turned into the events a board applies: diff the index before
// and after a settled burst. Pure functions of parsed items; no I/O.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "work/stage.hpp"
#include "work/work_item.hpp"

namespace stork::engine {

struct IndexedItem {
  Stage stage = Stage::Backlog;
  boost::json::object fields;  // front matter key -> value (bool, int, string, list)
  std::size_t body_hash = 0;
  boost::json::object card;  // the board's card of the item (docs/api.md "WebSocket")
};

using WorkIndex = std::map<std::string, IndexedItem>;  // by full id

IndexedItem index_item(const WorkItem& item);
WorkIndex build_index(const std::vector<WorkItem>& items);

// One difference between two indexes, as the pipeline event that announces it:
// item_created {stage, item}, item_removed {stage}, moved {from, to, reason: "on disk", item},
// item_changed {fields: {key: new value or null}, item} (a body edit is the field "body").
struct WorkChange {
  std::string story;
  std::string type;
  boost::json::object payload;
};

std::vector<WorkChange> diff_index(const WorkIndex& before, const WorkIndex& after);

}  // namespace stork::engine
