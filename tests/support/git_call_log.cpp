#include "support/git_call_log.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace stork::testing {
namespace {

// The git the tests would run without the shim: the first on PATH.
std::filesystem::path real_git(const std::string& path) {
  size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    const auto candidate = std::filesystem::path(path.substr(begin, end - begin)) / "git";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  ADD_FAILURE() << "no git on PATH " << path;
  return "git";
}

}  // namespace

GitCallLog::GitCallLog() {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): see the header
  saved_path_ = path != nullptr ? path : "/usr/bin:/bin";
  const auto shim = dir_ / "bin/git";
  write_text(shim, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + (dir_ / "calls").string() +
                       "'\nexec '" + real_git(saved_path_).string() + "' \"$@\"\n");
  std::filesystem::permissions(shim, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  write_text(dir_ / "calls", "");
  const auto shimmed = (dir_ / "bin").string() + ":" + saved_path_;
  setenv("PATH", shimmed.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
}

GitCallLog::~GitCallLog() {
  setenv("PATH", saved_path_.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
}

std::vector<std::string> GitCallLog::calls() const {
  std::vector<std::string> lines;
  std::ifstream in(dir_ / "calls");
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::vector<std::string> GitCallLog::calls_with(const std::string& part) const {
  std::vector<std::string> found;
  for (auto& call : calls()) {
    if (call.find(part) != std::string::npos) found.push_back(std::move(call));
  }
  return found;
}

void GitCallLog::clear() const {
  write_text(dir_ / "calls", "");
}

}  // namespace stork::testing
