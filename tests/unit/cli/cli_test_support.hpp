// Runs the stork command line in-process and captures what a user would see.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace stork::testing {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun stork(const std::filesystem::path& cwd, const std::vector<std::string>& args);

// A temp git repository holding a copy of tests/fixtures/storkit_project, committed.
void make_storkit_fixture_repo(const std::filesystem::path& dir);

}  // namespace stork::testing
