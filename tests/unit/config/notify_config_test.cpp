// [[notify]] channels and [server] public_url in project.toml: defaults, validation, and errors
// that name the line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Diagnostic> errors_of(std::string_view text) {
  auto result = parse_project_config(text, "project.toml");
  EXPECT_FALSE(result.ok()) << "expected an error for:\n" << text;
  std::vector<Diagnostic> errors;
  if (result.ok()) return errors;
  for (const auto& d : result.error()) {
    if (d.severity == Diagnostic::Severity::Error) errors.push_back(d);
  }
  return errors;
}

TEST(NotifyConfig, WebhookAndEmailChannelsWithDefaults) {
  auto result = parse_project_config(
      "timezone = \"Europe/Paris\"\n"
      "[server]\npublic_url = \"https://stork.example.com/\"\n"
      "[[notify]]\nkind = \"webhook\"\nformat = \"slack\"\nurl_env = \"STORK_WEBHOOK\"\n"
      "[[notify]]\nname = \"ops-mail\"\nkind = \"email\"\nsmtp_url = \"smtp://mail:587\"\n"
      "from = \"stork@example.com\"\nto = [\"a@example.com\"]\nstarttls = true\n"
      "user_env = \"SMTP_USER\"\npassword_env = \"SMTP_PASSWORD\"\n"
      "events = [\"done\", \"blocked\", \"done\"]\ndigest_at = \"08:30\"\n",
      "project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  const auto& config = result->config;
  EXPECT_EQ(config.server.public_url, "https://stork.example.com");
  ASSERT_EQ(config.notify.size(), 2U);
  const auto& hook = config.notify[0];
  EXPECT_EQ(hook.name, "webhook-1");
  EXPECT_EQ(hook.format, "slack");
  EXPECT_EQ(hook.url_env, "STORK_WEBHOOK");
  EXPECT_THAT(hook.events, ElementsAre("blocked", "merge_failed", "needs_review",
                                       "permission_request", "rate_limited", "agent_failed"));
  EXPECT_EQ(hook.line, 4);
  const auto& mail = config.notify[1];
  EXPECT_EQ(mail.name, "ops-mail");
  EXPECT_TRUE(mail.starttls);
  EXPECT_EQ(mail.password_env, "SMTP_PASSWORD");
  EXPECT_THAT(mail.events, ElementsAre("done", "blocked"));
  EXPECT_EQ(mail.digest_at, "08:30");
}

TEST(NotifyConfig, WebhookUrlThatIsNotHttp_ErrorAtItsLine) {
  const auto errors = errors_of("[[notify]]\nkind = \"webhook\"\nurl = \"file:///etc/passwd\"\n");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_EQ(errors[0].field, "notify[0].url");
  EXPECT_THAT(errors[0].message, HasSubstr("must start with http:// or https://"));
}

TEST(NotifyConfig, UnknownEventKindAndFormat_AreErrors) {
  const auto errors = errors_of(
      "[[notify]]\nkind = \"webhook\"\nurl = \"http://x\"\nformat = \"teams\"\n"
      "events = [\"blockd\"]\n[[notify]]\nkind = \"pager\"\n");
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_THAT(errors[0].message, HasSubstr("unknown format 'teams'"));
  EXPECT_THAT(errors[1].message, HasSubstr("unknown event 'blockd'"));
  EXPECT_EQ(errors[1].line, 5);
  EXPECT_THAT(errors[2].message, HasSubstr("'kind' = \"webhook\", \"email\" or \"matrix\""));
}

TEST(NotifyConfig, WebhookNeedsExactlyOneUrlSource) {
  EXPECT_THAT(errors_of("[[notify]]\nkind = \"webhook\"\n")[0].message,
              HasSubstr("exactly one of 'url' and 'url_env'"));
  EXPECT_THAT(
      errors_of("[[notify]]\nkind = \"webhook\"\nurl = \"http://a\"\nurl_env = \"B\"\n")[0].message,
      HasSubstr("exactly one of 'url' and 'url_env'"));
}

TEST(NotifyConfig, EmailNeedsSmtpUrlFromAndTo) {
  const auto errors = errors_of("[[notify]]\nkind = \"email\"\nsmtp_url = \"http://mail\"\n");
  ASSERT_EQ(errors.size(), 3U);
  std::string all;
  for (const auto& error : errors)
    all += error.message + "\n";
  EXPECT_THAT(all, HasSubstr("smtp:// or smtps://"));
  EXPECT_THAT(all, HasSubstr("needs 'from'"));
  EXPECT_THAT(all, HasSubstr("needs 'to'"));
}

TEST(NotifyConfig, BadDigestTimeDuplicateNameAndBadPublicUrl) {
  EXPECT_THAT(errors_of("[[notify]]\nkind = \"webhook\"\nurl = \"http://a\"\n"
                        "digest_at = \"25:00\"\n")[0]
                  .message,
              HasSubstr("HH:MM"));
  EXPECT_THAT(errors_of("[[notify]]\nname = \"a\"\nkind = \"webhook\"\nurl = \"http://a\"\n"
                        "[[notify]]\nname = \"a\"\nkind = \"webhook\"\nurl = \"http://b\"\n")[0]
                  .message,
              HasSubstr("defined twice (first at line 1)"));
  EXPECT_THAT(errors_of("[server]\npublic_url = \"board\"\n")[0].message,
              HasSubstr("'server.public_url' must start with http://"));
}

}  // namespace
}  // namespace stork
