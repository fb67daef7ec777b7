// `[chat.matrix]` in project.toml: read with its defaults, and every mistake an error (or a
// warning) naming the file, the line and the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/chat_config_loader.hpp"
#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

const std::string kGood =
    "[chat.matrix]\n"
    "homeserver = \"https://matrix.example.org\"\n"
    "user_id = \"@stork:example.org\"\n"
    "access_token_env = \"STORK_MATRIX_TOKEN\"\n"
    "rooms = [\"!abc:example.org\"]\n"
    "allowed_users = [\"@alice:example.org\"]\n";

std::string errors_of(const std::string& toml) {
  auto loaded = parse_project_config(toml, "project.toml");
  return loaded.ok() ? std::string() : render_all(loaded.error());
}

TEST(ChatConfig, ReadsTheMatrixTable) {
  ASSERT_TRUE(parse_project_config(kGood, "project.toml").ok());
  auto loaded = parse_chat_config(kGood, "project.toml");
  ASSERT_TRUE(loaded.ok()) << render_all(loaded.error());
  const auto& matrix = loaded.value();
  ASSERT_TRUE(matrix);
  EXPECT_EQ(matrix->homeserver, "https://matrix.example.org");
  EXPECT_EQ(matrix->user_id, "@stork:example.org");
  EXPECT_EQ(matrix->access_token_env.value_or(""), "STORK_MATRIX_TOKEN");
  EXPECT_EQ(matrix->rooms, std::vector<std::string>{"!abc:example.org"});
  EXPECT_EQ(matrix->allowed_users, std::vector<std::string>{"@alice:example.org"});
  EXPECT_EQ(matrix->sync_timeout_secs, 30);
  EXPECT_EQ(matrix->line, 1);
  EXPECT_FALSE(parse_chat_config("", "p").value());
  EXPECT_FALSE(parse_chat_config("[chat.matrix]\nuser_id = 3\n", "p").ok());
}

TEST(ChatConfig, EachMistakeNamesLineAndField) {
  EXPECT_THAT(errors_of("[chat.matrix]\nhomeserver = \"matrix.example.org\"\nuser_id = "
                        "\"@s:x\"\naccess_token_env = \"T\"\nallowed_users = []\n"),
              HasSubstr("project.toml:2"));
  EXPECT_THAT(errors_of("[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"stork\"\n"
                        "access_token_env = \"T\"\nallowed_users = []\n"),
              HasSubstr("needs 'user_id', the bot's Matrix id (@name:server), got 'stork'"));
  EXPECT_THAT(errors_of("[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"@s:x\"\n"
                        "allowed_users = []\n"),
              HasSubstr("exactly one of 'access_token_env' and 'password_env'"));
  EXPECT_THAT(errors_of("[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"@s:x\"\n"
                        "access_token_env = \"MY-TOKEN\"\nallowed_users = []\n"),
              HasSubstr("'access_token_env' must be an environment variable name"));
  EXPECT_THAT(errors_of(kGood + "sync_timeout_secs = 0\n"),
              HasSubstr("'sync_timeout_secs' must be 1 to 300"));
  EXPECT_THAT(errors_of("[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"@s:x\"\n"
                        "access_token_env = \"T\"\nrooms = [\"#general\"]\n"
                        "allowed_users = [\"alice\"]\n"),
              HasSubstr("project.toml:5"));
  const auto both = errors_of(
      "[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"@s:x\"\n"
      "access_token_env = \"T\"\nrooms = [\"#general\"]\n"
      "allowed_users = [\"alice\"]\n");
  EXPECT_THAT(both, HasSubstr("'#general' in 'rooms' is not a Matrix room id"));
  EXPECT_THAT(both, HasSubstr("'alice' in 'allowed_users' is not a Matrix user id"));
}

TEST(ChatConfig, UnknownKeyAndMissingAllowedUsersWarn) {
  auto loaded = parse_project_config(
      "[chat.matrix]\nhomeserver = \"https://m\"\nuser_id = \"@s:x\"\naccess_token_env = "
      "\"T\"\nroom = \"!a:x\"\n",
      "project.toml");
  ASSERT_TRUE(loaded.ok()) << render_all(loaded.error());
  const auto warnings = render_all(loaded.value().warnings);
  EXPECT_THAT(warnings, HasSubstr("the bot answers nobody"));
  EXPECT_THAT(warnings, HasSubstr("room"));
}

TEST(ChatConfig, MatrixNotifyChannelNeedsTheChatTable) {
  EXPECT_THAT(errors_of("[[notify]]\nkind = \"matrix\"\n"),
              HasSubstr("kind \"matrix\" posts to the rooms of [chat.matrix], which is missing"));
  auto loaded = parse_project_config(kGood + "[[notify]]\nkind = \"matrix\"\n", "project.toml");
  ASSERT_TRUE(loaded.ok()) << render_all(loaded.error());
  const auto& channel = loaded.value().config.notify.at(0);
  EXPECT_EQ(channel.name, "matrix-1");
  EXPECT_EQ(channel.url.value_or(""), "https://matrix.example.org");
  EXPECT_EQ(channel.to, std::vector<std::string>{"!abc:example.org"});
  EXPECT_EQ(channel.user_env.value_or(""), "STORK_MATRIX_TOKEN");
  EXPECT_THAT(errors_of("[[notify]]\nkind = \"sms\"\n"),
              HasSubstr("\"webhook\", \"email\" or \"matrix\", got 'sms'"));
  // A bot that logs in with a password has no token variable for the channel to send with.
  std::string with_password = kGood;
  const std::string token_line = "access_token_env = \"STORK_MATRIX_TOKEN\"";
  with_password.replace(with_password.find(token_line), token_line.size(),
                        "password_env = \"STORK_MATRIX_PW\"");
  ASSERT_TRUE(parse_project_config(with_password, "project.toml").ok());
  EXPECT_THAT(errors_of(with_password + "[[notify]]\nkind = \"matrix\"\n"),
              HasSubstr("sends with [chat.matrix] 'access_token_env', which is not set"));
}

}  // namespace
}  // namespace stork
