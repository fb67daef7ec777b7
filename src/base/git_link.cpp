#include "base/git_link.hpp"

#include "base/file_io.hpp"

namespace stork {

Result<std::filesystem::path, std::string> read_git_link(const std::filesystem::path& dot_git) {
  auto text = read_file(dot_git);
  if (!text) return fail(dot_git.string() + ": " + text.error().message);
  const std::string_view prefix = "gitdir: ";
  if (!text->starts_with(prefix))
    return fail(dot_git.string() + ": expected a line 'gitdir: PATH'");
  std::string target = text->substr(prefix.size());
  while (!target.empty() &&
         (target.back() == '\n' || target.back() == '\r' || target.back() == ' '))
    target.pop_back();
  if (target.empty()) return fail(dot_git.string() + ": 'gitdir:' names no directory");
  std::filesystem::path dir = target;
  if (dir.is_relative()) dir = dot_git.parent_path() / dir;
  return dir;
}

}  // namespace stork
