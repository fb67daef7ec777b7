// StoryId: the identity of a work item, `<N>_<type>_<slug>` (e.g. `42_story_login`), which is
// also its file stem. Parsing is strict because ids reach file paths, branch names and git
// arguments: no '/', no '..', no control characters, nothing that is not [a-z0-9_-] in a slug.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace stork {

enum class ItemType { Story, Bug, Spike, Refactor };

std::string_view to_string(ItemType type);
std::optional<ItemType> parse_item_type(std::string_view text);

struct StoryId {
  long number = 0;  // N >= 1, unique across all stages
  ItemType type = ItemType::Story;
  std::string slug;  // [a-z0-9][a-z0-9_-]*, at most kMaxSlugLength

  std::string str() const;  // "42_story_login"
  friend bool operator==(const StoryId&, const StoryId&) = default;
};

inline constexpr size_t kMaxSlugLength = 80;

// Why an id was refused, in words that name the offending part.
struct InvalidId {
  std::string text;
  std::string reason;
  std::string message() const { return "invalid story id '" + text + "': " + reason; }
};

Result<StoryId, InvalidId> parse_story_id(std::string_view text);

// Checks a slug alone (used when building a new id from a name).
Result<void, InvalidId> validate_slug(std::string_view slug);

// Lower-cases `name`, turns runs of other characters into '_' and trims; "Login page!" →
// "login_page". Empty when nothing usable is left.
std::string slugify(std::string_view name);

}  // namespace stork
