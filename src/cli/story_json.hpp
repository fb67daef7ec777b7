// The JSON form of work items printed by `stork story list --json` and `stork story show
// --json`. The schema is a public interface (documented in docs/cli-json.md): add fields,
// never rename or remove them.
#pragma once

#include <boost/json/value.hpp>

#include "work/stage_store.hpp"

namespace stork::cli {

// The summary used by `list`: identity, stage, flags and criteria counts.
boost::json::object item_summary_json(const WorkItem& item,
                                      const std::filesystem::path& project_root);

// The full form used by `show`: the summary plus criteria, front-matter keys, body, problems.
boost::json::object item_detail_json(const WorkItem& item,
                                     const std::filesystem::path& project_root);

boost::json::object problem_json(const WorkError& problem);

}  // namespace stork::cli
