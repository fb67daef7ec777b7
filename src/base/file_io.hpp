// Whole-file reads and crash-safe writes, shared by every module that touches item or config
// files. Writes go to a temporary file in the same directory, are fsync'd, then renamed over
// the target, so a reader (or a crash) sees either the old bytes or the new, never a mix.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace stork {

IoResult<std::string> read_file(const std::filesystem::path& path);

// Replaces `path` atomically with `contents`; the file mode of an existing target is kept.
IoResult<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents);

// Creates `path` with `contents` atomically; fails (without touching anything) if it exists.
IoResult<void> create_file_exclusive(const std::filesystem::path& path, std::string_view contents);

// rename(2) that refuses to replace an existing target (renameat2 RENAME_NOREPLACE), so a move
// can never overwrite, and so never lose, another file.
IoResult<void> rename_no_replace(const std::filesystem::path& from,
                                 const std::filesystem::path& to);

}  // namespace stork
