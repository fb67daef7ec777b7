// Real git repositories for tests: `init_repo` makes one with an identity and a first commit on
// `main`, so tests exercise the git CLI exactly as users have it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace stork::testing {

void init_repo(const std::filesystem::path& dir);

// Runs git in `dir` and returns stdout; fails the test when git exits non-zero.
std::string git(const std::filesystem::path& dir, const std::vector<std::string>& args);

// What a stork project under test needs besides items: a .gitignore of stork's runtime files
// (worktrees, merge workspace, state.db, logs, the gitignored stages) plus `extra_ignores`
// lines, and an executable `script/test` (the gate) holding `gate_script`. Not committed.
void write_project_files(const std::filesystem::path& root, const std::string& gate_script,
                         const std::string& extra_ignores = "");

}  // namespace stork::testing
