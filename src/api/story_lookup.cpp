#include "api/story_lookup.hpp"

#include <algorithm>

namespace stork::api {

ApiResult<std::string> check_story_id(std::string_view text) {
  const bool digits =
      !text.empty() && text.size() <= 9 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    if (text.find_first_not_of('0') == std::string_view::npos)
      return fail(ApiError{400, "invalid_id", "invalid story id '0': numbers start at 1"});
    return std::string(text);
  }
  auto parsed = parse_story_id(text);
  if (!parsed.ok()) return fail(ApiError{400, "invalid_id", parsed.error().message()});
  return parsed.value().str();
}

ApiResult<StageStore::Entry> locate_story(const std::filesystem::path& root,
                                          std::string_view text) {
  auto id = check_story_id(text);
  if (!id.ok()) return fail(id.error());
  auto located = StageStore(root).locate(id.value());
  if (!located.ok()) return fail(from_work(located.error()));
  return std::move(located.value());
}

ApiResult<WorkItem> load_story(const std::filesystem::path& root, std::string_view text) {
  auto entry = locate_story(root, text);
  if (!entry.ok()) return fail(entry.error());
  auto item = StageStore(root).load_entry(entry.value());
  if (!item.ok()) return fail(from_work(item.error()));
  return std::move(item.value());
}

ApiError from_work(const WorkError& error) {
  switch (error.kind) {
    case WorkErrorKind::NotFound:
      return ApiError{404, "not_found", error.render()};
    case WorkErrorKind::InvalidId:
      return ApiError{400, "invalid_id", error.render()};
    case WorkErrorKind::InvalidInput:
      return ApiError{400, "invalid_input", error.render()};
    case WorkErrorKind::Ambiguous:
    case WorkErrorKind::AlreadyExists:
      return ApiError{409, "conflict", error.render()};
    case WorkErrorKind::Malformed:
      return ApiError{422, "malformed_item", error.render()};
    case WorkErrorKind::Io:
      break;
  }
  return ApiError{500, "io_error", error.render()};
}

}  // namespace stork::api
