// Issue 16, item 8: the deny-list of run_command is a pattern list, and each of these commands
// gets past it. Under `sandbox = "bwrap"` none of them pushes to a real bare remote, changes
// the main repository's .git/config, or touches anything outside the item's worktree; the
// same commands without the sandbox do all of that (SandboxBypass.WithoutTheSandbox...), so
// each check here can fail. Through the real `stork serve` and its MCP endpoint.
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
using testing::McpHttpClient;

// JSON string contents for `text` (quotes, backslashes; the commands have no control bytes).
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class SandboxBypass : public HardenTest {
 protected:
  // `sandbox` is "bwrap" or "none"; a bare remote is the repository's origin, HOME a
  // directory of the test's own holding one file.
  void start(const std::string& sandbox) {
    testing::write_text(root_ / ".storkit/project.toml",
                        "sandbox = \"" + sandbox +
                            "\"\n\n[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\n"
                            "command = \"/bin/sh\"\nargs = [\"-c\", \"exec sleep 300\"]\n");
    testing::git(root_, {"commit", "-qam", "sandbox " + sandbox});
    testing::git(dir_.path(), {"init", "-q", "--bare", remote_.string()});
    testing::git(root_, {"remote", "add", "origin", remote_.string()});
    fs::create_directories(home_);
    testing::write_text(home_ / "keep.txt", "precious\n");
    server_ = serving({}, {{"HOME", home_.string()}});
    mcp_ = std::make_unique<McpHttpClient>(server_->port());
    ASSERT_TRUE(mcp_->initialize());
    auto made = mcp_->call_tool("create_worktree", R"({"story_id":"7"})");
    ASSERT_FALSE(made.at("result").at("isError").as_bool()) << json::serialize(made);
  }

  // run_command's structured result; fails the test when the call itself was refused (then
  // the deny-list, not the sandbox, stopped it and the test would prove nothing).
  json::object run(const std::string& command) {
    auto answer = mcp_->call_tool("run_command",
                                  R"({"story_id":"7","command":")" + escaped(command) + R"("})");
    const auto& result = answer.at("result").as_object();
    EXPECT_FALSE(result.at("isError").as_bool())
        << command << " was refused: " << json::serialize(answer);
    if (!result.contains("structuredContent")) return {};
    return result.at("structuredContent").as_object();
  }

  std::string remote_refs() const {
    return testing::git(remote_, {"for-each-ref", "--format=%(refname)"});
  }

  std::vector<std::string> push_bypasses() const {
    return {"git -c alias.p=push p origin HEAD:refs/heads/p1",
            "/usr/bin/git push origin HEAD:refs/heads/p2",
            "git${IFS}push origin HEAD:refs/heads/p3",
            "G=git; $G push origin HEAD:refs/heads/p4",
            "bash -c git\\ push\\ origin\\ HEAD:refs/heads/p5",
            "git config alias.pp push && git pp origin HEAD:refs/heads/p6",
            "git send-pack " + remote_.string() + " HEAD:refs/heads/p7",
            "git $(echo cHVzaA== | base64 -d) origin HEAD:refs/heads/p8"};
  }

  fs::path remote_ = dir_ / "remote.git";
  fs::path home_ = dir_ / "home";
  std::unique_ptr<testing::ServeProcess> server_;
  std::unique_ptr<McpHttpClient> mcp_;
};

TEST_F(SandboxBypass, NoDenyListBypassPushesToTheRemote) {
  start("bwrap");
  for (const auto& command : push_bypasses()) {
    const auto result = run(command);
    EXPECT_FALSE(result.contains("succeeded") && result.at("succeeded").as_bool())
        << command << " succeeded: " << json::serialize(result);
  }
  EXPECT_EQ(remote_refs(), "");
}

TEST_F(SandboxBypass, HooksPathFromTheWorktreeLeavesTheMainConfigAlone) {
  start("bwrap");
  const auto result = run("git config core.hooksPath " + (dir_ / "hooks").string());
  EXPECT_FALSE(result.at("succeeded").as_bool()) << json::serialize(result);
  EXPECT_THAT(json::serialize(result), HasSubstr("Read-only file system"));
  EXPECT_THAT(testing::read_text(root_ / ".git/config"), ::testing::Not(HasSubstr("hooksPath")));
}

TEST_F(SandboxBypass, HomeAndOtherCheckoutsAreOutOfReach) {
  start("bwrap");
  run("cd ~ && rm -rf ./*; ls -A");
  run("echo x > " + (root_ / "outside.txt").string() + "; echo y >> " +
      (root_ / "README.md").string());
  EXPECT_EQ(testing::read_text(home_ / "keep.txt"), "precious\n");
  EXPECT_FALSE(fs::exists(root_ / "outside.txt"));
  EXPECT_EQ(testing::git(root_, {"status", "--porcelain", "--untracked-files=all", "--",
                                 "README.md", "outside.txt"}),
            "");
  // The worktree itself stays the command's to change, and a commit there works.
  const auto committed = run("echo done > work.txt && git add work.txt && git commit -qm work");
  EXPECT_TRUE(committed.at("succeeded").as_bool()) << json::serialize(committed);
  EXPECT_EQ(testing::git(root_, {"log", "-1", "--format=%s", "feature/story-7_story_greet"}),
            "work\n");
}

// The control: without the sandbox the same commands do what the tests above say they cannot.
TEST_F(SandboxBypass, WithoutTheSandboxTheBypassesWork) {
  start("none");
  run("/usr/bin/git push origin HEAD:refs/heads/p2");
  EXPECT_EQ(remote_refs(), "refs/heads/p2\n");
  run("git config core.hooksPath " + (dir_ / "hooks").string());
  EXPECT_THAT(testing::read_text(root_ / ".git/config"), HasSubstr("hooksPath"));
  run("cd ~ && rm -rf ./*");
  EXPECT_FALSE(fs::exists(home_ / "keep.txt"));
  run("echo x > " + (root_ / "outside.txt").string());
  EXPECT_TRUE(fs::exists(root_ / "outside.txt"));
}

}  // namespace
}  // namespace stork
