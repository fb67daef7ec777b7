// Small helpers for reading what git prints, shared by the git module's sources: NUL-separated
// lists (`-z`, so no path is ever quoted or split at a space), C-quoted paths where `-z` is not
// available (patch headers), and errors stork raises itself about a git command's result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "git/git_repo.hpp"

namespace stork {

std::string trim_line_end(std::string text);

// "a\0b\0" → {"a", "b"}; a missing final NUL is tolerated.
std::vector<std::string> split_nul(std::string_view text);

// "a\nb\n" → {"a", "b"}: what git prints one name per line.
std::vector<std::string> split_lines(std::string_view text);

// A path as git prints it outside -z output: as is, or in double quotes with C escapes
// (`"caf\303\251 \"x\""`) when it holds special characters.
std::string unquote_path(std::string_view text);

// A failure stork detects in what a git command answered (a missing branch, say): the command
// and a sentence in place of git's stderr.
GitError git_failure(std::vector<std::string> args, std::string why);

// `refs/heads/<branch>` resolved to a commit id; the error names the branch when it is missing.
GitResult<std::string> branch_commit(const GitRepo& repo, const std::string& branch);

}  // namespace stork
