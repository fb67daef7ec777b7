// Issue 16, "smaller ones", against the real server: one name validation for create and PATCH
// (multi-line, NUL, unknown and self depends_on), valid JSON whatever bytes ids and item bodies
// hold, a JSON-RPC id of 1e400 refused (never `Infinity`), 415 for non-JSON bodies, and
// remove_worktree refusing to drop a merge-failed item's unmerged commits unless forced.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"
#include "support/git_fixture.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::HardenTest;
using ::testing::HasSubstr;
using testing::http_call;
using ::testing::Not;

const testing::HeaderList kJson{{"Content-Type", "application/json"}};

// Boost.JSON's parser refuses invalid UTF-8, as a strict client does.
bool valid_json(const std::string& text) {
  boost::system::error_code error;
  (void)json::parse(text, error);
  return !error;
}

class SmallFixes : public HardenTest {};

TEST_F(SmallFixes, PatchRefusesWhatCreateRefuses) {
  auto server = serving();
  const auto port = server->port();
  for (const auto* body : {R"({"name":"two\nlines"})", R"({"name":"nul\u0000byte"})",
                           R"({"depends_on":["99"]})", R"({"depends_on":["7"]})"}) {
    auto patched = http_call(port, "PATCH", "/api/items/7", kJson, body);
    EXPECT_EQ(patched.status, 400) << body << " → " << patched.body;
  }
  auto created = http_call(port, "POST", "/api/items", kJson, R"({"name":"nul\u0000byte"})");
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_THAT(created.body, HasSubstr("control characters"));
  auto item = http_call(port, "GET", "/api/items/7");
  EXPECT_THAT(item.body, HasSubstr(R"("name":"Greet")"));
  EXPECT_THAT(item.body, HasSubstr(R"("depends_on":[])"));
  auto cli = stork({"story", "new", "--name",
                    std::string("a\x01"
                                "b")});
  EXPECT_EQ(cli.exit_code, 2) << cli.err;
}

TEST_F(SmallFixes, InvalidUtf8InIdsAndBodiesStillAnswersValidJson) {
  testing::write_text(root_ / ".storkit/work/1_backlog/8_story_bytes.md",
                      "---\nname: Bytes\n---\n\nraw \xff\xfe bytes \xc3\n");
  auto server = serving();
  const auto port = server->port();
  auto by_id = http_call(port, "GET", "/api/items/8_story_%FF%FE");
  EXPECT_TRUE(valid_json(by_id.body)) << by_id.body;
  auto item = http_call(port, "GET", "/api/items/8");
  EXPECT_EQ(item.status, 200);
  EXPECT_TRUE(valid_json(item.body)) << item.body;
  auto board = http_call(port, "GET", "/api/pipeline");
  EXPECT_TRUE(valid_json(board.body));
}

TEST_F(SmallFixes, JsonRpcIdOf1e400IsRefusedNeverInfinity) {
  auto server = serving();
  testing::McpHttpClient mcp(server->port());
  ASSERT_TRUE(mcp.initialize());
  auto answer = mcp.post(R"({"jsonrpc":"2.0","id":1e400,"method":"ping"})");
  EXPECT_THAT(answer.body, Not(HasSubstr("Infinity")));
  EXPECT_TRUE(valid_json(answer.body)) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("finite number"));
}

TEST_F(SmallFixes, NonJsonContentTypeOnJsonRoutesIs415) {
  auto server = serving();
  const auto port = server->port();
  auto form = http_call(port, "POST", "/api/items",
                        {{"Content-Type", "application/x-www-form-urlencoded"}}, "name=x");
  EXPECT_EQ(form.status, 415) << form.body;
  auto text =
      http_call(port, "PATCH", "/api/items/7", {{"Content-Type", "text/plain"}}, R"({"name":"x"})");
  EXPECT_EQ(text.status, 415) << text.body;
  auto charset = http_call(port, "POST", "/api/items/7/block",
                           {{"Content-Type", "application/json; charset=utf-8"}}, "{}");
  EXPECT_EQ(charset.status, 200) << charset.body;
}

TEST_F(SmallFixes, RemoveWorktreeOfAMergeFailedItemKeepsUnmergedCommitsUnlessForced) {
  testing::write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
                      "---\nname: Greet\nmerge_failure: conflict in a.txt\n---\n");
  auto server = serving();
  testing::McpHttpClient mcp(server->port());
  ASSERT_TRUE(mcp.initialize());
  auto made = mcp.call_tool("create_worktree", R"({"story_id":"7"})");
  ASSERT_FALSE(made.at("result").at("isError").as_bool()) << json::serialize(made);
  const auto worktree = root_ / ".storkit/worktrees/7_story_greet";
  testing::write_text(worktree / "work.txt", "precious\n");
  testing::git(worktree, {"add", "work.txt"});
  testing::git(worktree, {"commit", "-qm", "precious work"});

  auto refused = mcp.call_tool("remove_worktree", R"({"story_id":"7"})", 11);
  EXPECT_TRUE(refused.at("result").at("isError").as_bool());
  EXPECT_THAT(json::serialize(refused), HasSubstr("precious work"));
  EXPECT_THAT(json::serialize(refused), HasSubstr("force"));
  EXPECT_TRUE(fs::exists(worktree / "work.txt"));

  auto forced = mcp.call_tool("remove_worktree", R"({"story_id":"7","force":true})", 12);
  EXPECT_FALSE(forced.at("result").at("isError").as_bool()) << json::serialize(forced);
  EXPECT_FALSE(fs::exists(worktree));
}

}  // namespace
}  // namespace stork
