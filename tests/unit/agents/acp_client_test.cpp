// AcpClient's conversation, line by line, with the agent's side played by the test: the
// requests stork sends and in which order (initialize, session/new or session/load,
// session/prompt), its answers to the agent's fs and permission requests, and the events.
#include "agents/acp/acp_client.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::acp {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class AcpClientTest : public ::testing::Test {
 protected:
  AcpClient& client(std::optional<std::string> resume = std::nullopt) {
    AcpClientOptions options;
    options.worktree = dir_.path();
    options.prompt = "Do the work.";
    options.resume_session = std::move(resume);
    options.mcp_servers = json::array{json::object{{"type", "http"},
                                                   {"name", "storkit"},
                                                   {"url", "http://127.0.0.1:1/mcp"},
                                                   {"headers", json::array{}}}};
    options.ask_permission = [this](PermissionQuestion question, PermissionDone done) {
      questions_.push_back(question);
      done(allow_, "no");
    };
    client_ = std::make_unique<AcpClient>(std::move(options),
                                          [this](std::string line) { sent_.push_back(line); });
    client_->start();
    return *client_;
  }
  json::object last_sent() const { return json::parse(sent_.back()).as_object(); }
  void feed(const std::string& line) { client_->on_line(line, events_); }
  void initialize(bool load_session) {
    feed(
        R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":1,"agentCapabilities":{"loadSession":)" +
        std::string(load_session ? "true" : "false") + R"(,"mcpCapabilities":{"http":true}}}})");
  }

  stork::testing::TempDir dir_;
  std::unique_ptr<AcpClient> client_;
  std::vector<std::string> sent_;
  std::vector<agents::RuntimeEvent> events_;
  std::vector<PermissionQuestion> questions_;
  bool allow_ = true;
};

TEST_F(AcpClientTest, RunsInitializeNewSessionAndPromptThenFinishesAtTheAnswer) {
  client();
  ASSERT_EQ(sent_.size(), 1u);
  auto init = last_sent();
  EXPECT_EQ(init.at("method"), "initialize");
  EXPECT_EQ(init.at("params").at("clientCapabilities").at("fs").at("writeTextFile"), true);
  EXPECT_EQ(init.at("params").at("clientCapabilities").at("terminal"), false);

  initialize(false);
  auto session = last_sent();
  EXPECT_EQ(session.at("method"), "session/new");
  EXPECT_EQ(session.at("params").at("cwd"), json::value(dir_.path().string()));
  EXPECT_EQ(session.at("params").at("mcpServers").at(0).at("type"), "http");

  feed(R"({"jsonrpc":"2.0","id":2,"result":{"sessionId":"sess-1"}})");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].type, "session");
  EXPECT_EQ(events_[0].session_id, "sess-1");
  auto prompt = last_sent();
  EXPECT_EQ(prompt.at("method"), "session/prompt");
  EXPECT_EQ(prompt.at("params").at("prompt").at(0).at("text"), "Do the work.");
  EXPECT_FALSE(client_->finished());

  feed(
      R"({"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"sess-1","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"All done."}}}})");
  feed(R"({"jsonrpc":"2.0","id":3,"result":{"stopReason":"end_turn"}})");
  EXPECT_TRUE(client_->finished());
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[1].type, "assistant_text");
  EXPECT_EQ(events_[2].type, "result");
  EXPECT_FALSE(events_[2].failed_result);
  EXPECT_EQ(events_[2].session_id, "sess-1");
}

TEST_F(AcpClientTest, AnswersFsRequestsInsideTheWorktreeAndRefusesOthers) {
  client();
  initialize(false);
  feed(R"({"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}})");
  const auto path = (dir_.path() / "a.txt").string();
  feed(
      R"({"jsonrpc":"2.0","id":7,"method":"fs/write_text_file","params":{"sessionId":"s","path":")" +
      path + R"(","content":"hi\n"}})");
  EXPECT_TRUE(last_sent().at("result").is_null());
  EXPECT_EQ(last_sent().at("id"), 7);
  feed(
      R"({"jsonrpc":"2.0","id":8,"method":"fs/read_text_file","params":{"sessionId":"s","path":")" +
      path + R"("}})");
  EXPECT_EQ(last_sent().at("result").at("content"), "hi\n");
  feed(
      R"({"jsonrpc":"2.0","id":9,"method":"fs/read_text_file","params":{"sessionId":"s","path":"/etc/passwd"}})");
  EXPECT_THAT(std::string(last_sent().at("error").at("message").as_string()),
              HasSubstr("outside the worktree"));
  feed(R"({"jsonrpc":"2.0","id":10,"method":"terminal/create","params":{}})");
  EXPECT_EQ(last_sent().at("error").at("code"), kMethodNotFound);
  EXPECT_THAT(std::string(last_sent().at("error").at("message").as_string()),
              HasSubstr("'terminal/create'"));
  // An empty method name is still a request: it is answered, not dropped (found by the fuzzer).
  feed(R"({"jsonrpc":"2.0","id":11,"method":"","params":{}})");
  EXPECT_EQ(last_sent().at("id"), 11);
  EXPECT_EQ(last_sent().at("error").at("code"), kMethodNotFound);
}

TEST_F(AcpClientTest, PermissionRequestsAreAskedAndAnsweredWithTheMatchingOption) {
  client();
  initialize(false);
  feed(R"({"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}})");
  const std::string request =
      R"({"jsonrpc":"2.0","id":0,"method":"session/request_permission","params":{"sessionId":"s",)"
      R"("toolCall":{"toolCallId":"t1","title":"git commit","rawInput":{"command":"git commit"}},)"
      R"("options":[{"kind":"allow_always","optionId":"always"},{"kind":"allow_once","optionId":"once"},)"
      R"({"kind":"reject_once","optionId":"reject"}]}})";
  feed(request);
  ASSERT_EQ(questions_.size(), 1u);
  EXPECT_EQ(questions_[0].tool_use_id, "t1");
  EXPECT_THAT(questions_[0].input_json, HasSubstr("git commit"));
  EXPECT_EQ(last_sent().at("result").at("outcome").at("optionId"), "once");
  allow_ = false;
  feed(request);
  EXPECT_EQ(last_sent().at("result").at("outcome").at("optionId"), "reject");
}

TEST_F(AcpClientTest, ResumeLoadsTheSessionAndIgnoresTheReplayedHistory) {
  client("sess-old");
  initialize(true);
  auto load = last_sent();
  EXPECT_EQ(load.at("method"), "session/load");
  EXPECT_EQ(load.at("params").at("sessionId"), "sess-old");
  feed(
      R"({"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"sess-old","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"old"}}}})");
  feed(R"({"jsonrpc":"2.0","id":2,"result":{}})");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].type, "session");
  EXPECT_EQ(events_[0].session_id, "sess-old");
  EXPECT_EQ(last_sent().at("method"), "session/prompt");
  EXPECT_EQ(last_sent().at("params").at("sessionId"), "sess-old");
}

TEST_F(AcpClientTest, ResumeWithoutLoadSessionStartsANewSession) {
  client("sess-old");
  initialize(false);
  EXPECT_EQ(last_sent().at("method"), "session/new");
}

TEST_F(AcpClientTest, PromptErrorOf429EndsTheRunAsRateLimited) {
  client();
  initialize(false);
  feed(R"({"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}})");
  feed(
      R"({"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"Internal error: API Error: 429 rate_limit_error"}})");
  EXPECT_TRUE(client_->finished());
  ASSERT_GE(events_.size(), 2u);
  const auto& result = events_.back();
  EXPECT_EQ(result.type, "result");
  EXPECT_TRUE(result.failed_result);
  ASSERT_TRUE(result.rate_limit.has_value());
  EXPECT_TRUE(result.rate_limit->hard);
}

TEST_F(AcpClientTest, CancelSendsSessionCancelAndAnswersOpenQuestionsCancelled) {
  AcpClientOptions options;
  options.worktree = dir_.path();
  options.prompt = "p";
  PermissionDone held;
  options.ask_permission = [&held](PermissionQuestion, PermissionDone done) { held = done; };
  client_ = std::make_unique<AcpClient>(std::move(options),
                                        [this](std::string line) { sent_.push_back(line); });
  client_->start();
  initialize(false);
  feed(R"({"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}})");
  feed(
      R"({"jsonrpc":"2.0","id":5,"method":"session/request_permission","params":{"sessionId":"s","toolCall":{"toolCallId":"t"},"options":[]}})");
  const auto before = sent_.size();
  client_->cancel();
  ASSERT_EQ(sent_.size(), before + 2);
  EXPECT_EQ(json::parse(sent_[before]).at("result").at("outcome").at("outcome"), "cancelled");
  EXPECT_EQ(json::parse(sent_[before + 1]).at("method"), "session/cancel");
  held(true, "");  // a late answer to a withdrawn question sends nothing
  EXPECT_EQ(sent_.size(), before + 2);
}

}  // namespace
}  // namespace stork::acp
