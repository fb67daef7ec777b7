#include "harden_fixture.hpp"

#include <thread>

#include <boost/json/parse.hpp>

#include "support/git_fixture.hpp"

namespace stork::testing {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

json::value parse_json(const std::string& text) {
  std::error_code error;
  auto value = json::parse(text, error);
  return error ? json::value() : value;
}

void HardenTest::SetUp() {
  fs::create_directories(root_);
  init_repo(root_);
  write_text(root_ / ".gitignore",
             ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n"
             ".storkit/merge_workspace/\n.mcp.json\n");
  git(root_, {"add", ".gitignore"});
  git(root_, {"commit", "-qm", "ignore"});
  write_text(root_ / ".storkit/project.toml",
             "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\n"
             "command = \"/bin/sh\"\nargs = [\"-c\", \"exec sleep 300\"]\n");
  write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
             "---\nname: Greet\n---\n\n## Acceptance Criteria\n\n"
             "- [ ] prints hello\n- [x] exits zero\n");
  git(root_, {"add", ".storkit"});
  git(root_, {"commit", "-qm", "project"});
}

std::unique_ptr<ServeProcess> HardenTest::serving(std::vector<std::string> args, Env env) {
  std::vector<std::string> full{"serve", "--port", "0", "--project", root_.string()};
  full.insert(full.end(), args.begin(), args.end());
  auto server = std::make_unique<ServeProcess>(full, root_, dir_ / "logs", std::move(env));
  EXPECT_TRUE(server->wait_listening()) << server->output();
  return server;
}

Finished HardenTest::stork(std::vector<std::string> args, Env env) {
  return run_stork(std::move(args), root_, std::move(env), 60s);
}

std::string HardenTest::git_out(std::vector<std::string> args) const {
  return git(root_, std::move(args));
}

bool McpHttpClient::initialize() {
  auto answer = post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{)"
                     R"("protocolVersion":"2025-11-25","capabilities":{},)"
                     R"("clientInfo":{"name":"harden_test","version":"1"}}})");
  session_ = answer.header("mcp-session-id");
  if (answer.status != 200 || session_.empty()) return false;
  return post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").status == 202;
}

HttpAnswer McpHttpClient::post(const std::string& body, HeaderList more,
                               std::chrono::milliseconds timeout) const {
  HeaderList headers{{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!session_.empty()) {
    headers.emplace_back("Mcp-Session-Id", session_);
    headers.emplace_back("MCP-Protocol-Version", "2025-11-25");
  }
  headers.insert(headers.end(), more.begin(), more.end());
  return http_call(port_, "POST", "/mcp", headers, body, timeout);
}

json::value McpHttpClient::call_tool(const std::string& name, const std::string& arguments,
                                     int id) const {
  auto answer = post(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                     R"(,"method":"tools/call","params":{"name":")" + name + R"(","arguments":)" +
                     arguments + "}}");
  return parse_json(answer.body);
}

}  // namespace stork::testing
