#include "work/story_id.hpp"

#include <cctype>
#include <charconv>

namespace stork {

std::string_view to_string(ItemType type) {
  switch (type) {
    case ItemType::Story:
      return "story";
    case ItemType::Bug:
      return "bug";
    case ItemType::Spike:
      return "spike";
    case ItemType::Refactor:
      return "refactor";
  }
  return "story";
}

std::optional<ItemType> parse_item_type(std::string_view text) {
  for (auto type : {ItemType::Story, ItemType::Bug, ItemType::Spike, ItemType::Refactor}) {
    if (text == to_string(type)) return type;
  }
  return std::nullopt;
}

std::string StoryId::str() const {
  return std::to_string(number) + "_" + std::string(to_string(type)) + "_" + slug;
}

namespace {

bool is_slug_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-';
}

// Describes the first character that makes `text` unusable in a path or git argument.
std::optional<std::string> unsafe_character(std::string_view text) {
  if (text.find("..") != std::string_view::npos) return "it contains '..'";
  for (unsigned char c : text) {
    if (c == '/' || c == '\\') return "it contains a path separator";
    if (c < 0x20 || c == 0x7f) return "it contains a control character";
  }
  return std::nullopt;
}

}  // namespace

Result<void, InvalidId> validate_slug(std::string_view slug) {
  auto invalid = [&](std::string reason) {
    return fail(InvalidId{std::string(slug), std::move(reason)});
  };
  if (slug.empty()) return invalid("the slug is empty");
  if (auto unsafe = unsafe_character(slug)) return invalid(*unsafe);
  if (slug.size() > kMaxSlugLength) {
    return invalid("the slug is longer than " + std::to_string(kMaxSlugLength) + " characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(slug.front()))) {
    return invalid("the slug must start with a letter or digit");
  }
  for (unsigned char c : slug) {
    if (!is_slug_char(c)) {
      return invalid(std::string("the slug may contain only letters, digits, '_' and '-', not '") +
                     static_cast<char>(c) + "'");
    }
  }
  return {};
}

Result<StoryId, InvalidId> parse_story_id(std::string_view text) {
  auto invalid = [&](std::string reason) {
    return fail(InvalidId{std::string(text), std::move(reason)});
  };
  if (text.empty()) return invalid("it is empty");
  if (auto unsafe = unsafe_character(text)) return invalid(*unsafe);

  auto first = text.find('_');
  if (first == std::string_view::npos) return invalid("expected <number>_<type>_<slug>");
  auto second = text.find('_', first + 1);
  if (second == std::string_view::npos) return invalid("expected <number>_<type>_<slug>");

  std::string_view digits = text.substr(0, first);
  StoryId id;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id.number);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      id.number < 1) {
    return invalid("'" + std::string(digits) + "' is not a positive number");
  }
  if (digits.size() > 1 && digits.front() == '0') {
    return invalid("the number must not have leading zeros");
  }
  auto type = parse_item_type(text.substr(first + 1, second - first - 1));
  if (!type) {
    return invalid("unknown type '" + std::string(text.substr(first + 1, second - first - 1)) +
                   "' (expected story, bug, spike or refactor)");
  }
  id.type = *type;
  id.slug = std::string(text.substr(second + 1));
  if (auto slug_ok = validate_slug(id.slug); !slug_ok) {
    return invalid(slug_ok.error().reason);
  }
  return id;
}

std::string slugify(std::string_view name) {
  std::string slug;
  bool pending_separator = false;
  for (unsigned char c : name) {
    if (std::isalnum(c) && c < 0x80) {
      if (pending_separator && !slug.empty()) slug += '_';
      pending_separator = false;
      slug += static_cast<char>(std::tolower(c));
    } else {
      pending_separator = true;
    }
    if (slug.size() >= kMaxSlugLength) break;
  }
  while (!slug.empty() && slug.back() == '_')
    slug.pop_back();
  return slug;
}

}  // namespace stork
