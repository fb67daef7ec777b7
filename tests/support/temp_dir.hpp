// TempDir: a fresh directory under $TMPDIR for one test, removed with everything in it when the
// test ends. Tests never share one, so they can run in parallel under ctest -j.
#pragma once

#include <filesystem>
#include <string_view>

namespace stork::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

// Writes `contents` to `path`, creating parent directories. Fails the test on error.
void write_text(const std::filesystem::path& path, std::string_view contents);
std::string read_text(const std::filesystem::path& path);

// Copies a directory tree from tests/fixtures/<name> into `destination`.
void copy_fixture(std::string_view name, const std::filesystem::path& destination);

}  // namespace stork::testing
