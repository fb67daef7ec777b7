// Command parsing for the chat bot: which messages are addressed to it, every command word,
// its arguments and the usage errors.
#include "chat/chat_command.hpp"

#include <gtest/gtest.h>

namespace stork::chat {
namespace {

using Kind = ChatCommand::Kind;
const BotIdentity kBot{"@stork:example.org", "stork"};

ChatCommand parsed(std::string_view text) {
  auto command = parse_command(text);
  EXPECT_TRUE(command.ok()) << text << ": " << (command.ok() ? "" : command.error().message);
  return command.ok() ? command.value() : ChatCommand{};
}

ChatUsageError refused(std::string_view text) {
  auto command = parse_command(text);
  EXPECT_FALSE(command.ok()) << text;
  return command.ok() ? ChatUsageError{} : command.error();
}

TEST(ChatAddress, DirectRoomTakesEveryMessage) {
  EXPECT_EQ(addressed_text("  status ", true, kBot), "status");
}

TEST(ChatAddress, GroupRoomNeedsMentionOrPrefix) {
  EXPECT_FALSE(addressed_text("status", false, kBot));
  EXPECT_EQ(addressed_text("!stork status", false, kBot), "status");
  EXPECT_EQ(addressed_text("@stork:example.org: show 4", false, kBot), "show 4");
  EXPECT_EQ(addressed_text("Stork, help", false, kBot), "help");
  EXPECT_EQ(addressed_text("stork: start 3 coder-1", false, kBot), "start 3 coder-1");
  EXPECT_FALSE(addressed_text("storkish things", false, kBot));
  EXPECT_FALSE(addressed_text("hello stork", false, kBot));
}

TEST(ChatCommandParse, CommandsWithoutArguments) {
  EXPECT_EQ(parsed("help").kind, Kind::Help);
  EXPECT_EQ(parsed("STATUS").kind, Kind::Status);
  EXPECT_EQ(parsed("overview").kind, Kind::Overview);
  EXPECT_EQ(parsed("git").kind, Kind::Git);
  EXPECT_EQ(parsed("htop").kind, Kind::Htop);
  auto error = refused("status now");
  EXPECT_EQ(error.command, "status");
  EXPECT_EQ(error.usage, "status");
}

TEST(ChatCommandParse, StartWithAndWithoutAgent) {
  auto start = parsed("start 42");
  EXPECT_EQ(start.kind, Kind::Start);
  EXPECT_EQ(start.story, "42");
  EXPECT_EQ(start.agent, "");
  start = parsed("start 42_story_login coder-2");
  EXPECT_EQ(start.story, "42_story_login");
  EXPECT_EQ(start.agent, "coder-2");
  EXPECT_EQ(refused("start").usage, "start ID [AGENT]");
  EXPECT_EQ(refused("start 1 coder-1 extra").message, "unexpected 'extra'");
}

TEST(ChatCommandParse, ItemCommands) {
  auto assign = parsed("assign 7 qa-1");
  EXPECT_EQ(assign.kind, Kind::Assign);
  EXPECT_EQ(assign.agent, "qa-1");
  EXPECT_EQ(refused("assign 7").message, "an agent name is missing");
  EXPECT_EQ(parsed("show 7").kind, Kind::Show);
  EXPECT_EQ(parsed("unblock 7").kind, Kind::Unblock);
  EXPECT_EQ(parsed("reset 7").kind, Kind::Reset);
  EXPECT_EQ(parsed("approve 7").kind, Kind::Approve);
  EXPECT_EQ(refused("show 7 8").message, "unexpected '8'");
  EXPECT_EQ(refused("reset").usage, "reset ID");
}

TEST(ChatCommandParse, RejectKeepsTheNotesAsTyped) {
  auto reject = parsed("reject 7   the <tests>  fail\ttwice");
  EXPECT_EQ(reject.kind, Kind::Reject);
  EXPECT_EQ(reject.story, "7");
  EXPECT_EQ(reject.text, "the <tests>  fail\ttwice");
  EXPECT_EQ(refused("reject 7").message, "say why: the notes are missing");
}

TEST(ChatCommandParse, CostGroupings) {
  EXPECT_EQ(parsed("cost").text, "");
  EXPECT_EQ(parsed("cost --by agent").text, "agent");
  EXPECT_EQ(parsed("cost --by=day").text, "day");
  EXPECT_EQ(parsed("cost model").text, "model");
  EXPECT_EQ(refused("cost --by week").usage, "cost [--by item|agent|model|day]");
}

TEST(ChatCommandParse, Ambient) {
  EXPECT_TRUE(parsed("ambient on").on);
  EXPECT_FALSE(parsed("ambient OFF").on);
  EXPECT_EQ(refused("ambient maybe").message, "say on or off");
}

TEST(ChatCommandParse, PermitAndDeny) {
  EXPECT_EQ(parsed("permit").request_id, "");
  EXPECT_EQ(parsed("permit perm-3").request_id, "perm-3");
  auto deny = parsed("deny perm-3 not in this repo");
  EXPECT_EQ(deny.request_id, "perm-3");
  EXPECT_EQ(deny.text, "not in this repo");
  deny = parsed("deny too risky");
  EXPECT_EQ(deny.request_id, "");
  EXPECT_EQ(deny.text, "too risky");
  EXPECT_EQ(refused("permit now please").message, "permit takes at most a request id");
}

TEST(ChatCommandParse, UnknownAndEmpty) {
  auto unknown = refused("launch 4");
  EXPECT_EQ(unknown.command, "launch");
  EXPECT_EQ(unknown.message, "unknown command 'launch'");
  EXPECT_EQ(unknown.usage, "");
  EXPECT_EQ(refused("   ").message, "say a command");
}

TEST(ChatCommandParse, SayKeepsTheMessageAsTyped) {
  auto say = parsed("say 7  use the <fast> path\tplease");
  EXPECT_EQ(say.kind, Kind::Say);
  EXPECT_EQ(say.story, "7");
  EXPECT_EQ(say.text, "use the <fast> path\tplease");
  EXPECT_EQ(refused("say 7").message, "the message is missing");
  EXPECT_EQ(refused("say").message, "an item id is missing");
  EXPECT_EQ(refused("say").usage, "say ID TEXT");
}

TEST(ChatCommandHelp, ListsEveryCommandOnce) {
  EXPECT_EQ(command_help().size(), 17U);
  EXPECT_EQ(command_name(Kind::Reset), "reset");
}

}  // namespace
}  // namespace stork::chat
