// The Matrix bot end to end: the real `stork serve` against a scripted homeserver on loopback
// (tests/integration/matrix_homeserver.py, written from the Client-Server API spec). The bot
// joins on an allowed user's invite and declines a stranger's, answers `status` as a reply
// (plain and HTML, a typing notice meanwhile, through a rate limit), ignores strangers, starts
// a `command` agent with `start` and posts the block notification when its gate fails, answers
// a permission request by a reply to the request's message, refuses an encrypted room, comes
// back after the homeserver was away, and after its own restart answers no old command again
// while answering the one sent while it was down.
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "../e2e/scripted_server.hpp"
#include "http_probe.hpp"
#include "serve_process.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using testing::http_call;
using testing::ScriptedServer;
using testing::ServeProcess;

constexpr const char* kRoom = "!ops:localhost";
constexpr const char* kAlice = "@alice:localhost";
constexpr const char* kMallory = "@mallory:localhost";
constexpr const char* kToken = "bot-token";

using testing::eventually;

json::value parse(const std::string& text) {
  std::error_code error;
  auto value = json::parse(text, error);
  return error ? json::value() : value;
}

std::string str(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

class ChatMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_);
    testing::init_repo(root_);
    testing::write_project_files(root_, "#!/bin/sh\necho 'gate says no'\nexit 3\n");
    testing::git(root_, {"add", "."});
    testing::git(root_, {"commit", "-qm", "project"});
    testing::write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
                        "---\nname: Greet\n---\n\n## Acceptance Criteria\n\n- [ ] prints hello\n");
    testing::write_text(dir_ / "hs.json", R"({"token":")" + std::string(kToken) +
                                              R"(","bot":"@stork:localhost","password":"pw",)"
                                              R"("limit_sends":1,"state":")" +
                                              (dir_ / "hs-state.json").string() + R"("})");
    start_homeserver(0);
    write_config();
  }

  void start_homeserver(int port) {
    std::vector<std::string> extra;
    if (port != 0) extra = {"--port", std::to_string(port)};
    fs::create_directories(dir_ / "hs");
    hs_ = std::make_unique<ScriptedServer>(script(), dir_ / "hs.json", dir_ / "hs", extra);
    ASSERT_FALSE(hs_->failed()) << hs_->error();
  }

  static fs::path script() { return STORK_MATRIX_HOMESERVER; }

  void write_config() {
    testing::write_text(
        root_ / ".storkit/project.toml",
        "max_retries = 0\n"
        "[server]\npublic_url = \"http://board.example:3000/\"\n"
        "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\npermission_mode = \"ask\"\n"
        "command = \"/bin/sh\"\nargs = [\"-c\", '''echo hi > hello.txt && "
        "git add hello.txt && git commit -qm hello''']\n"
        "[chat.matrix]\nhomeserver = \"http://127.0.0.1:" +
            std::to_string(hs_->port()) +
            "\"\nuser_id = \"@stork:localhost\"\naccess_token_env = \"STORK_MATRIX_TOKEN\"\n"
            "rooms = [\"!ops:localhost\"]\nallowed_users = [\"@alice:localhost\"]\n"
            "sync_timeout_secs = 2\n"
            "[[notify]]\nkind = \"matrix\"\nevents = [\"blocked\", \"permission_request\"]\n");
  }

  using Environment = std::vector<std::pair<std::string, std::string>>;

  std::unique_ptr<ServeProcess> serving(const Environment& environment = {
                                            {"STORK_MATRIX_TOKEN", kToken}}) {
    auto server = std::make_unique<ServeProcess>(
        std::vector<std::string>{"serve", "--port", "0", "--project", root_.string()}, root_,
        dir_ / "logs", environment);
    EXPECT_TRUE(server->wait_listening()) << server->output();
    return server;
  }

  json::value test_call(const std::string& method, const std::string& name,
                        const std::string& body = {}) const {
    auto answer = http_call(static_cast<unsigned short>(hs_->port()), method, "/_test/" + name,
                            {{"Content-Type", "application/json"}}, body);
    return parse(answer.body);
  }

  std::string say(const std::string& sender, const std::string& body,
                  const std::string& in_reply_to = {}, const std::string& room = kRoom) const {
    json::object message{{"room", room}, {"sender", sender}, {"body", body}};
    if (!in_reply_to.empty()) message["in_reply_to"] = in_reply_to;
    return str(
        test_call("POST", "message", json::serialize(message)).as_object().if_contains("event_id"));
  }

  void invite(const std::string& room, const std::string& inviter, bool encrypted = false,
              bool direct = false) const {
    test_call("POST", "invite",
              json::serialize(json::object{{"room", room},
                                           {"inviter", inviter},
                                           {"encrypted", encrypted},
                                           {"is_direct", direct}}));
  }

  json::array sent() const {
    auto answer = test_call("GET", "sent");
    if (!answer.is_object() || !answer.as_object().contains("sent")) return {};
    return answer.as_object().at("sent").as_array();
  }

  json::object state() const {
    auto answer = test_call("GET", "state");
    return answer.is_object() ? answer.as_object() : json::object();
  }

  bool joined(const std::string& room) const {
    auto world = state();
    const auto* members = world.if_contains("members");
    if (members == nullptr || !members->as_object().contains(room)) return false;
    for (const auto& member : members->as_object().at(room).as_array()) {
      if (member == "@stork:localhost") return true;
    }
    return false;
  }

  // The bot's replies to `event_id`, in order.
  std::vector<json::object> replies_to(const std::string& event_id) const {
    std::vector<json::object> out;
    for (const auto& message : sent()) {
      const auto& content = message.as_object().at("content").as_object();
      const auto* relates = content.if_contains("m.relates_to");
      if (relates == nullptr) continue;
      const auto* reply = relates->as_object().if_contains("m.in_reply_to");
      if (reply != nullptr && str(reply->as_object().if_contains("event_id")) == event_id)
        out.push_back(content);
    }
    return out;
  }

  // The bot's messages carrying a notification of `event`.
  std::vector<json::object> notifications(const std::string& event) const {
    std::vector<json::object> out;
    for (const auto& message : sent()) {
      const auto& object = message.as_object();
      const auto& content = object.at("content").as_object();
      const auto* stork = content.if_contains("dev.stork.notification");
      if (stork != nullptr && str(stork->as_object().if_contains("event")) == event) {
        json::object entry = content;
        entry["event_id"] = object.at("event_id");
        out.push_back(entry);
      }
    }
    return out;
  }

  void join_ops(const ServeProcess& server) const {
    invite(kRoom, kAlice);
    ASSERT_TRUE(eventually([&] { return joined(kRoom); }, 20s)) << server.output();
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "repo";
  std::unique_ptr<ScriptedServer> hs_;
};

TEST_F(ChatMatrixTest, JoinsOnInvite_AnswersStatusAsReply_IgnoresStrangers) {
  auto server = serving();
  invite("!evil:localhost", kMallory);
  join_ops(*server);
  // The stranger's invite is declined (the bot leaves it), never joined.
  ASSERT_TRUE(eventually([&] { return state().contains("left"); }, 10s));
  EXPECT_FALSE(joined("!evil:localhost"));

  const auto stranger = say(kMallory, "!stork status");
  const auto asked = say(kAlice, "!stork status");
  ASSERT_TRUE(eventually([&] { return !replies_to(asked).empty(); }, 20s)) << server->output();
  const auto reply = replies_to(asked).front();
  EXPECT_EQ(str(reply.if_contains("msgtype")), "m.notice");
  EXPECT_THAT(str(reply.if_contains("body")), HasSubstr("Items: backlog 1, current 0"));
  EXPECT_EQ(str(reply.if_contains("format")), "org.matrix.custom.html");
  EXPECT_THAT(str(reply.if_contains("formatted_body")), HasSubstr("<p><b>Status</b></p>"));
  // Messages are handled in order: the stranger's came first and got nothing.
  EXPECT_TRUE(replies_to(stranger).empty());
  // A typing notice while the command ran, cleared after.
  const auto typing = json::serialize(state().at("typing"));
  EXPECT_THAT(typing, HasSubstr(R"("typing":true)"));
  EXPECT_THAT(typing, HasSubstr(R"("typing":false)"));
  // The first send was rate limited (429 M_LIMIT_EXCEEDED) and retried after retry_after_ms.
  bool limited = false;
  for (const auto& line : hs_->request_lines())
    limited |= line.find("\"status\": 429") != std::string::npos;
  EXPECT_TRUE(limited);

  // A group-room message without the prefix is not a command; an unknown one gets the usage.
  const auto chatter = say(kAlice, "status is fine today");
  const auto unknown = say(kAlice, "!stork launch 7");
  ASSERT_TRUE(eventually([&] { return !replies_to(unknown).empty(); }, 20s));
  EXPECT_THAT(str(replies_to(unknown).front().if_contains("body")),
              HasSubstr("unknown command 'launch'"));
  EXPECT_TRUE(replies_to(chatter).empty());
  EXPECT_EQ(replies_to(asked).size(), 1U);
}

TEST_F(ChatMatrixTest, StartRunsACommandAgent_AndTheBlockIsPostedWithABoardLink) {
  auto server = serving();
  join_ops(*server);
  const auto ambient = say(kAlice, "!stork ambient on");
  ASSERT_TRUE(eventually([&] { return !replies_to(ambient).empty(); }, 20s)) << server->output();
  const auto start = say(kAlice, "stork: start 7");
  ASSERT_TRUE(eventually([&] { return !replies_to(start).empty(); }, 20s)) << server->output();
  EXPECT_THAT(str(replies_to(start).front().if_contains("body")),
              HasSubstr("Started coder-1 on 7_story_greet"));
  // The gate fails (max_retries = 0): the item blocks and the room hears of it.
  ASSERT_TRUE(eventually([&] { return !notifications("blocked").empty(); }, 60s))
      << server->output();
  const auto notice = notifications("blocked").front();
  EXPECT_THAT(str(notice.if_contains("body")), HasSubstr("7_story_greet"));
  EXPECT_THAT(str(notice.if_contains("formatted_body")),
              HasSubstr("<a href=\"http://board.example:3000/items/7_story_greet\">"));

  // Ambient: the pipeline's own events of the item were posted in the room too.
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& message : sent()) {
          const auto& content = message.as_object().at("content").as_object();
          if (str(content.if_contains("body")) == "7_story_greet: blocked") return true;
        }
        return false;
      },
      20s));
  const auto show = say(kAlice, "!stork show 7");
  ASSERT_TRUE(eventually([&] { return !replies_to(show).empty(); }, 20s));
  EXPECT_THAT(str(replies_to(show).front().if_contains("body")), HasSubstr("Blocked: "));

  // reset: the worktree goes, the block is cleared, the item is back in the backlog.
  ASSERT_TRUE(fs::exists(root_ / ".storkit/worktrees/7_story_greet"));
  const auto reset = say(kAlice, "!stork reset 7");
  ASSERT_TRUE(eventually([&] { return !replies_to(reset).empty(); }, 30s)) << server->output();
  EXPECT_THAT(str(replies_to(reset).front().if_contains("body")),
              HasSubstr("Reset 7_story_greet: back in backlog"));
  EXPECT_TRUE(fs::exists(root_ / ".storkit/work/1_backlog/7_story_greet.md"));
  EXPECT_FALSE(fs::exists(root_ / ".storkit/worktrees/7_story_greet"));
  const auto after = say(kAlice, "!stork show 7");
  ASSERT_TRUE(eventually([&] { return !replies_to(after).empty(); }, 20s));
  EXPECT_THAT(str(replies_to(after).front().if_contains("body")), HasSubstr("Stage: backlog"));
  EXPECT_THAT(str(replies_to(after).front().if_contains("body")),
              ::testing::Not(HasSubstr("Blocked")));
}

TEST_F(ChatMatrixTest, DirectRoom_EveryMessageIsACommand) {
  auto server = serving();
  invite("!dm:localhost", kAlice, false, true);
  ASSERT_TRUE(eventually([&] { return joined("!dm:localhost"); }, 20s)) << server->output();
  const auto asked = say(kAlice, "overview", {}, "!dm:localhost");
  ASSERT_TRUE(eventually([&] { return !replies_to(asked).empty(); }, 20s)) << server->output();
  EXPECT_THAT(str(replies_to(asked).front().if_contains("body")), HasSubstr("7_story_greet"));
  const auto bad = say(kAlice, "start", {}, "!dm:localhost");
  ASSERT_TRUE(eventually([&] { return !replies_to(bad).empty(); }, 20s));
  EXPECT_EQ(str(replies_to(bad).front().if_contains("body")),
            "an item id is missing\n- start ID [AGENT]");
}

TEST_F(ChatMatrixTest, PermissionRequest_IsAnsweredByReplyingPermitToItsMessage) {
  auto server = serving();
  join_ops(*server);
  const auto port = server->port();
  // An agent's permission question over MCP (as Claude Code's --permission-prompt-tool asks
  // it), held for a person: coder-1 runs with permission_mode = "ask".
  auto asking = std::async(std::launch::async, [port] {
    testing::HeaderList headers{{"Content-Type", "application/json"},
                                {"Accept", "application/json, text/event-stream"},
                                {"X-Stork-Agent", "coder-1"},
                                {"X-Stork-Story", "7_story_greet"}};
    auto init = http_call(port, "POST", "/mcp", headers,
                          R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{)"
                          R"("protocolVersion":"2025-11-25","capabilities":{},)"
                          R"("clientInfo":{"name":"chat_test","version":"1"}}})");
    headers.emplace_back("Mcp-Session-Id", init.header("mcp-session-id"));
    headers.emplace_back("MCP-Protocol-Version", "2025-11-25");
    http_call(port, "POST", "/mcp", headers,
              R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    return http_call(port, "POST", "/mcp", headers,
                     R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{)"
                     R"("name":"prompt_permission","arguments":{"tool_name":"Bash",)"
                     R"("input":{"command":"make deploy"}}}})",
                     60s);
  });
  ASSERT_TRUE(eventually([&] { return !notifications("permission_request").empty(); }, 30s))
      << server->output();
  const auto request = notifications("permission_request").front();
  EXPECT_THAT(str(request.if_contains("body")), HasSubstr("Reply permit or deny"));
  const auto permit = say(kAlice, "!stork permit", str(request.if_contains("event_id")));
  ASSERT_EQ(asking.wait_for(30s), std::future_status::ready);
  const auto answer = asking.get();
  EXPECT_THAT(answer.body, HasSubstr("allow")) << answer.body;
  ASSERT_TRUE(eventually([&] { return !replies_to(permit).empty(); }, 20s));
  EXPECT_THAT(str(replies_to(permit).front().if_contains("body")), HasSubstr("Permitted request"));
}

TEST_F(ChatMatrixTest, EncryptedRoom_IsRefusedWithAMessage) {
  auto server = serving();
  invite("!secret:localhost", kAlice, true);
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& message : sent()) {
          if (str(message.as_object().if_contains("room")) == "!secret:localhost") return true;
        }
        return false;
      },
      20s))
      << server->output();
  std::string body;
  for (const auto& message : sent())
    body += json::serialize(message);
  EXPECT_THAT(body, HasSubstr("unencrypted room"));
}

TEST_F(ChatMatrixTest, HomeserverAway_TheBotComesBackAndAnswers) {
  auto server = serving();
  join_ops(*server);
  const int port = hs_->port();
  hs_.reset();  // the homeserver goes away (killed), its rooms kept in its state file
  // Away for 30 s (the issue's outage; the time passing is the test): the bot's syncs fail with
  // a growing backoff (1 s, 2 s, 4 s, ... capped at 30 s), and the server stays up.
  std::this_thread::sleep_for(30s);
  start_homeserver(port);
  const auto asked = say(kAlice, "!stork help");
  // The next try is at most the 30 s cap away, whatever the outage was.
  ASSERT_TRUE(eventually([&] { return !replies_to(asked).empty(); }, 45s)) << server->output();
  EXPECT_THAT(str(replies_to(asked).front().if_contains("body")), HasSubstr("reset ID"));
  EXPECT_THAT(server->err() + server->out(), HasSubstr("matrix: sync failed"));
}

TEST_F(ChatMatrixTest, Restart_AnswersNoOldCommandAgain_AndNoneSentMeanwhileIsLost) {
  std::string first;
  {
    auto server = serving();
    join_ops(*server);
    first = say(kAlice, "!stork git");
    ASSERT_TRUE(eventually([&] { return !replies_to(first).empty(); }, 20s)) << server->output();
    server->signal(SIGTERM);
    ASSERT_TRUE(server->wait_exit(15s).has_value());
  }
  const auto meanwhile = say(kAlice, "!stork overview");
  auto server = serving();
  ASSERT_TRUE(eventually([&] { return !replies_to(meanwhile).empty(); }, 30s)) << server->output();
  EXPECT_THAT(str(replies_to(meanwhile).front().if_contains("body")), HasSubstr("7_story_greet"));
  // One more round trip, so that anything the restart would repeat has had its chance.
  const auto last = say(kAlice, "!stork help");
  ASSERT_TRUE(eventually([&] { return !replies_to(last).empty(); }, 20s));
  EXPECT_EQ(replies_to(first).size(), 1U);
  EXPECT_EQ(replies_to(meanwhile).size(), 1U);
}

// Issue 19: with password_env the bot logs in itself, keeps the token the homeserver issued
// (a restart without the password still answers), and a wrong password says so.
TEST_F(ChatMatrixTest, PasswordLogin_KeepsTheIssuedTokenAndAWrongPasswordIsNamed) {
  auto toml = testing::read_text(root_ / ".storkit/project.toml");
  const std::string token_line = "access_token_env = \"STORK_MATRIX_TOKEN\"";
  toml.replace(toml.find(token_line), token_line.size(), "password_env = \"STORK_MATRIX_PW\"");
  // A matrix notification channel sends with access_token_env's token, which a password bot
  // has not got: that is a config error (ChatConfig.MatrixNotifyChannelNeedsTheChatTable).
  toml = toml.substr(0, toml.find("[[notify]]"));
  testing::write_text(root_ / ".storkit/project.toml", toml);
  {
    auto server = serving({{"STORK_MATRIX_PW", "not-the-password"}});
    ASSERT_TRUE(eventually(
        [&] {
          return server->output().find("login as @stork:localhost failed") != std::string::npos;
        },
        20s))
        << server->output();
    EXPECT_THAT(server->output(), HasSubstr("M_FORBIDDEN"));
    EXPECT_THAT(server->output(), HasSubstr("the password in STORK_MATRIX_PW"));
    EXPECT_FALSE(joined(kRoom));
    server->signal(SIGTERM);
    ASSERT_TRUE(server->wait_exit(15s).has_value());
  }
  {
    auto server = serving({{"STORK_MATRIX_PW", "pw"}});
    join_ops(*server);
    const auto asked = say(kAlice, "!stork help");
    ASSERT_TRUE(eventually([&] { return !replies_to(asked).empty(); }, 20s)) << server->output();
    server->signal(SIGTERM);
    ASSERT_TRUE(server->wait_exit(15s).has_value());
  }
  auto server = serving({});  // no password now: the stored token is all the bot has
  const auto asked = say(kAlice, "!stork git");
  ASSERT_TRUE(eventually([&] { return !replies_to(asked).empty(); }, 20s)) << server->output();
  EXPECT_THAT(server->output(), Not(HasSubstr("is not set")));
}

TEST_F(ChatMatrixTest, ChatCheck_LogsInSyncsOnceAndReports) {
  auto ok = testing::run_stork({"--project", root_.string(), "chat", "check"}, root_,
                               {{"STORK_MATRIX_TOKEN", kToken}});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("ok     whoami: @stork:localhost"));
  EXPECT_THAT(ok.out, HasSubstr("ok     sync: 0 rooms joined"));
  auto bad = testing::run_stork({"--project", root_.string(), "chat", "check"}, root_,
                                {{"STORK_MATRIX_TOKEN", "wrong"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.out, HasSubstr("FAILED whoami: HTTP 401 M_UNKNOWN_TOKEN"));
}

}  // namespace
}  // namespace stork
