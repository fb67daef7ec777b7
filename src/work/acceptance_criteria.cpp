#include "work/acceptance_criteria.hpp"

#include <cctype>
#include <optional>

namespace stork {
namespace {

struct Line {
  std::string_view text;  // without line ending
  size_t offset = 0;      // body offset of its first character
  int number = 0;         // 1-based
};

std::vector<Line> split_lines(std::string_view body) {
  std::vector<Line> lines;
  size_t pos = 0;
  int number = 1;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    auto text = body.substr(pos, end - pos);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    lines.push_back({text, pos, number++});
    pos = end + 1;
  }
  return lines;
}

// The level (1..6) of an ATX heading, or 0 when the line is not one.
int heading_level(std::string_view line) {
  size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#')
    ++hashes;
  if (hashes == 0 || hashes > 6) return 0;
  if (hashes < line.size() && line[hashes] != ' ' && line[hashes] != '\t') return 0;
  return static_cast<int>(hashes);
}

bool is_criteria_heading(std::string_view line) {
  int level = heading_level(line);
  if (level == 0) return false;
  std::string title;
  for (char c : line.substr(static_cast<size_t>(level))) {
    title += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto first = title.find_first_not_of(" \t");
  auto last = title.find_last_not_of(" \t#");
  return first != std::string::npos &&
         title.substr(first, last - first + 1) == "acceptance criteria";
}

bool is_fence(std::string_view line) {
  auto first = line.find_first_not_of(' ');
  return first <= 3 &&  // npos, a blank line, is more than 3
         (line.substr(first, 3) == "```" || line.substr(first, 3) == "~~~");
}

// `- [ ] text`, `* [x] text`, `+ [X] text`, possibly indented.
std::optional<Criterion> parse_checkbox(const Line& line) {
  auto first = line.text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  auto rest = line.text.substr(first);
  if (rest.size() < 5 || (rest[0] != '-' && rest[0] != '*' && rest[0] != '+') || rest[1] != ' ' ||
      rest[2] != '[' || rest[4] != ']') {
    return std::nullopt;
  }
  char mark = rest[3];
  if (mark != ' ' && mark != 'x' && mark != 'X') return std::nullopt;
  if (rest.size() > 5 && rest[5] != ' ' && rest[5] != '\t') return std::nullopt;
  Criterion criterion;
  criterion.checked = mark != ' ';
  auto text = rest.substr(std::min<size_t>(rest.size(), 5));
  auto text_start = text.find_first_not_of(" \t");
  criterion.text = text_start == std::string_view::npos ? "" : std::string(text.substr(text_start));
  criterion.box_offset = line.offset + first + 3;
  criterion.line = line.number;
  return criterion;
}

std::vector<Criterion> collect(const std::vector<Line>& lines, bool section_only) {
  std::vector<Criterion> criteria;
  bool in_fence = false;
  int section_level = 0;  // > 0 while inside the Acceptance Criteria section
  for (const Line& line : lines) {
    if (is_fence(line.text)) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (int level = heading_level(line.text); level > 0) {
      if (is_criteria_heading(line.text)) {
        section_level = level;
      } else if (section_level > 0 && level <= section_level) {
        section_level = 0;
      }
      continue;
    }
    if (section_only && section_level == 0) continue;
    if (auto criterion = parse_checkbox(line)) {
      criterion->index = criteria.size();
      criteria.push_back(std::move(*criterion));
    }
  }
  return criteria;
}

}  // namespace

std::vector<Criterion> parse_criteria(std::string_view body) {
  auto lines = split_lines(body);
  bool in_fence = false;
  bool has_section = false;
  for (const Line& line : lines) {
    if (is_fence(line.text)) in_fence = !in_fence;
    if (!in_fence && is_criteria_heading(line.text)) has_section = true;
  }
  return collect(lines, has_section);
}

}  // namespace stork
