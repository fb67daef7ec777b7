#include "chat/chat_command.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace stork::chat {
namespace {

using Kind = ChatCommand::Kind;

struct Spec {
  Kind kind;
  std::string_view name;
  std::string_view usage;
  std::string_view summary;
};

// One table: the parser's words, help's lines and the usage replies agree by construction.
constexpr std::array<Spec, 17> kSpecs{{
    {Kind::Help, "help", "help", "this list"},
    {Kind::Status, "status", "status", "items per stage and the agents running"},
    {Kind::Start, "start", "start ID [AGENT]", "start an agent on an item"},
    {Kind::Assign, "assign", "assign ID AGENT", "make AGENT the item's preferred agent"},
    {Kind::Show, "show", "show ID", "an item's stage, state and criteria"},
    {Kind::Overview, "overview", "overview", "every item of the pipeline, by stage"},
    {Kind::Cost, "cost", "cost [--by item|agent|model|day]", "token usage and cost"},
    {Kind::Git, "git", "git", "base branch head, worktrees, branches ahead"},
    {Kind::Htop, "htop", "htop", "running agents: CPU, memory and run time"},
    {Kind::Unblock, "unblock", "unblock ID", "clear an item's block"},
    {Kind::Reset, "reset", "reset ID", "stop its agent, remove the worktree, back to backlog"},
    {Kind::Ambient, "ambient", "ambient on|off", "every pipeline move in this room"},
    {Kind::Approve, "approve", "approve ID", "approve an item waiting in QA"},
    {Kind::Reject, "reject", "reject ID NOTES", "send an item back to its coder"},
    {Kind::Say, "say", "say ID TEXT", "tell the agent on an item something (or at its next start)"},
    {Kind::Permit, "permit", "permit [REQUEST]", "allow a permission request (or reply to it)"},
    {Kind::Deny, "deny", "deny [REQUEST] [REASON]", "deny a permission request (or reply to it)"},
}};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// The first word of `text` and what follows it (trimmed).
std::pair<std::string, std::string_view> split_word(std::string_view text) {
  text = trim(text);
  std::size_t end = 0;
  while (end < text.size() && !is_space(text[end]))
    ++end;
  return {std::string(text.substr(0, end)), trim(text.substr(end))};
}

std::string lower(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return word;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (prefix.empty() || text.size() < prefix.size()) return false;
  return lower(std::string(text.substr(0, prefix.size()))) == lower(std::string(prefix));
}

// After a mention: "stork: status", "stork, status", "stork status"; not "storkish".
std::optional<std::string_view> after_address(std::string_view body, std::string_view address) {
  if (!starts_with_ci(body, address)) return std::nullopt;
  std::string_view rest = body.substr(address.size());
  if (!rest.empty() && (rest.front() == ':' || rest.front() == ',')) rest.remove_prefix(1);
  if (!rest.empty() && !is_space(rest.front())) return std::nullopt;
  return trim(rest);
}

ChatUsageError usage_error(const Spec& spec, std::string message) {
  return ChatUsageError{std::string(spec.name), std::move(message), std::string(spec.usage)};
}

using Parsed = Result<ChatCommand, ChatUsageError>;

Parsed with_story(const Spec& spec, std::string_view rest, ChatCommand command) {
  auto [story, tail] = split_word(rest);
  if (story.empty()) return fail(usage_error(spec, "an item id is missing"));
  command.story = story;
  if (command.kind == Kind::Reject || command.kind == Kind::Say) {
    if (tail.empty()) {
      const bool say = command.kind == Kind::Say;
      return fail(
          usage_error(spec, say ? "the message is missing" : "say why: the notes are missing"));
    }
    command.text = std::string(tail);
    return command;
  }
  auto [agent, extra] = split_word(tail);
  const bool wants_agent = command.kind == Kind::Start || command.kind == Kind::Assign;
  if (command.kind == Kind::Assign && agent.empty())
    return fail(usage_error(spec, "an agent name is missing"));
  if (!wants_agent && !agent.empty()) return fail(usage_error(spec, "unexpected '" + agent + "'"));
  if (!extra.empty()) return fail(usage_error(spec, "unexpected '" + std::string(extra) + "'"));
  command.agent = agent;
  return command;
}

Parsed cost(const Spec& spec, std::string_view rest, ChatCommand command) {
  if (rest.empty()) return command;
  auto [flag, tail] = split_word(rest);
  std::string grouping;
  if (flag.rfind("--by=", 0) == 0) {
    grouping = flag.substr(5);
  } else if (flag == "--by" || flag == "by") {
    auto [word, extra] = split_word(tail);
    grouping = word;
    tail = extra;
  } else {
    grouping = flag;
  }
  static constexpr std::array<std::string_view, 4> kGroupings{"item", "agent", "model", "day"};
  if (std::find(kGroupings.begin(), kGroupings.end(), grouping) == kGroupings.end() ||
      !tail.empty()) {
    return fail(usage_error(spec, "group by item, agent, model or day"));
  }
  command.text = grouping;
  return command;
}

Parsed permission(const Spec& spec, std::string_view rest, ChatCommand command) {
  auto [first, tail] = split_word(rest);
  // A request id is the first word when it looks like one (no spaces, has a digit); anything
  // else is deny's reason (answering the request replied to).
  const bool looks_like_id =
      !first.empty() &&
      std::any_of(first.begin(), first.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (looks_like_id) {
    command.request_id = first;
    rest = tail;
  }
  if (command.kind == Kind::Permit && !rest.empty())
    return fail(usage_error(spec, "permit takes at most a request id"));
  command.text = std::string(rest);
  return command;
}

Parsed arguments(const Spec& spec, std::string_view rest) {
  ChatCommand command;
  command.kind = spec.kind;
  switch (spec.kind) {
    case Kind::Start:
    case Kind::Assign:
    case Kind::Show:
    case Kind::Unblock:
    case Kind::Reset:
    case Kind::Approve:
    case Kind::Reject:
    case Kind::Say:
      return with_story(spec, rest, std::move(command));
    case Kind::Cost:
      return cost(spec, rest, std::move(command));
    case Kind::Permit:
    case Kind::Deny:
      return permission(spec, rest, std::move(command));
    case Kind::Ambient: {
      const std::string word = lower(std::string(rest));
      if (word != "on" && word != "off") return fail(usage_error(spec, "say on or off"));
      command.on = word == "on";
      return command;
    }
    default:
      if (!rest.empty())
        return fail(usage_error(spec, "takes no arguments, got '" + std::string(rest) + "'"));
      return command;
  }
}

}  // namespace

std::string_view command_name(ChatCommand::Kind kind) {
  for (const auto& spec : kSpecs) {
    if (spec.kind == kind) return spec.name;
  }
  return "help";
}

const std::vector<CommandHelp>& command_help() {
  static const std::vector<CommandHelp> help = [] {
    std::vector<CommandHelp> lines;
    lines.reserve(kSpecs.size());
    for (const auto& spec : kSpecs)
      lines.push_back(CommandHelp{spec.usage, spec.summary});
    return lines;
  }();
  return help;
}

std::optional<std::string> addressed_text(std::string_view body, bool direct_room,
                                          const BotIdentity& bot) {
  body = trim(body);
  for (std::string_view address : {std::string_view("!stork"), std::string_view(bot.user_id),
                                   std::string_view(bot.display_name)}) {
    if (auto rest = after_address(body, address)) return std::string(*rest);
  }
  if (direct_room) return std::string(body);
  return std::nullopt;
}

Result<ChatCommand, ChatUsageError> parse_command(std::string_view text) {
  auto [word, rest] = split_word(text);
  const std::string name = lower(word);
  if (name.empty()) return fail(ChatUsageError{"", "say a command", ""});
  for (const auto& spec : kSpecs) {
    if (spec.name == name) return arguments(spec, rest);
  }
  return fail(ChatUsageError{word, "unknown command '" + word + "'", ""});
}

}  // namespace stork::chat
