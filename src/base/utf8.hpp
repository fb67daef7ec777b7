// UTF-8 checks for text that crosses a boundary: front matter we parse, values we write into
// item files, and (later) the output of child processes, which may hold any bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stork {

// The byte offset of the first invalid UTF-8 sequence, or npos when `text` is valid (overlong
// forms, surrogates and code points above U+10FFFF are invalid).
size_t find_invalid_utf8(std::string_view text);

// `text` with each invalid sequence replaced by U+FFFD, so it can be stored and shown.
std::string repair_utf8(std::string_view text);

}  // namespace stork
