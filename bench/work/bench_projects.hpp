// Generated bench projects (bench_items.hpp) in one temporary directory, one per item count,
// made on first use and removed at exit. Shared by the work benchmarks.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "bench_items.hpp"

namespace stork::bench {

class Projects {
 public:
  Projects() = default;
  Projects(const Projects&) = delete;
  Projects& operator=(const Projects&) = delete;
  ~Projects() {
    std::error_code ignored;
    if (!base_.empty()) std::filesystem::remove_all(base_, ignored);
  }
  const std::filesystem::path& get(long count) {
    auto it = roots_.find(count);
    if (it != roots_.end()) return it->second;
    if (base_.empty()) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "stork-bench-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      base_ = pattern;
    }
    std::filesystem::path root = base_ / std::to_string(count);
    write_project(root, count);
    return roots_.emplace(count, root).first->second;
  }

  static Projects& shared() {
    static Projects instance;
    return instance;
  }

 private:
  std::filesystem::path base_;
  std::map<long, std::filesystem::path> roots_;
};

}  // namespace stork::bench
