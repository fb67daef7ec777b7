// Acceptance criteria: the `- [ ]` / `- [x]` lines of an item's body. Found under the
// "## Acceptance Criteria" heading when there is one (anywhere in the body otherwise), never
// inside fenced code blocks. Each criterion knows where its box is, so ticking one changes a
// single byte of the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stork {

struct Criterion {
  size_t index = 0;  // 0-based, in body order
  bool checked = false;
  std::string text;       // the words after the box
  size_t box_offset = 0;  // body offset of the character between '[' and ']'
  int line = 0;           // 1-based line within the body
};

std::vector<Criterion> parse_criteria(std::string_view body);

}  // namespace stork
