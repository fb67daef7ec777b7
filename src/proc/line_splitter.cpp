#include "proc/line_splitter.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "base/utf8.hpp"

namespace stork::proc {
namespace {

constexpr std::size_t kMinimumLineBytes = 4;  // the longest UTF-8 sequence

bool is_ascii(std::string_view text) {
  const char* data = text.data();
  const std::size_t size = text.size();
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, data + i, sizeof word);
    if ((word & 0x8080808080808080ULL) != 0) return false;
  }
  for (; i < size; ++i) {
    if ((static_cast<unsigned char>(data[i]) & 0x80) != 0) return false;
  }
  return true;
}

// Most output is ASCII or valid UTF-8: check cheaply and copy; repair only what is broken.
void push_valid_utf8(std::string_view text, std::vector<std::string>& lines_out) {
  if (is_ascii(text) || find_invalid_utf8(text) == std::string_view::npos) {
    lines_out.emplace_back(text);
  } else {
    lines_out.push_back(repair_utf8(text));
  }
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
bool is_lead_byte(char c) {
  return static_cast<unsigned char>(c) >= 0xC0;
}

// Where to cut `text` (longer than `limit`) so the first piece holds at most `limit` bytes and
// no UTF-8 sequence is cut in two. Garbage (continuation bytes without a lead) is cut at the
// limit; it becomes U+FFFD either way.
std::size_t cut_point(std::string_view text, std::size_t limit) {
  std::size_t cut = limit;
  for (int back = 0; back < 3 && cut > 0 && is_continuation_byte(text[cut]); ++back)
    --cut;
  if (cut > 0 && cut < limit && is_lead_byte(text[cut])) return cut;
  return limit;
}

std::string_view without_carriage_return(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

LineSplitter::LineSplitter(std::size_t max_line_bytes)
    : max_line_bytes_(std::max(max_line_bytes, kMinimumLineBytes)) {}

void LineSplitter::feed(std::string_view bytes, std::vector<std::string>& lines_out) {
  const char* cursor = bytes.data();
  const char* const end = cursor + bytes.size();
  while (cursor < end) {
    const void* found = std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor));
    if (found == nullptr) {
      pending_.append(cursor, end);
      break;
    }
    const char* newline = static_cast<const char*>(found);
    if (pending_.empty()) {
      emit_line(std::string_view(cursor, static_cast<std::size_t>(newline - cursor)), lines_out);
    } else {
      pending_.append(cursor, newline);
      emit_line(pending_, lines_out);
      pending_.clear();
    }
    cursor = newline + 1;
  }
  emit_long_pending(lines_out);
}

std::optional<std::string> LineSplitter::finish() {
  if (pending_.empty()) return std::nullopt;
  std::vector<std::string> pieces;
  emit_line(pending_, pieces);
  pending_.clear();
  // emit_long_pending keeps pending_ within the limit, so this is one piece.
  return std::move(pieces.front());
}

void LineSplitter::emit_line(std::string_view line, std::vector<std::string>& lines_out) const {
  line = without_carriage_return(line);
  while (line.size() > max_line_bytes_) {
    const std::size_t cut = cut_point(line, max_line_bytes_);
    push_valid_utf8(line.substr(0, cut), lines_out);
    line.remove_prefix(cut);
  }
  push_valid_utf8(line, lines_out);
}

// An unfinished line over the limit is emitted now in pieces, so memory stays bounded. A
// trailing "\r" does not count: it may be the first half of "\r\n", and cutting before it
// would turn the "\n" into an empty line.
void LineSplitter::emit_long_pending(std::vector<std::string>& lines_out) {
  std::string_view rest = pending_;
  const auto over_limit = [&] { return without_carriage_return(rest).size() > max_line_bytes_; };
  if (!over_limit()) return;
  while (over_limit()) {
    const std::size_t cut = cut_point(rest, max_line_bytes_);
    push_valid_utf8(rest.substr(0, cut), lines_out);
    rest.remove_prefix(cut);
  }
  pending_.erase(0, pending_.size() - rest.size());
}

}  // namespace stork::proc
