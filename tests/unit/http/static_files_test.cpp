#include "http/static_files.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "http/router.hpp"
#include "support/temp_dir.hpp"

namespace stork::http {
namespace {

namespace fs = std::filesystem;
using stork::testing::TempDir;
using stork::testing::write_text;
using Kind = StaticLookup::Kind;

class HttpStaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(dir_ / "web/index.html", "<html>");
    write_text(dir_ / "web/assets/app.js", "js");
    write_text(dir_ / "secret.txt", "secret");
    write_text(dir_ / "outside/other.txt", "other");
    root_ = fs::canonical(dir_ / "web");
  }
  StaticLookup find(std::string_view path) { return find_static_file(root_, split_path(path)); }

  TempDir dir_;
  fs::path root_;
};

TEST_F(HttpStaticFiles, FindsFilesWithTheirContentType) {
  StaticLookup js = find("/assets/app.js");
  ASSERT_EQ(js.kind, Kind::Found);
  EXPECT_EQ(js.file, root_ / "assets/app.js");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a/b.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("blob.bin"), "application/octet-stream");
}

TEST_F(HttpStaticFiles, FallsBackToIndexOnlyForPathsWithoutExtension) {
  EXPECT_EQ(find("/").file, root_ / "index.html");
  EXPECT_EQ(find("/board/items/42_story_x").file, root_ / "index.html");
  EXPECT_EQ(find("/assets/").file, root_ / "index.html");
  EXPECT_EQ(find("/missing.js").kind, Kind::NotFound);
}

TEST_F(HttpStaticFiles, RejectsDotSegmentsAndSeparatorsInsideSegments) {
  EXPECT_EQ(find("/../secret.txt").kind, Kind::BadPath);
  EXPECT_EQ(find("/assets/../../secret.txt").kind, Kind::BadPath);
  EXPECT_EQ(find("/./index.html").kind, Kind::BadPath);
  EXPECT_EQ(find("//etc/passwd").kind, Kind::BadPath);
  EXPECT_EQ(find_static_file(root_, {"..%2Fsecret.txt"}).kind, Kind::NotFound);  // literal name
  EXPECT_EQ(find_static_file(root_, {"a/../../secret.txt"}).kind, Kind::BadPath);
  EXPECT_EQ(find_static_file(root_, {"a\\..\\secret.txt"}).kind, Kind::BadPath);
  EXPECT_EQ(find_static_file(root_, {std::string("index.html\0.js", 14)}).kind, Kind::BadPath);
}

TEST_F(HttpStaticFiles, NeverServesAFileThatASymlinkTakesOutside) {
  fs::create_symlink(dir_ / "secret.txt", root_ / "link.txt");
  fs::create_directory_symlink(dir_ / "outside", root_ / "out");
  EXPECT_EQ(find("/link.txt").kind, Kind::NotFound);
  EXPECT_EQ(find("/out/other.txt").kind, Kind::NotFound);
  // A link that stays inside is fine.
  fs::create_symlink(root_ / "assets/app.js", root_ / "alias.js");
  EXPECT_EQ(find("/alias.js").kind, Kind::Found);
}

TEST_F(HttpStaticFiles, ASiblingDirectorySharingTheRootsPrefixIsOutside) {
  write_text(dir_ / "web2/x.txt", "x");
  fs::create_symlink(dir_ / "web2/x.txt", root_ / "x.txt");
  EXPECT_EQ(find("/x.txt").kind, Kind::NotFound);
}

}  // namespace
}  // namespace stork::http
