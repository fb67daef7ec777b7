// The Matrix JSON the bot reads and writes: a /sync answer's invites, messages and encrypted
// rooms; the reply content with formatted_body and m.relates_to; notification keys; the
// backoff.
#include "chat/matrix_protocol.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "chat/matrix_bot.hpp"
#include "notify/matrix_http.hpp"

namespace stork::chat {
namespace {

namespace json = boost::json;
const std::string kBot = "@stork:example.org";

TEST(MatrixSync, ReadsInvitesMessagesRepliesAndEncryption) {
  auto sync = json::parse(R"({
    "next_batch": "s42",
    "rooms": {
      "invite": {"!new:x": {"invite_state": {"events": [
        {"type": "m.room.name", "state_key": "", "content": {"name": "ops"}},
        {"type": "m.room.member", "state_key": "@stork:example.org", "sender": "@alice:x",
         "content": {"membership": "invite", "is_direct": true}}]}}},
      "join": {
        "!ops:x": {"timeline": {"events": [
          {"type": "m.room.message", "event_id": "$1", "sender": "@alice:x",
           "content": {"msgtype": "m.text", "body": "!stork status"}},
          {"type": "m.room.message", "event_id": "$2", "sender": "@stork:example.org",
           "content": {"msgtype": "m.notice", "body": "Status"}},
          {"type": "m.room.message", "event_id": "$3", "sender": "@bob:x",
           "content": {"msgtype": "m.notice", "body": "another bot"}},
          {"type": "m.room.message", "event_id": "$4", "sender": "@alice:x",
           "content": {"msgtype": "m.text", "body": "permit",
                       "m.relates_to": {"m.in_reply_to": {"event_id": "$0"}}}}]}},
        "!secret:x": {"state": {"events": [
          {"type": "m.room.encryption", "state_key": "", "content": {}}]},
          "timeline": {"events": [{"type": "m.room.encrypted", "event_id": "$9",
                                   "sender": "@alice:x", "content": {}}]}}},
      "leave": {"!old:x": {}}}})");
  auto batch = parse_sync(sync, kBot);
  ASSERT_TRUE(batch.ok()) << batch.error();
  EXPECT_EQ(batch.value().next_batch, "s42");
  ASSERT_EQ(batch.value().invites.size(), 1U);
  EXPECT_EQ(batch.value().invites[0].room, "!new:x");
  EXPECT_EQ(batch.value().invites[0].inviter, "@alice:x");
  EXPECT_TRUE(batch.value().invites[0].direct);
  ASSERT_EQ(batch.value().messages.size(), 2U);  // not the bot's own, not m.notice
  EXPECT_EQ(batch.value().messages[0].event_id, "$1");
  EXPECT_EQ(batch.value().messages[0].body, "!stork status");
  EXPECT_FALSE(batch.value().messages[0].in_reply_to);
  EXPECT_EQ(batch.value().messages[1].in_reply_to.value_or(""), "$0");
  EXPECT_EQ(batch.value().encrypted, std::vector<std::string>{"!secret:x"});
  EXPECT_EQ(batch.value().left, std::vector<std::string>{"!old:x"});
}

TEST(MatrixSync, RefusesAnswersWithoutNextBatch) {
  EXPECT_FALSE(parse_sync(json::parse(R"({"rooms":{}})"), kBot).ok());
  EXPECT_FALSE(parse_sync(json::parse("[]"), kBot).ok());
  auto empty = parse_sync(json::parse(R"({"next_batch":"s1"})"), kBot);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().messages.empty());
}

TEST(MatrixSync, DropsMessagesWithoutSenderEventIdOrRoom) {
  const auto sync = json::parse(R"({"next_batch":"s2","rooms":{"join":{
    "!r:x":{"timeline":{"events":[
      {"type":"m.room.message","event_id":"$1","content":{"msgtype":"m.text","body":"a"}},
      {"type":"m.room.message","sender":"@a:x","content":{"msgtype":"m.text","body":"b"}},
      {"type":"m.room.message","event_id":"$3","sender":"@a:x",
       "content":{"msgtype":"m.text","body":"c"}}]}},
    "":{"timeline":{"events":[{"type":"m.room.message","event_id":"$4","sender":"@a:x",
       "content":{"msgtype":"m.text","body":"d"}}]}}}}})");
  auto batch = parse_sync(sync, kBot);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch.value().messages.size(), 1U);
  EXPECT_EQ(batch.value().messages[0].event_id, "$3");
  EXPECT_EQ(batch.value().messages[0].body, "c");
}

TEST(MatrixContent, ReplyWithHtmlAndRelation) {
  const auto content = message_content(ChatReply{"a <b>", "<p>a &lt;b&gt;</p>"}, "$7", "k:1");
  EXPECT_EQ(json::serialize(content),
            R"({"msgtype":"m.notice","body":"a <b>","format":"org.matrix.custom.html",)"
            R"("formatted_body":"<p>a &lt;b&gt;</p>","m.relates_to":{"m.in_reply_to":)"
            R"({"event_id":"$7"}},"dev.stork.notification":{"key":"k:1"}})");
  EXPECT_FALSE(message_content(ChatReply{"x", "x"}, std::nullopt).contains("m.relates_to"));
}

TEST(MatrixContent, NotificationKeysAndPermissionIds) {
  auto event =
      json::parse(R"({"content":{"body":"x","dev.stork.notification":{"key":"permission:p-12"}}})");
  EXPECT_EQ(notification_key_of(event).value_or(""), "permission:p-12");
  EXPECT_EQ(permission_request_of("permission:p-12").value_or(""), "p-12");
  EXPECT_FALSE(permission_request_of("pipeline:3"));
  EXPECT_FALSE(permission_request_of("permission:"));
  EXPECT_FALSE(notification_key_of(json::parse(R"({"content":{"body":"x"}})")));
}

TEST(MatrixPaths, SyncPathAndSegments) {
  EXPECT_EQ(sync_path(std::nullopt, 0), "/_matrix/client/v3/sync?timeout=0");
  EXPECT_EQ(sync_path("s1_2/3", 30000), "/_matrix/client/v3/sync?timeout=30000&since=s1_2%2F3");
  EXPECT_EQ(notify::url_segment("!abc:example.org"), "%21abc%3Aexample.org");
  EXPECT_EQ(json::serialize(json::parse(password_login_body("@stork:x", "p\"w"))),
            R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"@stork:x"},)"
            R"("password":"p\"w","initial_device_display_name":"stork"})");
}

TEST(MatrixBackoff, DoublesUpToTheCap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(backoff_delay(1, milliseconds(1000), milliseconds(60000)), milliseconds(1000));
  EXPECT_EQ(backoff_delay(2, milliseconds(1000), milliseconds(60000)), milliseconds(2000));
  EXPECT_EQ(backoff_delay(4, milliseconds(1000), milliseconds(60000)), milliseconds(8000));
  EXPECT_EQ(backoff_delay(30, milliseconds(1000), milliseconds(60000)), milliseconds(60000));
}

// Issue 19: after an outage of any length the bot tries again at most 30 s after the
// homeserver returned (the old 2 min cap could leave it silent for up to 2 min).
TEST(MatrixBackoff, TheDefaultCapBoundsTheWaitAfterAnyOutageToThirtySeconds) {
  using namespace std::chrono_literals;
  const MatrixBotOptions options;
  EXPECT_EQ(options.backoff_cap, 30s);
  std::chrono::milliseconds waited{0};
  for (int failures = 1; failures <= 200; ++failures) {
    const auto delay = backoff_delay(failures, options.backoff_base, options.backoff_cap);
    EXPECT_LE(delay, 30s) << failures;
    EXPECT_GE(delay, options.backoff_base) << failures;
    waited += delay;
  }
  EXPECT_GE(waited, 190 * 30s);  // it keeps trying, at the cap, however long the outage
}

}  // namespace
}  // namespace stork::chat
