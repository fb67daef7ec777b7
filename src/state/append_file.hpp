// Appending to shared text files (token_usage.jsonl, run logs) so that concurrent writers never
// interleave: the file is opened with O_APPEND and each record goes out in one write(2), which
// the kernel applies at the end of the file as a whole.
#pragma once

#include <filesystem>
#include <string_view>

#include "state/sqlite.hpp"

namespace stork::state {

// Opens `path` for appending (creating it 0644), writes `data` in one write(2), closes it.
StateResult<void> append_to_file(const std::filesystem::path& path, std::string_view data);

// write(2) of all of `data` to `fd`: one call unless the kernel writes short (a full disk or a
// signal), then the rest follows. `path` only names the file in errors.
StateResult<void> write_all(int fd, std::string_view data, const std::filesystem::path& path);

// "<what> <path>: <strerror(err)>"
StateError errno_error(std::string_view what, const std::filesystem::path& path, int err);

}  // namespace stork::state
