// Issue 16, item 7: run_command is cancelled with its call: when the MCP client disconnects
// from the call's SSE stream, on notifications/cancelled, and on DELETE /mcp; and commands at
// once are capped per session. Each command writes its pid and sleeps; the test waits for the
// pid to be gone (the server stopped and reaped it), with a bounded timeout.
#include <cerrno>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harden_fixture.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::HardenTest;
using ::testing::HasSubstr;
using testing::McpHttpClient;

std::string call_body(int id, const fs::path& pid_file) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"tools/call","params":{"name":"run_command","arguments":{"story_id":"7",)"
         R"("command":"echo $$ > )" +
         pid_file.string() + R"(; exec sleep 300","timeout_secs":600}}})";
}

// 0 until the command has written its pid.
pid_t read_pid(const fs::path& file) {
  std::ifstream in(file);
  long pid = 0;
  in >> pid;
  return in ? static_cast<pid_t>(pid) : 0;
}

bool gone(pid_t pid) {
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

class CommandCancel : public HardenTest {
 protected:
  void start(const std::string& toml_extra = "") {
    if (!toml_extra.empty()) {
      testing::write_text(root_ / ".storkit/project.toml",
                          testing::read_text(root_ / ".storkit/project.toml") + toml_extra);
    }
    fs::create_directories(marks_);
    server_ = serving();
    mcp_ = std::make_unique<McpHttpClient>(server_->port());
    ASSERT_TRUE(mcp_->initialize());
    auto made = mcp_->call_tool("create_worktree", R"({"story_id":"7"})");
    ASSERT_FALSE(made.at("result").at("isError").as_bool()) << boost::json::serialize(made);
  }
  // A JSON-answered run_command in the background; its answer lands in `answer`.
  std::thread background(int id, const fs::path& pid_file, testing::HttpAnswer& answer) {
    return std::thread(
        [this, id, pid_file, &answer] { answer = mcp_->post(call_body(id, pid_file), {}, 60s); });
  }
  pid_t wait_pid(const fs::path& file) {
    pid_t pid = 0;
    EXPECT_TRUE(testing::eventually([&] { return (pid = read_pid(file)) > 0; }, 20s))
        << server_->output();
    return pid;
  }

  fs::path marks_ = dir_ / "marks";
  std::unique_ptr<testing::ServeProcess> server_;
  std::unique_ptr<McpHttpClient> mcp_;
};

TEST_F(CommandCancel, ClientClosesTheCallsStream_CommandStops) {
  start();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server_->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const auto body = call_body(30, marks_ / "a");
  const std::string request =
      "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
      "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
      "Mcp-Session-Id: " +
      mcp_->session() +
      "\r\nMCP-Protocol-Version: 2025-11-25\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  const pid_t pid = wait_pid(marks_ / "a");
  ASSERT_GT(pid, 0);
  ::close(fd);
  EXPECT_TRUE(testing::eventually([&] { return gone(pid); }, 20s)) << "pid " << pid;
}

TEST_F(CommandCancel, NotificationsCancelled_CommandStops) {
  start();
  testing::HttpAnswer answer;
  auto call = background(31, marks_ / "b", answer);
  const pid_t pid = wait_pid(marks_ / "b");
  auto cancelled = mcp_->post(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":31}})");
  EXPECT_EQ(cancelled.status, 202);
  EXPECT_TRUE(testing::eventually([&] { return pid > 0 && gone(pid); }, 20s)) << "pid " << pid;
  call.join();
  EXPECT_THAT(answer.body, HasSubstr("cancelled"));
}

TEST_F(CommandCancel, DeleteSession_CommandStops) {
  start();
  testing::HttpAnswer answer;
  auto call = background(32, marks_ / "c", answer);
  const pid_t pid = wait_pid(marks_ / "c");
  auto deleted =
      testing::http_call(server_->port(), "DELETE", "/mcp", {{"Mcp-Session-Id", mcp_->session()}});
  EXPECT_LT(deleted.status, 300) << deleted.body;
  EXPECT_TRUE(testing::eventually([&] { return pid > 0 && gone(pid); }, 20s)) << "pid " << pid;
  call.join();
}

TEST_F(CommandCancel, CommandsPerSessionAreCapped_ClearErrorOverIt) {
  start("\n[limits]\ncommands_per_session = 2\n");
  testing::HttpAnswer first, second;
  auto one = background(33, marks_ / "d1", first);
  auto two = background(34, marks_ / "d2", second);
  const pid_t pid1 = wait_pid(marks_ / "d1");
  const pid_t pid2 = wait_pid(marks_ / "d2");
  auto third = mcp_->call_tool("run_command", R"({"story_id":"7","command":"true"})", 35);
  EXPECT_TRUE(third.at("result").at("isError").as_bool());
  EXPECT_THAT(boost::json::serialize(third), HasSubstr("too many commands at once"));
  EXPECT_THAT(boost::json::serialize(third), HasSubstr("commands_per_session"));
  auto deleted =
      testing::http_call(server_->port(), "DELETE", "/mcp", {{"Mcp-Session-Id", mcp_->session()}});
  EXPECT_TRUE(testing::eventually([&] { return gone(pid1) && gone(pid2); }, 20s));
  one.join();
  two.join();
}

}  // namespace
}  // namespace stork
