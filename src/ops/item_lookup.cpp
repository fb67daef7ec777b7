#include "ops/item_lookup.hpp"

#include <algorithm>

namespace stork::ops {

OpResult<std::string> check_story_id(std::string_view text) {
  const bool digits =
      !text.empty() && text.size() <= 9 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    if (text.find_first_not_of('0') == std::string_view::npos)
      return fail(OpError{OpError::Kind::InvalidId, "invalid story id '0': numbers start at 1"});
    return std::string(text);
  }
  auto parsed = parse_story_id(text);
  if (!parsed.ok()) return fail(OpError{OpError::Kind::InvalidId, parsed.error().message()});
  return parsed.value().str();
}

OpResult<StageStore::Entry> locate_item(const std::filesystem::path& root, std::string_view text) {
  auto id = check_story_id(text);
  if (!id.ok()) return fail(id.error());
  auto located = StageStore(root).locate(id.value());
  if (!located.ok()) return fail(from_work(located.error(), id.value()));
  return std::move(located.value());
}

OpResult<WorkItem> load_item(const std::filesystem::path& root, std::string_view text) {
  auto entry = locate_item(root, text);
  if (!entry.ok()) return fail(entry.error());
  auto item = StageStore(root).load_entry(entry.value());
  if (!item.ok()) return fail(from_work(item.error(), entry.value().id.str()));
  return std::move(item.value());
}

OpResult<std::vector<std::string>> resolve_dependencies(const std::filesystem::path& root,
                                                        const std::string& self,
                                                        const std::vector<std::string>& wanted) {
  std::vector<std::string> ids;
  for (const auto& dependency : wanted) {
    auto entry = locate_item(root, dependency);
    if (!entry.ok()) {
      OpError error = entry.error();
      error.field = "depends_on";
      if (error.kind == OpError::Kind::NotFound) error.kind = OpError::Kind::InvalidInput;
      return fail(std::move(error));
    }
    if (entry.value().id.str() == self)
      return fail(invalid_input("depends_on", "an item cannot depend on itself"));
    ids.push_back(entry.value().id.str());
  }
  return ids;
}

}  // namespace stork::ops
