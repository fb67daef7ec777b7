#include "support/temp_dir.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <stdlib.h>

namespace stork::testing {

TempDir::TempDir() {
  auto pattern = (std::filesystem::temp_directory_path() / "stork-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_text(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void copy_fixture(std::string_view name, const std::filesystem::path& destination) {
  std::filesystem::copy(
      std::filesystem::path(STORK_TEST_DATA_DIR) / name, destination,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

}  // namespace stork::testing
