// What each channel receives: the json, Slack and Discord bodies and the email message.
#include "notify/message.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::notify {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

state::NotificationRecord blocked() {
  state::NotificationRecord record;
  record.id = 3;
  record.key = "pipeline:42";
  record.time_ms = 1700000000000;
  record.event = "blocked";
  record.story = "7_story_greet";
  record.title = "7_story_greet is blocked";
  record.detail = "gate failed <!channel> & more";
  record.link = item_link("https://board.example", "7_story_greet");
  return record;
}

TEST(NotifyMessage, ItemLinkEscapesAndNeedsABase) {
  EXPECT_EQ(item_link("https://b.example", "7_story_x"), "https://b.example/items/7_story_x");
  EXPECT_EQ(item_link("https://b.example", "a b/c"), "https://b.example/items/a%20b%2Fc");
  EXPECT_EQ(item_link("https://b.example", ""), "https://b.example/");
  EXPECT_EQ(item_link("", "7_story_x"), "");
}

TEST(NotifyMessage, JsonBodyCarriesKeyEventStoryAndLink) {
  const auto body = json::parse(webhook_body("json", blocked())).as_object();
  EXPECT_EQ(body.at("idempotency_key"), "pipeline:42");
  EXPECT_EQ(body.at("event"), "blocked");
  EXPECT_EQ(body.at("story"), "7_story_greet");
  EXPECT_EQ(body.at("link"), "https://board.example/items/7_story_greet");
}

TEST(NotifyMessage, SlackBodyIsTextPlusMrkdwnSectionWithEscapedMarkup) {
  const auto body = json::parse(webhook_body("slack", blocked())).as_object();
  const std::string text(body.at("text").as_string());
  EXPECT_THAT(text, HasSubstr("&lt;!channel&gt; &amp; more"));
  EXPECT_THAT(text, Not(HasSubstr("<!channel>")));
  const auto& section = body.at("blocks").as_array().at(0).as_object();
  EXPECT_EQ(section.at("type"), "section");
  EXPECT_EQ(section.at("text").at("type"), "mrkdwn");
  EXPECT_THAT(std::string(section.at("text").at("text").as_string()),
              HasSubstr("<https://board.example/items/7_story_greet|Open on the board>"));
  EXPECT_EQ(body.at("metadata").at("event_payload").at("idempotency_key"), "pipeline:42");
}

TEST(NotifyMessage, DiscordBodyHasContentEmbedAndNoMentions) {
  auto record = blocked();
  record.detail = std::string(5000, 'x');
  const auto body = json::parse(webhook_body("discord", record)).as_object();
  EXPECT_LE(body.at("content").as_string().size(), 2000U);
  const auto& embed = body.at("embeds").as_array().at(0).as_object();
  EXPECT_EQ(embed.at("title"), "7_story_greet is blocked");
  EXPECT_EQ(embed.at("url"), "https://board.example/items/7_story_greet");
  EXPECT_EQ(embed.at("description").as_string().size(), 4096U);
  EXPECT_THAT(std::string(embed.at("footer").at("text").as_string()), HasSubstr("pipeline:42"));
  EXPECT_TRUE(body.at("allowed_mentions").at("parse").as_array().empty());
}

TEST(NotifyMessage, EmailHasSubjectLinkAndNoHeaderInjection) {
  auto record = blocked();
  record.title = "evil\r\nBcc: victim@example.com";
  const auto mail = email_message("stork@example.com", {"dev@example.com"}, record, 0);
  EXPECT_EQ(mail.subject, "[stork] evil  Bcc: victim@example.com");
  const std::string headers = mail.text.substr(0, mail.text.find("\r\n\r\n"));
  EXPECT_THAT(headers, Not(HasSubstr("\r\nBcc:")));
  EXPECT_THAT(mail.text, HasSubstr("To: dev@example.com\r\n"));
  EXPECT_THAT(mail.text, HasSubstr("\r\nhttps://board.example/items/7_story_greet\r\n"));
  EXPECT_THAT(mail.text, HasSubstr("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
}

}  // namespace
}  // namespace stork::notify
