// Finds the project a command works on: the directory given by --project, or the nearest
// directory at or above the current one that holds `.storkit/`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace stork::cli {

struct NoProject {
  std::string message;
};

Result<std::filesystem::path, NoProject> locate_project(
    const std::filesystem::path& cwd, const std::optional<std::filesystem::path>& project_flag);

}  // namespace stork::cli
