#include "cli/project_locator.hpp"

namespace stork::cli {

Result<std::filesystem::path, NoProject> locate_project(
    const std::filesystem::path& cwd, const std::optional<std::filesystem::path>& project_flag) {
  std::error_code error;
  if (project_flag) {
    auto dir = std::filesystem::absolute(cwd / *project_flag, error);
    if (!std::filesystem::is_directory(dir / ".storkit", error)) {
      return fail(
          NoProject{"--project " + project_flag->string() +
                    ": no .storkit/ directory there; run `stork init` in that repository first"});
    }
    return dir.lexically_normal();
  }
  for (auto dir = std::filesystem::absolute(cwd, error); !dir.empty(); dir = dir.parent_path()) {
    if (std::filesystem::is_directory(dir / ".storkit", error)) return dir;
    if (dir == dir.root_path()) break;
  }
  return fail(NoProject{
      "no .storkit/ directory in " + cwd.string() +
      " or any parent; run `stork init` in your repository first, or pass --project DIR"});
}

}  // namespace stork::cli
