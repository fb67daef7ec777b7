// project.toml's [server] table (docs/remote.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ServerConfig, ReadsEveryField) {
  auto result = parse_project_config(R"([server]
allowed_hosts = ["buildbox", "10.0.0.5"]
viewer_token_env = "STORK_VIEWER"
session_hours = 12
tls_cert = "cert.pem"
tls_key = "key.pem"
trusted_proxies = ["127.0.0.1"]
)",
                                     "project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  const ServerConfig& server = result->config.server;
  EXPECT_THAT(server.allowed_hosts, ElementsAre("buildbox", "10.0.0.5"));
  EXPECT_EQ(server.viewer_token_env, "STORK_VIEWER");
  EXPECT_EQ(server.session_hours, 12);
  EXPECT_EQ(server.tls_cert, "cert.pem");
  EXPECT_THAT(server.trusted_proxies, ElementsAre("127.0.0.1"));
  EXPECT_TRUE(result->warnings.empty()) << render_all(result->warnings);
}

TEST(ServerConfig, DefaultsWithoutTheTable) {
  auto result = parse_project_config("", "project.toml");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->config.server.allowed_hosts.empty());
  EXPECT_EQ(result->config.server.session_hours, 168);
}

TEST(ServerConfig, BadValuesAreErrorsNamingFieldAndLine) {
  for (const char* text :
       {"[server]\nallowed_hosts = [\"http://box:3000/\"]\n", "[server]\nsession_hours = 0\n",
        "[server]\nviewer_token_env = \"not a name\"\n", "[server]\ntls_cert = \"c.pem\"\n"}) {
    auto result = parse_project_config(text, "project.toml");
    ASSERT_FALSE(result.ok()) << text;
    const auto rendered = render_all(result.error());
    EXPECT_THAT(rendered, HasSubstr("project.toml:2")) << rendered;
    EXPECT_THAT(rendered, HasSubstr("server.")) << rendered;
  }
}

}  // namespace
}  // namespace stork
