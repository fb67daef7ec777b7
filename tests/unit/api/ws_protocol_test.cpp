// The client messages of /ws are parsed strictly; the hub's control messages have fixed shapes.
#include "api/ws_protocol.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace stork::api {
namespace {

TEST(WsProtocol, SubscribeToThePipelineOrARunWithOptionalAfterSeq) {
  auto pipeline = parse_client_message(R"({"type":"subscribe","pipeline":true,"after_seq":4})");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error();
  EXPECT_EQ(pipeline.value().kind, ClientRequest::Kind::Subscribe);
  EXPECT_FALSE(pipeline.value().run);
  EXPECT_EQ(pipeline.value().after_seq, 4);
  auto run = parse_client_message(R"({"type":"subscribe","run":7})");
  ASSERT_TRUE(run.ok()) << run.error();
  EXPECT_EQ(run.value().run, 7);
  EXPECT_FALSE(run.value().after_seq);
  auto agents = parse_client_message(R"({"type":"subscribe","agents":true})");
  ASSERT_TRUE(agents.ok()) << agents.error();
  EXPECT_TRUE(agents.value().agents);
  EXPECT_FALSE(agents.value().run);
  EXPECT_FALSE(pipeline.value().agents);
  auto off = parse_client_message(R"({"type":"unsubscribe","run":7})");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off.value().kind, ClientRequest::Kind::Unsubscribe);
}

TEST(WsProtocol, RefusesWhatItCannotUnderstandSayingWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"{not json", "not valid JSON"},
      {"[1]", "JSON object"},
      {R"({"pipeline":true})", "'type'"},
      {R"({"type":"listen","pipeline":true})", "unknown type 'listen'"},
      {R"({"type":"subscribe"})", "name one stream"},
      {R"({"type":"subscribe","pipeline":true,"run":3})", "name one stream"},
      {R"({"type":"subscribe","run":0})", "'run' must be at least 1"},
      {R"({"type":"subscribe","run":"3"})", "'run' must be an integer"},
      {R"({"type":"subscribe","pipeline":"yes"})", "'pipeline' must be true or false"},
      {R"({"type":"subscribe","pipeline":true,"after_seq":-1})", "'after_seq' must be at least 0"},
      {R"({"type":"subscribe","pipeline":true,"since":3})", "unknown field 'since'"},
      {R"({"type":"unsubscribe","pipeline":true,"after_seq":3})", "belongs to subscribe"},
      {R"({"type":"subscribe","agents":true,"pipeline":true})", "name one stream"},
      {R"({"type":"subscribe","agents":1})", "'agents' must be true or false"},
      {R"({"type":"subscribe","agents":true,"after_seq":0})", "no replay"},
  };
  for (const auto& [text, expected] : cases) {
    auto parsed = parse_client_message(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().find(expected), std::string::npos) << text << " → " << parsed.error();
  }
}

TEST(WsProtocol, ControlMessagesHaveTheirDocumentedShape) {
  EXPECT_EQ(boost::json::parse(subscribed_message(std::nullopt, 12)),
            boost::json::parse(R"({"type":"subscribed","pipeline":true,"last_seq":12})"));
  EXPECT_EQ(boost::json::parse(subscribed_message(5, std::nullopt)),
            boost::json::parse(R"({"type":"subscribed","run":5,"last_seq":null})"));
  EXPECT_EQ(boost::json::parse(unsubscribed_message(5)),
            boost::json::parse(R"({"type":"unsubscribed","run":5})"));
  EXPECT_EQ(boost::json::parse(agents_subscribed_message()),
            boost::json::parse(R"({"type":"subscribed","agents":true,"last_seq":null})"));
  EXPECT_EQ(boost::json::parse(agents_unsubscribed_message()),
            boost::json::parse(R"({"type":"unsubscribed","agents":true})"));
  EXPECT_EQ(boost::json::parse(resync_message("overflow")),
            boost::json::parse(R"({"type":"resync","reason":"overflow"})"));
  EXPECT_EQ(boost::json::parse(error_message("bad")),
            boost::json::parse(R"({"type":"error","message":"bad"})"));
}

}  // namespace
}  // namespace stork::api
