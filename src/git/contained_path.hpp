// Path containment for anything that comes from a config file or a directory listing and is
// about to be read, written or used as a working directory: the real path (symlinks followed)
// must stay under the real root, so neither `../..` nor a symlink can lead out of it.
#pragma once

#include <filesystem>
#include <optional>

namespace stork {

// True when `path` is `root` or below it; both must already be canonical.
bool lies_within(const std::filesystem::path& path, const std::filesystem::path& root);

// The real path of `root / relative` (the part that exists resolved through its symlinks), or
// nullopt when `relative` is absolute or the result is outside root's real path.
std::optional<std::filesystem::path> resolve_inside(const std::filesystem::path& root,
                                                    const std::filesystem::path& relative);

}  // namespace stork
