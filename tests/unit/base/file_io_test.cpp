#include "base/file_io.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(FileIo, WriteAtomicReplacesContentsAndKeepsMode) {
  testing::TempDir dir;
  auto path = dir / "f.txt";
  testing::write_text(path, "old");
  ::chmod(path.c_str(), 0755);
  ASSERT_TRUE(write_file_atomic(path, "new contents").ok());
  EXPECT_EQ(*read_file(path), "new contents");
  struct stat info {};
  ::stat(path.c_str(), &info);
  EXPECT_EQ(info.st_mode & 0777, 0755u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}),
            1);  // no temp file left
}

TEST(FileIo, CreateExclusiveRefusesToOverwrite) {
  testing::TempDir dir;
  auto path = dir / "f.txt";
  ASSERT_TRUE(create_file_exclusive(path, "first").ok());
  auto second = create_file_exclusive(path, "second");
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.error().message, HasSubstr("already exists"));
  EXPECT_EQ(*read_file(path), "first");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(FileIo, RenameNoReplaceNeverLosesTheTarget) {
  testing::TempDir dir;
  testing::write_text(dir / "a", "a");
  testing::write_text(dir / "b", "b");
  EXPECT_FALSE(rename_no_replace(dir / "a", dir / "b").ok());
  EXPECT_EQ(*read_file(dir / "a"), "a");
  EXPECT_EQ(*read_file(dir / "b"), "b");
  ASSERT_TRUE(rename_no_replace(dir / "a", dir / "c").ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "a"));
  EXPECT_EQ(*read_file(dir / "c"), "a");
}

TEST(FileIo, ReadMissingFileNamesIt) {
  testing::TempDir dir;
  auto result = read_file(dir / "missing.md");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("missing.md"));
}

TEST(FileIo, BinaryContentsSurvive) {
  testing::TempDir dir;
  const std::string bytes("a\0b\r\n\xff", 6);
  ASSERT_TRUE(write_file_atomic(dir / "bin", bytes).ok());
  EXPECT_EQ(*read_file(dir / "bin"), bytes);
}

}  // namespace
}  // namespace stork
