// Story ids in REST requests (a path segment or a body field), checked and located by the ops
// layer (ops/item_lookup.hpp) and rendered as ApiErrors: a malformed or unsafe id is 400
// invalid_id, a well-formed one that names no item is 404. For the routes that need only an
// item's location (diff, gate, runs); everything that reads or changes an item calls ItemOps.
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

}  // namespace stork::api
