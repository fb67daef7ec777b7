// The files an ACP agent may read and write through stork (fs/read_text_file,
// fs/write_text_file): only those inside the run's worktree. Paths come from the agent and are
// hostile: relative paths, `..`, and symlinks whose target lies outside the worktree are
// refused with a message naming the path. Blocking file I/O; the caller decides the thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace stork::acp {

// Files larger than this are refused rather than read into memory.
inline constexpr std::uintmax_t kMaxTextFileBytes = std::uintmax_t{8} << 20;  // 8 MiB

// The text of `path`, or of `limit` lines from the 1-based `line` when given.
Result<std::string, std::string> read_worktree_file(const std::filesystem::path& worktree,
                                                    const std::string& path,
                                                    std::optional<std::int64_t> line,
                                                    std::optional<std::int64_t> limit);

// Writes `content` to `path` (creating its missing parent directories inside the worktree).
Result<void, std::string> write_worktree_file(const std::filesystem::path& worktree,
                                              const std::string& path, const std::string& content);

}  // namespace stork::acp
