// The usage records of a project read straight from its state.db, read-only, for the reports
// (`stork status`, `stork cost`) made without a running server. No state.db yet means nothing
// has run: no records, not an error.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "state/records.hpp"

namespace stork::cli {

Result<std::vector<state::TokenUsageRecord>, std::string> read_local_usage(
    const std::filesystem::path& project_root);

}  // namespace stork::cli
