// Finding the item a client names. Story ids arrive as a path segment, a tool argument, a CLI
// argument or a chat word: the full id ("42_story_login") or its number ("42"). The syntax is
// checked before anything touches a file, so a malformed or unsafe id ("../x", control
// characters) is InvalidId and never reaches a path. Blocking (scans .storkit/work): call from
// the CLI directly, from the server through ItemOps, which offloads it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ops/op_error.hpp"
#include "work/stage_store.hpp"

namespace stork::ops {

// Syntax only: a full id (normalised) or a number of at most 9 digits.
OpResult<std::string> check_story_id(std::string_view text);

OpResult<StageStore::Entry> locate_item(const std::filesystem::path& root, std::string_view text);
OpResult<WorkItem> load_item(const std::filesystem::path& root, std::string_view text);

// depends_on entries as the full ids of existing items; `self` (a full id, or empty for a new
// item) may not depend on itself. Errors name the field `depends_on`.
OpResult<std::vector<std::string>> resolve_dependencies(const std::filesystem::path& root,
                                                        const std::string& self,
                                                        const std::vector<std::string>& wanted);

}  // namespace stork::ops
