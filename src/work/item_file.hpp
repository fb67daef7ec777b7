// How an item file is read and what may be one. Item files are regular files inside the
// repository: a symlink (committed, pointing at ~/.ssh/id_rsa or anywhere), a FIFO, a device
// or a directory named *.md is refused (opened with O_NOFOLLOW | O_NONBLOCK, checked with
// fstat), and so is a file over the size limit, so nothing outside the tree is ever read, sent
// to a client, put in a prompt or committed, and a huge file never reaches the parser.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "work/work_error.hpp"

namespace stork {

inline constexpr std::uint64_t kDefaultMaxItemBytes = std::uint64_t{1} << 20;

// The file's bytes, or an Io error naming the file and why it is not an item file.
Result<std::string, WorkError> read_item_file(const std::filesystem::path& path,
                                              std::uint64_t max_bytes);

// Without reading it: why the directory entry `path` (not followed) cannot be an item file
// ("a symlink", "a directory", ...), or nothing for a regular file.
std::optional<std::string> not_an_item_file(const std::filesystem::path& path);

}  // namespace stork
