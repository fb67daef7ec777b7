// Notifications end to end: the real `stork serve` and `stork notify test` against receivers on
// loopback written for these tests (tests/integration/notify_receiver.py: an HTTP webhook
// endpoint and a tiny SMTP server). An item blocks after its gate fails (max_retries = 0) or
// by the block operation; the receiver gets one message naming the item and the event; a
// receiver that is down while stork restarts still gets it, exactly once; Slack and Discord
// payloads have their documented shapes; an SMTP server that refuses leaves the error
// recorded and the message queued.
#include <chrono>
#include <functional>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "../e2e/scripted_server.hpp"
#include "http_probe.hpp"
#include "serve_process.hpp"
#include "state/sqlite.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using testing::eventually;

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using testing::http_call;
using testing::ScriptedServer;
using testing::ServeProcess;

json::object parse_object(const std::string& text) {
  std::error_code error;
  auto value = json::parse(text, error);
  return error || !value.is_object() ? json::object() : value.as_object();
}

std::string str(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

// One outbox row's state, read from state.db as a person debugging it would.
struct OutboxRow {
  std::int64_t attempts = 0;
  bool sent = false;
  std::string last_error;
};

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_);
    testing::init_repo(root_);
    testing::write_project_files(root_, "#!/bin/sh\necho 'gate says no'\nexit 3\n");
    testing::git(root_, {"add", "."});
    testing::git(root_, {"commit", "-qm", "project"});
    testing::write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
                        "---\nname: Greet\n---\n\n## Acceptance Criteria\n\n- [ ] prints hello\n");
  }

  // A coder that commits a file and ends; the gate (script/test) then fails.
  void write_config(const std::string& channels) {
    testing::write_text(root_ / ".storkit/project.toml",
                        "max_retries = 0\n"
                        "[server]\npublic_url = \"http://board.example:3000/\"\n"
                        "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\n"
                        "command = \"/bin/sh\"\nargs = [\"-c\", '''echo hi > hello.txt && "
                        "git add hello.txt && git commit -qm hello''']\n" +
                            channels);
  }

  std::unique_ptr<ScriptedServer> receiver(const std::string& scenario, const std::string& name,
                                           std::vector<std::string> extra = {}) {
    const auto file = dir_ / (name + ".json");
    testing::write_text(file, scenario);
    fs::create_directories(dir_ / name);
    auto server =
        std::make_unique<ScriptedServer>(receiver_script(), file, dir_ / name, std::move(extra));
    EXPECT_FALSE(server->failed()) << server->error();
    return server;
  }

  static fs::path receiver_script() { return STORK_NOTIFY_RECEIVER; }

  std::unique_ptr<ServeProcess> serving() {
    auto server = std::make_unique<ServeProcess>(
        std::vector<std::string>{"serve", "--port", "0", "--project", root_.string()}, root_,
        dir_ / "logs");
    EXPECT_TRUE(server->wait_listening()) << server->output();
    return server;
  }

  static void start_coder(const ServeProcess& server) {
    auto started = http_call(server.port(), "POST", "/api/agents/start",
                             {{"Content-Type", "application/json"}}, R"({"story_id":"7"})");
    ASSERT_EQ(started.status, 201) << started.body << started.error;
  }

  std::vector<OutboxRow> outbox() const {
    std::vector<OutboxRow> rows;
    auto db = state::Database::open(root_ / ".storkit" / "state.db");
    if (!db.ok()) return rows;
    auto query = db->prepare(
        "SELECT attempts, sent_at_ms IS NOT NULL, last_error FROM notify_outbox ORDER BY id");
    if (!query.ok()) return rows;
    for (;;) {
      auto step = query->step();
      if (!step.ok() || step.value() == state::Step::Done) break;
      rows.push_back(OutboxRow{query->column_int64(0), query->column_int64(1) != 0,
                               std::string(query->column_text(2))});
    }
    return rows;
  }

  std::int64_t blocked_event_time() const {
    auto db = state::Database::open(root_ / ".storkit" / "state.db");
    if (!db.ok()) return 0;
    auto query = db->prepare("SELECT time_ms FROM pipeline_events WHERE type = 'blocked'");
    if (!query.ok()) return 0;
    auto step = query->step();
    if (!step.ok() || step.value() == state::Step::Done) return 0;
    return query->column_int64(0);
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "repo";
};

std::string webhook_channel(int port, const std::string& format = "json") {
  return "[[notify]]\nkind = \"webhook\"\nformat = \"" + format +
         "\"\nurl = \"http://127.0.0.1:" + std::to_string(port) +
         "/hook\"\nevents = [\"blocked\"]\n";
}

TEST_F(NotifyTest, Webhook_ItemBlockedByFailingGate_OneJsonMessageWithinASecond) {
  auto hook = receiver(R"({"mode":"http"})", "hook");
  write_config(webhook_channel(hook->port()));
  auto server = serving();
  start_coder(*server);
  ASSERT_TRUE(eventually([&] { return hook->request_lines().size() == 1; }, 30s))
      << server->output();
  const auto request = parse_object(hook->request_lines().front());
  const auto body = parse_object(str(request.if_contains("body")));
  EXPECT_EQ(str(body.if_contains("event")), "blocked");
  EXPECT_EQ(str(body.if_contains("story")), "7_story_greet");
  EXPECT_EQ(str(body.if_contains("link")), "http://board.example:3000/items/7_story_greet");
  EXPECT_THAT(str(body.if_contains("detail")), HasSubstr("gate"));
  const std::string key = str(body.if_contains("idempotency_key"));
  EXPECT_FALSE(key.empty());
  const auto headers = request.at("headers").as_object();
  EXPECT_EQ(str(headers.if_contains("Idempotency-Key")), key);
  // Within a second of the block (the receiver stamps its arrival).
  const auto received = request.at("received_ms").to_number<std::int64_t>();
  EXPECT_LT(received - blocked_event_time(), 1000);
  // Marked sent after the 2xx; nothing else was posted.
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox().front().sent; }, 5s));
  EXPECT_EQ(hook->request_lines().size(), 1U);

  // The board's list: unread until marked read.
  auto listed = http_call(server->port(), "GET", "/api/notifications");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto page = parse_object(listed.body);
  EXPECT_EQ(page.at("unread").as_int64(), 1);
  const auto& first = page.at("notifications").as_array().at(0).as_object();
  EXPECT_EQ(str(first.if_contains("event")), "blocked");
  EXPECT_EQ(str(first.if_contains("key")), key);
  auto read = http_call(server->port(), "POST", "/api/notifications/read",
                        {{"Content-Type", "application/json"}}, R"({"all":true})");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(parse_object(read.body).at("unread").as_int64(), 0);
  auto bad = http_call(server->port(), "POST", "/api/notifications/read",
                       {{"Content-Type", "application/json"}}, R"({"ids":[0]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(NotifyTest, Webhook_ReceiverDownAcrossRestart_ArrivesExactlyOnceWhenUp) {
  int port = 0;
  {
    auto probe = receiver(R"({"mode":"http"})", "probe");
    port = probe->port();
  }  // down: nothing listens on `port` now
  write_config(webhook_channel(port));
  auto server = serving();
  start_coder(*server);
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox().front().attempts >= 1; }, 30s))
      << server->output();
  EXPECT_FALSE(outbox().front().sent);
  EXPECT_FALSE(outbox().front().last_error.empty());
  const auto attempts_before = outbox().front().attempts;
  server->signal(SIGTERM);
  ASSERT_EQ(server->wait_exit(15s), 0) << server->output();

  server = serving();  // the pending row is tried again at start (still down)
  ASSERT_TRUE(eventually([&] { return outbox().front().attempts > attempts_before; }, 10s))
      << server->output();
  auto hook = receiver(R"({"mode":"http"})", "hook", {"--port", std::to_string(port)});
  ASSERT_TRUE(eventually([&] { return outbox().front().sent; }, 20s)) << server->output();
  ASSERT_EQ(hook->request_lines().size(), 1U);
  const auto body =
      parse_object(str(parse_object(hook->request_lines().front()).if_contains("body")));
  EXPECT_EQ(str(body.if_contains("story")), "7_story_greet");
  EXPECT_EQ(outbox().size(), 1U);
}

TEST_F(NotifyTest, Webhook_ErrorAnswer_RetriedWithTheSameKeyAndSentAfterA2xx) {
  auto hook = receiver(R"({"mode":"http","statuses":[503]})", "hook");
  write_config(webhook_channel(hook->port()));
  auto server = serving();
  start_coder(*server);
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox().front().sent; }, 30s))
      << server->output();
  const auto lines = hook->request_lines();
  ASSERT_EQ(lines.size(), 2U);
  auto key = [](const std::string& line) {
    return str(
        parse_object(str(parse_object(line).if_contains("body"))).if_contains("idempotency_key"));
  };
  EXPECT_EQ(key(lines[0]), key(lines[1]));
  EXPECT_EQ(outbox().front().attempts, 2);
}

TEST_F(NotifyTest, NotifyTest_SlackAndDiscordPayloadsHaveTheirDocumentedShapes) {
  auto slack = receiver(R"({"mode":"http"})", "slack");
  auto discord = receiver(R"({"mode":"http"})", "discord");
  write_config(webhook_channel(slack->port(), "slack") + "name = \"team-slack\"\n" +
               webhook_channel(discord->port(), "discord") + "name = \"team-discord\"\n");
  auto run = testing::run_stork({"notify", "test"}, root_);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("ok     team-slack (webhook) HTTP 200"));
  EXPECT_THAT(run.out, HasSubstr("ok     team-discord (webhook) HTTP 200"));

  ASSERT_EQ(slack->request_lines().size(), 1U);
  const auto s = parse_object(str(parse_object(slack->request_lines()[0]).if_contains("body")));
  EXPECT_THAT(str(s.if_contains("text")), HasSubstr("stork test notification"));
  const auto& block = s.at("blocks").as_array().at(0).as_object();
  EXPECT_EQ(str(block.if_contains("type")), "section");
  EXPECT_EQ(str(block.at("text").as_object().if_contains("type")), "mrkdwn");
  EXPECT_THAT(str(block.at("text").as_object().if_contains("text")),
              HasSubstr("<http://board.example:3000/|Open on the board>"));

  ASSERT_EQ(discord->request_lines().size(), 1U);
  const auto d = parse_object(str(parse_object(discord->request_lines()[0]).if_contains("body")));
  EXPECT_THAT(str(d.if_contains("content")), HasSubstr("stork test notification"));
  const auto& embed = d.at("embeds").as_array().at(0).as_object();
  EXPECT_EQ(str(embed.if_contains("title")), "stork test notification");
  EXPECT_EQ(str(embed.if_contains("url")), "http://board.example:3000/");
  EXPECT_TRUE(d.at("allowed_mentions").as_object().at("parse").as_array().empty());
}

std::string email_channel(int port) {
  return "[[notify]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" +
         std::to_string(port) +
         "\"\nfrom = \"stork@example.com\"\nto = [\"dev@example.com\"]\n"
         "events = [\"blocked\"]\n";
}

TEST_F(NotifyTest, Email_BlockOperation_MailWithSubjectAndLink) {
  auto smtp = receiver(R"({"mode":"smtp"})", "smtp");
  write_config(email_channel(smtp->port()));
  auto server = serving();
  auto blocked = http_call(server->port(), "POST", "/api/items/7/block",
                           {{"Content-Type", "application/json"}}, R"({"reason":"needs a human"})");
  ASSERT_EQ(blocked.status, 200) << blocked.body;
  ASSERT_TRUE(eventually([&] { return smtp->request_lines().size() == 1; }, 10s))
      << server->output();
  const auto mail = parse_object(smtp->request_lines().front());
  EXPECT_EQ(str(mail.if_contains("from")), "<stork@example.com>");
  EXPECT_EQ(mail.at("to").as_array().at(0).as_string(), "<dev@example.com>");
  const std::string data = str(mail.if_contains("data"));
  EXPECT_THAT(data, HasSubstr("Subject: [stork] 7_story_greet is blocked\r\n"));
  EXPECT_THAT(data, HasSubstr("needs a human"));
  EXPECT_THAT(data, HasSubstr("http://board.example:3000/items/7_story_greet"));
  EXPECT_THAT(data, HasSubstr("X-Stork-Idempotency-Key: pipeline:"));
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox().front().sent; }, 5s));
}

TEST_F(NotifyTest, Email_ServerRefuses_ErrorRecordedRetriedNothingLost) {
  auto smtp = receiver(R"({"mode":"smtp","refuse":true})", "smtp");
  write_config(email_channel(smtp->port()));
  auto run = testing::run_stork({"notify", "test"}, root_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("FAILED mail (email)"));
  EXPECT_THAT(run.out, HasSubstr("550"));

  auto server = serving();
  auto blocked = http_call(server->port(), "POST", "/api/items/7/block",
                           {{"Content-Type", "application/json"}}, R"({"reason":"stop"})");
  ASSERT_EQ(blocked.status, 200) << blocked.body;
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox().front().attempts >= 2; }, 15s))
      << server->output();
  const auto row = outbox().front();
  EXPECT_FALSE(row.sent);
  EXPECT_THAT(row.last_error, HasSubstr("550"));
}

TEST_F(NotifyTest, Config_WebhookUrlNotHttp_IsAnErrorNamingFileAndLine) {
  write_config(
      "[[notify]]\nkind = \"webhook\"\nurl = \"ftp://example.com/hook\"\n"
      "events = [\"blocked\", \"blocekd\"]\n");
  auto run = testing::run_stork({"config", "check"}, root_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("project.toml:"));
  EXPECT_THAT(run.err,
              HasSubstr("must start with http:// or https://, got 'ftp://example.com/hook'"));
  EXPECT_THAT(run.err, HasSubstr("unknown event 'blocekd'"));
  auto test = testing::run_stork({"notify", "test"}, root_);
  EXPECT_EQ(test.exit_code, 1);
}

}  // namespace
}  // namespace stork
