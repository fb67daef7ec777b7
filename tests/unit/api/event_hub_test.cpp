// The /ws event stream: live pipeline and run events in order, replay after a reconnect with
// no gap and no duplicate (also while events keep coming), overflow → resync, bad messages.
#include <atomic>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../http/http_test_client.hpp"
#include "api_fixture.hpp"

namespace stork::testing {
namespace {

using http::testing::WsTestClient;
using ::testing::HasSubstr;
namespace json = boost::json;

std::optional<json::object> next(WsTestClient& client,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto text = client.receive(timeout);
  if (!text) return std::nullopt;
  auto value = json::parse(*text);
  EXPECT_TRUE(value.is_object()) << *text;
  return value.as_object();
}

std::string type_of(const json::object& message) {
  return std::string(message.at("type").as_string());
}

// The type of the next message, or "(none)" when none came.
std::string next_type(WsTestClient& client) {
  auto message = next(client);
  return message ? type_of(*message) : "(none)";
}

class EventHubTest : public ApiTest {
 protected:
  // One pipeline event each, no git involved: block and unblock alternate.
  void make_events(int count) {
    for (int i = 0; i < count; ++i, ++made_) {
      const std::string story = "1_story_a";
      if (made_ % 2 == 0) {
        const std::string reason = "r" + std::to_string(made_);
        ASSERT_TRUE(run(pipeline_->block(story, reason)).ok());
      } else {
        ASSERT_TRUE(run(pipeline_->unblock(story)).ok());
      }
    }
  }
  std::vector<std::int64_t> journal_after(std::int64_t seq) {
    std::vector<std::int64_t> seqs;
    for (const auto& event : run(pipeline_->events_after(seq)))
      seqs.push_back(event.seq);
    return seqs;
  }
  int made_ = 0;

  std::int64_t last_journal_seq() {
    auto seqs = journal_after(0);
    return seqs.empty() ? 0 : seqs.back();
  }
};

TEST_F(EventHubTest, PipelineSubscription_GetsLiveEventsInOrder) {
  start_api();
  add_item(Stage::Backlog, "1_story_a");
  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected()) << client.error();
  client.send(R"({"type":"subscribe","pipeline":true})");
  auto ack = next(client);
  ASSERT_TRUE(ack);
  EXPECT_EQ(type_of(*ack), "subscribed");
  EXPECT_EQ(ack->at("last_seq"), nullptr);
  make_events(4);
  std::vector<std::string> types;
  std::int64_t previous = 0;
  while (types.size() < 4) {
    auto event = next(client);
    ASSERT_TRUE(event) << "after " << types.size() << " events";
    ASSERT_EQ(type_of(*event), "pipeline_event");
    EXPECT_GT(event->at("seq").as_int64(), previous);
    previous = event->at("seq").as_int64();
    EXPECT_EQ(event->at("story"), "1_story_a");
    types.emplace_back(event->at("event_type").as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"blocked", "unblocked", "blocked", "unblocked"}));
}

TEST_F(EventHubTest, Reconnect_WithAfterSeqGetsTheMissedThenLiveEventsWithoutGapOrDuplicate) {
  // Pages of two make the replay take many steps, so live events certainly arrive during it,
  // some of them also read by its later pages.
  start_api({}, {}, /*replay_page=*/2);
  add_item(Stage::Backlog, "1_story_a");
  make_events(6);
  const auto seen = last_journal_seq() - 3;  // the client saw all but the last three
  make_events(20);                           // and missed these while away

  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected());
  std::thread producer([&] {  // live events keep coming during the replay
    for (int i = 0; i < 40; ++i)
      make_events(1);
  });
  client.send(R"({"type":"subscribe","pipeline":true,"after_seq":)" + std::to_string(seen) + "}");
  producer.join();
  const auto expected = journal_after(seen);
  std::vector<std::int64_t> received;
  std::optional<std::int64_t> acknowledged;
  std::size_t ack_position = 0;
  while (received.size() < expected.size() || !acknowledged) {
    auto message = next(client);
    ASSERT_TRUE(message) << "got " << received.size() << " of " << expected.size();
    if (type_of(*message) == "subscribed") {
      ASSERT_FALSE(acknowledged) << "acknowledged twice";
      acknowledged = message->at("last_seq").as_int64();
      ack_position = received.size();
      continue;
    }
    ASSERT_EQ(type_of(*message), "pipeline_event") << json::serialize(*message);
    received.push_back(message->at("seq").as_int64());
  }
  EXPECT_FALSE(client.receive(std::chrono::milliseconds(200)));  // and nothing twice
  ASSERT_TRUE(acknowledged);
  EXPECT_EQ(received, expected);  // every seq after `seen`, once, in order
  ASSERT_GE(ack_position, 3u);
  EXPECT_EQ(received[ack_position - 1], *acknowledged);
}

TEST_F(EventHubTest, RunSubscription_ReplaysFromTheStartThenStreamsUntilDone) {
  start_api({TestAgent{"printer", "other",
                       "i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.01; done"}},
            {}, /*replay_page=*/2);
  add_item(Stage::Current, "1_story_a");
  auto started = start("1_story_a", "printer");
  ASSERT_TRUE(started.ok());
  const auto run_id = started.value().run_id;
  ASSERT_TRUE(eventually([&] {
    auto page = get("/api/runs/" + std::to_string(run_id) + "/events");
    return page.object().at("events").as_array().size() >= 5;
  }));
  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected());
  client.send(R"({"type":"subscribe","after_seq":0,"run":)" + std::to_string(run_id) + "}");
  std::vector<std::int64_t> seqs;
  bool acknowledged = false;
  while (true) {
    auto message = next(client);
    ASSERT_TRUE(message) << "no done event; got " << seqs.size() << " events";
    if (type_of(*message) == "subscribed") {
      acknowledged = true;
      continue;
    }
    ASSERT_EQ(type_of(*message), "run_event");
    EXPECT_EQ(message->at("run_id"), run_id);
    EXPECT_EQ(message->at("story"), "1_story_a");
    EXPECT_EQ(message->at("agent"), "printer");
    seqs.push_back(message->at("seq").as_int64());
    if (message->at("event_type") == "done") break;
  }
  EXPECT_TRUE(acknowledged);
  for (std::size_t i = 0; i < seqs.size(); ++i)
    ASSERT_EQ(seqs[i], static_cast<std::int64_t>(i + 1)) << "at " << i;
  auto stored = get("/api/runs/" + std::to_string(run_id) + "/events?limit=10000");
  EXPECT_EQ(stored.object().at("events").as_array().size(), seqs.size());
}

TEST_F(EventHubTest, AgentsSubscription_TellsEveryStatusChangeOfEveryRunUntilUnsubscribed) {
  start_api({TestAgent{"quick", "other", "echo hi"}});
  add_item(Stage::Current, "1_story_a");
  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected());
  client.send(R"({"type":"subscribe","agents":true})");
  auto ack = next(client);
  ASSERT_TRUE(ack);
  EXPECT_EQ(type_of(*ack), "subscribed");
  EXPECT_EQ(ack->at("agents"), true);
  auto started = start("1_story_a", "quick");
  ASSERT_TRUE(started.ok());
  std::vector<std::string> statuses;
  while (statuses.empty() || statuses.back() != "completed") {
    auto message = next(client);
    ASSERT_TRUE(message) << "statuses so far: " << statuses.size();
    ASSERT_EQ(type_of(*message), "agent_status") << json::serialize(*message);
    EXPECT_EQ(message->at("run_id"), started.value().run_id);
    EXPECT_EQ(message->at("story"), "1_story_a");
    EXPECT_EQ(message->at("agent"), "quick");
    EXPECT_GT(message->at("time_ms").as_int64(), 0);
    statuses.emplace_back(message->at("status").as_string());
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"pending", "running", "completed"}));
  client.send(R"({"type":"unsubscribe","agents":true})");
  EXPECT_EQ(next_type(client), "unsubscribed");
  ASSERT_TRUE(start("1_story_a", "quick").ok());
  EXPECT_FALSE(client.receive(std::chrono::milliseconds(300)));  // nothing after unsubscribing
}

TEST_F(EventHubTest, Unsubscribe_EndsTheStream) {
  start_api();
  add_item(Stage::Backlog, "1_story_a");
  WsTestClient client(port(), "/ws");
  client.send(R"({"type":"subscribe","pipeline":true})");
  ASSERT_EQ(next_type(client), "subscribed");
  client.send(R"({"type":"unsubscribe","pipeline":true})");
  ASSERT_EQ(next_type(client), "unsubscribed");
  make_events(2);
  EXPECT_FALSE(client.receive(std::chrono::milliseconds(300)));
}

TEST_F(EventHubTest, Overflow_SendsResyncAndEndsItsSubscriptionsWhileOthersCarryOn) {
  http::ServerOptions options;
  options.ws_queue_messages = 4;
  start_api({}, options);
  add_item(Stage::Backlog, "1_story_a");
  make_events(100);
  WsTestClient steady(port(), "/ws");
  steady.send(R"({"type":"subscribe","pipeline":true})");
  ASSERT_EQ(next_type(steady), "subscribed");

  // A replay of 100 events at once is more than a queue of 4 can hold.
  WsTestClient burst(port(), "/ws");
  burst.send(R"({"type":"subscribe","pipeline":true,"after_seq":0})");
  std::optional<json::object> resync;
  while (auto message = next(burst)) {
    if (type_of(*message) == "resync") {
      resync = message;
      break;
    }
    ASSERT_EQ(type_of(*message), "pipeline_event");
  }
  ASSERT_TRUE(resync) << "no resync message";
  EXPECT_THAT(std::string(resync->at("reason").as_string()), HasSubstr("after_seq"));
  EXPECT_THAT(metrics_->render(), HasSubstr("stork_ws_resyncs_total 1"));

  make_events(1);
  auto live = next(steady);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->at("event_type"), "blocked");
  // Its subscription ended: the ack of a new one is the next thing it gets, not that event.
  burst.send(R"({"type":"subscribe","pipeline":true})");
  ASSERT_EQ(next_type(burst), "subscribed");
  make_events(1);
  for (auto* client : {&burst, &steady}) {
    auto event = next(*client);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->at("event_type"), "unblocked");
  }
}

TEST_F(EventHubTest, BadMessagesAndUnknownRunsGetErrorMessages) {
  start_api();
  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected());
  client.send("hello");
  auto error = next(client);
  ASSERT_TRUE(error);
  EXPECT_EQ(type_of(*error), "error");
  EXPECT_THAT(std::string(error->at("message").as_string()), HasSubstr("not valid JSON"));
  client.send(R"({"type":"subscribe","run":999,"after_seq":0})");
  error = next(client);
  ASSERT_TRUE(error);
  EXPECT_EQ(type_of(*error), "error");
  EXPECT_THAT(std::string(error->at("message").as_string()), HasSubstr("no run 999"));
  EXPECT_TRUE(eventually([&] { return hub_->client_count() == 1; }));
}

// Issue 16: without after_seq too, a run that does not exist is an error, not "subscribed".
TEST_F(EventHubTest, SubscribeToAnUnknownRunWithoutAfterSeqIsAnError) {
  start_api();
  WsTestClient client(port(), "/ws");
  ASSERT_TRUE(client.connected());
  client.send(R"({"type":"subscribe","run":998})");
  auto error = next(client);
  ASSERT_TRUE(error);
  EXPECT_EQ(type_of(*error), "error");
  EXPECT_THAT(std::string(error->at("message").as_string()), HasSubstr("no run 998"));
}

}  // namespace
}  // namespace stork::testing
