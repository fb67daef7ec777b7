// Story ids as clients send them (a path segment or a body field): the full id
// ("42_story_login") or its number ("42"). Checked before anything touches a file: a malformed
// or unsafe id ("../x", control characters) is 400 invalid_id, a well-formed one that names no
// item is 404.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "work/stage_store.hpp"

namespace stork::api {

// Syntax only (no file access): a full id (normalised) or a number of at most 9 digits.
ApiResult<std::string> check_story_id(std::string_view text);

// check_story_id, then finds the item's file. Scans the work directory: call it off-strand.
ApiResult<StageStore::Entry> locate_story(const std::filesystem::path& root, std::string_view text);
ApiResult<WorkItem> load_story(const std::filesystem::path& root, std::string_view text);

// NotFound → 404, InvalidId/InvalidInput → 400, Ambiguous/AlreadyExists → 409,
// Malformed → 422, Io → 500.
ApiError from_work(const WorkError& error);

}  // namespace stork::api
