// ProjectInit: what `stork init` does. Creates the .storkit/ layout of STORKIT.md in the git
// repository containing `directory`, plus .mcp.json and a script/test template. It only ever
// creates what is missing: an existing file is never overwritten, so running it twice changes
// nothing (and the report says so).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace stork::cli {

struct InitOptions {
  std::filesystem::path directory;  // any directory inside the repository
  int port = 3000;                  // where `stork serve` will listen (written to .mcp.json)
};

struct InitReport {
  std::filesystem::path repo_root;
  std::vector<std::string> created;  // paths relative to repo_root, in creation order
  std::vector<std::string> kept;     // files that already existed and were left alone
  std::vector<std::string> notes;    // things the user should know (e.g. .mcp.json port differs)
  bool changed() const { return !created.empty(); }
};

struct InitError {
  enum class Kind { NotGitRepository, InvalidPort, Io } kind = Kind::Io;
  std::string message;
};

Result<InitReport, InitError> init_project(const InitOptions& options);

}  // namespace stork::cli
