// RestartSettings: a reload names [server] and [chat.matrix] when they changed (they need a
// restart of stork serve) and nothing when only reloadable settings or formatting changed.
#include "app/restart_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kStarted = R"(max_coders = 2
[server]
public_url = "http://board.example:3000"
allowed_hosts = ["buildbox"]
[chat.matrix]
homeserver = "http://127.0.0.1:8008"
rooms = ["!ops:localhost"]
)";

TEST(RestartSettings, ReloadableChangesAndFormattingNeedNoRestart) {
  const auto started = RestartSettings::parse(kStarted);
  const auto reformatted = RestartSettings::parse(R"(max_coders = 5
gate_timeout_secs = 60
[chat.matrix]
rooms = [ "!ops:localhost" ]   # same rooms
homeserver = "http://127.0.0.1:8008"
[server]
allowed_hosts = ["buildbox"]
public_url = "http://board.example:3000"
)");
  EXPECT_THAT(reformatted.changed_since(started), IsEmpty());
}

TEST(RestartSettings, ServerAndChatMatrixChangesAreNamed) {
  const auto started = RestartSettings::parse(kStarted);
  std::string server_changed = kStarted;
  server_changed.replace(server_changed.find("buildbox"), 8, "other");
  EXPECT_THAT(RestartSettings::parse(server_changed).changed_since(started),
              ElementsAre("[server]"));
  const auto both = RestartSettings::parse("[server]\npublic_url = \"http://x\"\n");
  EXPECT_THAT(both.changed_since(started), ElementsAre("[server]", "[chat.matrix]"));
  // A table added where there was none is a change too.
  EXPECT_THAT(started.changed_since(RestartSettings::parse("max_coders = 2\n")),
              ElementsAre("[server]", "[chat.matrix]"));
}

TEST(RestartSettings, UnreadableTextReadsAsNoTables) {
  EXPECT_THAT(RestartSettings::parse("[server\n").changed_since(RestartSettings::parse("")),
              IsEmpty());
}

}  // namespace
}  // namespace stork::app
