// Issue 16, item 3, end to end: a committed item file that is a symlink to a secret outside the
// repository is reported in `problems`, never served by the API, never given to an agent and
// never committed as a regular file holding the secret.
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using testing::HardenTest;
using ::testing::HasSubstr;
using testing::http_call;
using ::testing::Not;

class SymlinkItems : public HardenTest {
 protected:
  void SetUp() override {
    HardenTest::SetUp();
    testing::write_text(secret_, "---\nname: stolen\n---\nBEGIN OPENSSH PRIVATE KEY\n");
    fs::create_symlink(secret_, root_ / ".storkit/work/1_backlog/8_story_secret.md");
    git_out({"add", ".storkit"});
    git_out({"commit", "-qm", "a symlinked item"});
  }
  fs::path secret_ = dir_ / "home" / ".ssh" / "id_rsa";
};

TEST_F(SymlinkItems, SymlinkToASecret_ReportedNeverServedNeverCommitted) {
  auto server = serving();
  const auto port = server->port();
  const testing::HeaderList json_type{{"Content-Type", "application/json"}};

  auto one = http_call(port, "GET", "/api/items/8");
  EXPECT_EQ(one.status, 404) << one.body;
  EXPECT_THAT(one.body, Not(HasSubstr("PRIVATE KEY")));

  auto board = http_call(port, "GET", "/api/pipeline");
  EXPECT_EQ(board.status, 200);
  EXPECT_THAT(board.body, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(board.body, HasSubstr("8_story_secret.md"));
  EXPECT_THAT(board.body, HasSubstr("symbolic link"));

  // No edit reads it (so none can write it back as a regular file), no agent gets it.
  auto patched = http_call(port, "PATCH", "/api/items/8", json_type, R"({"name":"x"})");
  EXPECT_EQ(patched.status, 404) << patched.body;
  auto blocked = http_call(port, "POST", "/api/items/8/block", json_type, "{}");
  EXPECT_EQ(blocked.status, 404) << blocked.body;
  auto started = http_call(port, "POST", "/api/agents/start", json_type,
                           R"({"story_id":"8","agent":"coder-1"})");
  EXPECT_GE(started.status, 400) << started.body;

  // Other work goes on and commits; the link stays a link, in the tree and in git.
  auto created = http_call(port, "POST", "/api/items", json_type, R"({"name":"another"})");
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(fs::is_symlink(root_ / ".storkit/work/1_backlog/8_story_secret.md"));
  EXPECT_THAT(git_out({"ls-files", "-s", ".storkit/work/1_backlog/8_story_secret.md"}),
              HasSubstr("120000"));
  EXPECT_THAT(git_out({"log", "-p", "--all"}), Not(HasSubstr("PRIVATE KEY")));
}

}  // namespace
}  // namespace stork
