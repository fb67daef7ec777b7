#include "support/git_call_log.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace stork::testing {
namespace {

constexpr const char* kRealGit = "/usr/bin/git";

}  // namespace

GitCallLog::GitCallLog() {
  const auto shim = dir_ / "bin/git";
  write_text(shim, std::string("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '") +
                       (dir_ / "calls").string() + "'\nexec " + kRealGit + " \"$@\"\n");
  std::filesystem::permissions(shim, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  write_text(dir_ / "calls", "");
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): see the header
  saved_path_ = path != nullptr ? path : "/usr/bin:/bin";
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
