// The JSON form of work items in the REST API. The same fields as `stork story list/show
// --json` (docs/cli-json.md), so a client reads both alike, plus `front_matter`: every
// top-level key with its value.
#pragma once

#include <filesystem>

#include <boost/json/object.hpp>

#include "work/work_item.hpp"

namespace stork::api {

// Identity, stage, path, preferred agent, QA mode, flags, dependencies, criteria counts.
boost::json::object item_summary_json(const WorkItem& item,
                                      const std::filesystem::path& project_root);

// The summary plus criteria, front_matter, front_matter_keys, body and problems.
boost::json::object item_detail_json(const WorkItem& item,
                                     const std::filesystem::path& project_root);

}  // namespace stork::api
