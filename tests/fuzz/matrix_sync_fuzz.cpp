// libFuzzer target: arbitrary bytes as the body of a Matrix homeserver's /sync answer, run
// through what the chat bot does with it: parse_sync, then for each message the addressing
// check and the command parser, then the reply the bot would send (content JSON). The
// homeserver relays what any room member typed, so nothing in it may crash the bot.
//
// Invariants checked (a violation traps): nothing throws; no message of the batch is the
// bot's own; every message names its room, event and sender; a reply built from a message's
// text serializes to JSON that parses back to the same body, and its formatted_body holds the
// text escaped as one paragraph (markup in the text stays text).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "base/html_text.hpp"
#include "chat/chat_command.hpp"
#include "chat/chat_reply.hpp"
#include "chat/matrix_protocol.hpp"
#include "fuzz_check.hpp"

namespace {

namespace json = boost::json;
using namespace stork::chat;

const std::string kBot = "@stork:example.org";

void check_reply_round_trip(const std::string& text, const std::string& event_id) {
  ChatReply reply = ReplyBuilder().title("stork").line(text).build();
  const json::object content = message_content(reply, event_id, std::string("permission:1"));
  json::error_code error;
  const json::value back = json::parse(json::serialize(content), error);
  FUZZ_CHECK(!error);
  FUZZ_CHECK(back.as_object().at("body").as_string() == reply.plain);
  const auto& html = back.as_object().at("formatted_body").as_string();
  FUZZ_CHECK(html.find("<p>" + stork::html_escape(text) + "</p>") != std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  json::error_code error;
  const json::value sync = json::parse(input, error);
  if (error) return 0;
  auto batch = parse_sync(sync, kBot);
  if (!batch.ok()) {
    FUZZ_CHECK(!batch.error().empty());
    return 0;
  }
  const BotIdentity bot{kBot, "stork"};
  for (const auto& message : batch.value().messages) {
    FUZZ_CHECK(message.sender != kBot);
    FUZZ_CHECK(!message.room.empty() && !message.event_id.empty() && !message.sender.empty());
    for (bool direct : {false, true}) {
      auto text = addressed_text(message.body, direct, bot);
      if (!text) continue;
      auto command = parse_command(*text);
      if (!command.ok()) continue;
      (void)command_name(command.value().kind);
    }
    check_reply_round_trip(message.body, message.event_id);
  }
  return 0;
}
