// Issue 16, item 3: item files are regular files inside the repository, of bounded size. A
// symlink (to a secret outside the tree), a FIFO, a device and a directory named *.md are
// problems in the listing, never read; so is a file over the limit.
#include "work/item_file.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ItemFileTest : public ::testing::Test {
 protected:
  fs::path backlog(const std::string& name) { return store.stage_dir(Stage::Backlog) / name; }
  void SetUp() override {
    fs::create_directories(store.stage_dir(Stage::Backlog));
    testing::write_text(secret, "---\nname: secret\n---\nBEGIN PRIVATE KEY\n");
    testing::write_text(backlog("1_story_fine.md"), "---\nname: fine\n---\n");
  }
  // The listing holds only the regular item; the problem names `file` and says `why`.
  void expect_refused(const std::string& file, const std::string& why) {
    auto listing = store.load_all();
    ASSERT_EQ(listing.items.size(), 1U);
    EXPECT_EQ(listing.items[0].id.str(), "1_story_fine");
    ASSERT_EQ(listing.problems.size(), 1U);
    EXPECT_THAT(listing.problems[0].render(), HasSubstr(file));
    EXPECT_THAT(listing.problems[0].render(), HasSubstr(why));
    for (const auto& item : listing.items)
      EXPECT_THAT(item.document.text(), ::testing::Not(HasSubstr("PRIVATE KEY")));
    EXPECT_FALSE(store.load("2").ok());
    auto read = read_item_file(backlog(file), kDefaultMaxItemBytes);
    ASSERT_FALSE(read.ok());
    EXPECT_THAT(read.error().message, HasSubstr(why));
  }

  testing::TempDir dir;
  fs::path secret = dir.path() / "outside" / "id_rsa";
  StageStore store{dir.path() / "repo"};
};

TEST_F(ItemFileTest, SymlinkToASecretIsAProblemNeverRead) {
  fs::create_symlink(secret, backlog("2_story_secret.md"));
  expect_refused("2_story_secret.md", "symbolic link");
  auto updated = store.update("2", [](WorkItem&) -> WorkResult<void> { return {}; });
  EXPECT_FALSE(updated.ok());
  EXPECT_TRUE(fs::is_symlink(backlog("2_story_secret.md")));
}

TEST_F(ItemFileTest, FifoIsAProblemAndReadingDoesNotBlock) {
  ASSERT_EQ(::mkfifo(backlog("2_story_pipe.md").c_str(), 0644), 0);
  expect_refused("2_story_pipe.md", "FIFO");
}

TEST_F(ItemFileTest, DeviceIsAProblem) {
  ASSERT_EQ(::mknod(backlog("2_story_dev.md").c_str(), S_IFCHR | 0644, makedev(1, 3)), 0)
      << "mknod needs CAP_MKNOD";
  expect_refused("2_story_dev.md", "device");
}

TEST_F(ItemFileTest, DirectoryNamedMdIsAProblem) {
  fs::create_directories(backlog("2_story_dir.md"));
  expect_refused("2_story_dir.md", "directory");
}

TEST_F(ItemFileTest, FileOverTheLimitIsAProblemNotLoaded) {
  testing::write_text(backlog("2_story_huge.md"),
                      "---\nname: huge\n---\n" + std::string(kDefaultMaxItemBytes, 'x'));
  expect_refused("2_story_huge.md", "over the limit");
  store.set_max_item_bytes(4 * kDefaultMaxItemBytes);
  EXPECT_EQ(store.load_all().items.size(), 2U);
}

}  // namespace
}  // namespace stork
