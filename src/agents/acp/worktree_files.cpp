#include "agents/acp/worktree_files.hpp"

#include <sstream>

#include "base/file_io.hpp"

namespace stork::acp {
namespace fs = std::filesystem;
namespace {

bool inside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, _] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

// The canonical form of `path` (symlinks followed as far as it exists), when it is inside the
// worktree; the worktree's own .git is outside for this purpose.
Result<fs::path, std::string> confined(const fs::path& worktree, const std::string& path) {
  const fs::path requested(path);
  if (path.empty() || !requested.is_absolute())
    return fail("'" + path + "' is not an absolute path");
  std::error_code ec;
  const fs::path root = fs::canonical(worktree, ec);
  if (ec) return fail("the worktree " + worktree.string() + " is gone: " + ec.message());
  const fs::path resolved = fs::weakly_canonical(requested, ec);
  if (ec) return fail("'" + path + "': " + ec.message());
  if (!inside(root, resolved) || resolved == root)
    return fail("'" + path + "' is outside the worktree " + root.string());
  const fs::path relative = resolved.lexically_relative(root);
  if (!relative.empty() && *relative.begin() == ".git")
    return fail("'" + path + "' is inside the worktree's .git");
  return resolved;
}

}  // namespace

Result<std::string, std::string> read_worktree_file(const fs::path& worktree,
                                                    const std::string& path,
                                                    std::optional<std::int64_t> line,
                                                    std::optional<std::int64_t> limit) {
  auto resolved = confined(worktree, path);
  if (!resolved.ok()) return fail(resolved.error());
  std::error_code ec;
  const auto size = fs::file_size(resolved.value(), ec);
  if (ec) return fail("'" + path + "': " + ec.message());
  if (size > kMaxTextFileBytes)
    return fail("'" + path + "' has " + std::to_string(size) + " bytes, more than stork reads");
  auto text = read_file(resolved.value());
  if (!text) return fail("'" + path + "': " + text.error().message);
  if (!line && !limit) return std::move(*text);
  const std::int64_t first = std::max<std::int64_t>(line.value_or(1), 1);
  const std::int64_t count = limit.value_or(INT64_MAX);
  std::istringstream in(*text);
  std::string selected, current;
  for (std::int64_t number = 1; number < first + count && std::getline(in, current); ++number) {
    if (number < first) continue;
    selected += current;
    if (!in.eof()) selected += '\n';
  }
  return selected;
}

Result<void, std::string> write_worktree_file(const fs::path& worktree, const std::string& path,
                                              const std::string& content) {
  auto resolved = confined(worktree, path);
  if (!resolved.ok()) return fail(resolved.error());
  std::error_code ec;
  fs::create_directories(resolved.value().parent_path(), ec);
  if (ec) return fail("'" + path + "': " + ec.message());
  if (auto written = write_file_atomic(resolved.value(), content); !written)
    return fail("'" + path + "': " + written.error().message);
  return {};
}

}  // namespace stork::acp
