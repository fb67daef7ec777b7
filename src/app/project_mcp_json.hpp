// The project's own .mcp.json (the one a person's Claude Code reads in the main checkout)
// points its `storkit` server at the port `stork serve` actually bound, e.g. after --port 0 or
// a different --port than `stork init` wrote. Other servers in the file are kept.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace stork::app {

enum class McpJsonUpdate {
  Unchanged,  // it already names `url`
  Written,    // created, or its storkit URL replaced
};

// Fails (changing nothing) when the file exists but is not a JSON object, or cannot be read or
// written; the message names the file and says what to add by hand.
Result<McpJsonUpdate, std::string> point_project_mcp_json(const std::filesystem::path& project_root,
                                                          const std::string& url);

}  // namespace stork::app
