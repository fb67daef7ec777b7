// CommandRunner: runs one parsed chat command through the operations layer (ItemOps,
// AgentOps, PermissionOps, the usage report) and answers a ChatReply; the chat twin of the
// REST routes and MCP tools, knowing no transport. A refusal is rendered from the typed error
// at this edge; nothing here throws for a bad argument.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "chat/chat_command.hpp"
#include "chat/chat_reply.hpp"

namespace stork::ops {
class ItemOps;
class PermissionOps;
}  // namespace stork::ops

namespace stork::chat {

struct CommandServices {
  std::shared_ptr<ops::ItemOps> items;
  std::shared_ptr<ops::PermissionOps> permissions;
  std::string base_branch;
  std::string board_url;  // links to items; "" for none
  // `ambient on|off` for a room: the transport keeps the setting (it posts the moves).
  std::function<boost::asio::awaitable<void>(std::string room, bool on)> set_ambient;
};

// Where the command came from.
struct CommandOrigin {
  std::string room;
  std::string sender;
  // The permission request the message replies to, when it replies to one.
  std::optional<std::string> replied_request;
};

class CommandRunner {
 public:
  explicit CommandRunner(CommandServices services) : services_(std::move(services)) {}

  boost::asio::awaitable<ChatReply> run(ChatCommand command, CommandOrigin origin);

 private:
  boost::asio::awaitable<ChatReply> status();
  boost::asio::awaitable<ChatReply> overview();
  boost::asio::awaitable<ChatReply> cost(std::string grouping);
  boost::asio::awaitable<ChatReply> git();
  boost::asio::awaitable<ChatReply> htop();
  boost::asio::awaitable<ChatReply> item_command(const ChatCommand& command);
  boost::asio::awaitable<ChatReply> permission(const ChatCommand& command,
                                               const CommandOrigin& origin);

  CommandServices services_;
};

}  // namespace stork::chat
