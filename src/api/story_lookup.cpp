#include "api/story_lookup.hpp"

#include "ops/item_lookup.hpp"

namespace stork::api {

ApiResult<std::string> check_story_id(std::string_view text) {
  auto id = ops::check_story_id(text);
  if (!id.ok()) return fail(from_op(id.error()));
  return std::move(id.value());
}

ApiResult<StageStore::Entry> locate_story(const std::filesystem::path& root,
                                          std::string_view text) {
  auto entry = ops::locate_item(root, text);
  if (!entry.ok()) return fail(from_op(entry.error()));
  return std::move(entry.value());
}

}  // namespace stork::api
