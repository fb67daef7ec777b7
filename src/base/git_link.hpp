// The one-line `.git` file of a linked worktree, "gitdir: <path>" (gitrepository-layout(5)):
// where git keeps that worktree's own HEAD, index and locks. Read here rather than asked of
// git, because the pipeline and the sandbox need it on every start and a git process costs
// milliseconds.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace stork {

// The admin directory `dot_git` (a worktree's `.git` file) names, absolute (a relative path is
// relative to the worktree), not checked to exist. The error names the file and what is wrong.
Result<std::filesystem::path, std::string> read_git_link(const std::filesystem::path& dot_git);

}  // namespace stork
