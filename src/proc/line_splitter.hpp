// LineSplitter: turns a child's output, read in arbitrary chunks, into complete UTF-8 lines.
// A chunk boundary may fall anywhere (mid-line, between \r and \n, inside a multi-byte
// sequence); the splitter keeps the unfinished tail until the rest arrives. It is on the hot
// path of agent output, so it scans with memchr and allocates only the lines it returns.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stork::proc {

class LineSplitter {
 public:
  // Lines longer than max_line_bytes (at least 4, so one UTF-8 sequence always fits) are
  // emitted in pieces of at most that many bytes, cut between UTF-8 sequences.
  explicit LineSplitter(std::size_t max_line_bytes = 1 << 20);

  // Appends every line completed by `bytes` to lines_out, without its "\n" or "\r\n". Invalid
  // UTF-8 is replaced by U+FFFD; a sequence split across two feeds is reassembled first.
  void feed(std::string_view bytes, std::vector<std::string>& lines_out);

  // The trailing partial line at end of input, if any; the splitter is empty afterwards.
  std::optional<std::string> finish();

 private:
  void emit_line(std::string_view line, std::vector<std::string>& lines_out) const;
  void emit_long_pending(std::vector<std::string>& lines_out);

  std::size_t max_line_bytes_;
  std::string pending_;  // bytes after the last "\n", never more than max_line_bytes_ (+ "\r")
};

}  // namespace stork::proc
