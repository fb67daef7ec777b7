// libFuzzer target: arbitrary bytes as a story id (parse_story_id), the gate between user input
// and file paths, branch names and git arguments.
//
// Invariants checked (a violation traps): an accepted id prints back to exactly the input and
// contains no '/', no "..", no control character; its parts obey story_id.hpp's grammar
// (N >= 1 without leading zeros, a known type, a slug of [a-z0-9][a-z0-9_-]* of at most
// kMaxSlugLength characters); a refused id says why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "work/story_id.hpp"

namespace {

// story_id.hpp documents [a-z0-9_-], but validate_slug() accepts upper case too (std::isalnum);
// reported upstream. What matters for safety is that nothing outside ASCII alphanumerics, '_'
// and '-' gets through, whatever the locale.
bool is_slug_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto id = stork::parse_story_id(text);
  if (!id) {
    FUZZ_CHECK(!id.error().reason.empty());
    FUZZ_CHECK(id.error().text == text);
    FUZZ_CHECK(!id.error().message().empty());
    return 0;
  }
  const std::string printed = id->str();
  FUZZ_CHECK(printed == text);
  FUZZ_CHECK(printed.find('/') == std::string::npos);
  FUZZ_CHECK(printed.find('\\') == std::string::npos);
  FUZZ_CHECK(printed.find("..") == std::string::npos);
  for (unsigned char c : printed)
    FUZZ_CHECK(c >= 0x20 && c != 0x7f);

  FUZZ_CHECK(id->number >= 1);
  FUZZ_CHECK(!id->slug.empty() && id->slug.size() <= stork::kMaxSlugLength);
  FUZZ_CHECK(id->slug.front() != '_' && id->slug.front() != '-');
  for (char c : id->slug)
    FUZZ_CHECK(is_slug_char(c));
  FUZZ_CHECK(stork::validate_slug(id->slug).ok());

  // The same id parses to the same value again (what the stage store relies on).
  auto again = stork::parse_story_id(printed);
  FUZZ_CHECK(again.ok() && *again == *id);
  return 0;
}
