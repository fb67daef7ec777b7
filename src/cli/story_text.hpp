// Human-readable renderings of work items for the terminal (the JSON forms are ops/item_json.hpp).
#pragma once

#include <filesystem>
#include <ostream>
#include <vector>

#include "work/work_item.hpp"

namespace stork::cli {

// One line per item: id, stage, flags, name.
void print_item_table(std::ostream& out, const std::vector<WorkItem>& items);

// Everything about one item: fields, flags, numbered criteria, problems, then the body.
void print_item_detail(std::ostream& out, const WorkItem& item,
                       const std::filesystem::path& project_root);

}  // namespace stork::cli
