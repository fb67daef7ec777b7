// ChatCommand: one of storkit's chat commands, parsed from a message's text. Pure: which
// messages are addressed to the bot (every one in a direct room; elsewhere those starting with
// the bot's mention or `!stork`), the command word and its arguments. A bad command becomes a
// ChatUsageError that names the command and its usage; nothing here runs anything.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace stork::chat {

struct ChatCommand {
  enum class Kind {
    Help,
    Status,
    Start,   // story, [agent]
    Assign,  // story, agent
    Show,    // story
    Overview,
    Cost,  // [grouping]
    Git,
    Htop,
    Unblock,  // story
    Reset,    // story
    Ambient,  // "on" | "off"
    Approve,  // story
    Reject,   // story, notes
    Say,      // story, text for the agent running on it
    Permit,   // [request id]
    Deny,     // [request id], [reason]
  };
  Kind kind = Kind::Help;
  std::string story;
  std::string agent;
  std::string text;  // reject's notes, say's message, deny's reason, cost's grouping
  std::string request_id;
  bool on = false;  // ambient
};

struct ChatUsageError {
  std::string command;  // the word as typed ("" for an empty message)
  std::string message;  // what is wrong, one sentence
  std::string usage;    // "start ID [AGENT]"; "" for an unknown command (help lists them all)
};

std::string_view command_name(ChatCommand::Kind kind);

// Each command's usage line, in help order: {"start ID [AGENT]", "start an agent on an item"}.
struct CommandHelp {
  std::string_view usage;
  std::string_view summary;
};
const std::vector<CommandHelp>& command_help();

// Who the bot is, for recognising a mention: its user id ("@stork:example.org") and display
// name ("stork"; the localpart when unknown).
struct BotIdentity {
  std::string user_id;
  std::string display_name;
};

// The command text of `body` when the message is addressed to the bot, without the address;
// nullopt when it is not (an ordinary message in a group room).
std::optional<std::string> addressed_text(std::string_view body, bool direct_room,
                                          const BotIdentity& bot);

// Parses command text (as addressed_text gives it). Words are split on whitespace; reject's
// notes and deny's reason keep the rest of the line as typed.
Result<ChatCommand, ChatUsageError> parse_command(std::string_view text);

}  // namespace stork::chat
