#include "config/notify_config_loader.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "config/toml_table_reader.hpp"

namespace stork::config_detail {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

bool is_clock_time(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return false;
  for (std::size_t i : {0U, 1U, 3U, 4U}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  return hours < 24 && minutes < 60;
}

std::optional<std::string> env_name(TableReader& table, std::string_view key,
                                    const std::string& owner) {
  auto name = table.string(key);
  if (name && !is_env_name(*name)) {
    table.error(key, owner + "'" + table.field_name(key) +
                         "' must be an environment variable name (letters, digits and '_', "
                         "not starting with a digit), got '" +
                         *name + "'");
    return std::nullopt;
  }
  return name;
}

void read_events(TableReader& table, NotifyChannelConfig& channel, const std::string& owner) {
  auto events = table.string_list("events");
  if (!events) {
    channel.events.assign(std::begin(kDefaultNotifyEvents), std::end(kDefaultNotifyEvents));
    return;
  }
  for (const auto& event : *events) {
    auto known = std::find(std::begin(kNotifyEvents), std::end(kNotifyEvents), event);
    if (known == std::end(kNotifyEvents)) {
      std::string message = owner;
      message += "unknown event '" + event;
      message +=
          "' in 'events' (known: blocked, merge_failed, needs_review, permission_request, "
          "rate_limited, agent_failed, done)";
      table.error("events", std::move(message));
    } else if (std::find(channel.events.begin(), channel.events.end(), event) ==
               channel.events.end()) {
      channel.events.push_back(event);
    }
  }
}

void read_webhook(TableReader& table, NotifyChannelConfig& channel, const std::string& owner) {
  if (auto format = table.string("format")) {
    if (*format != "json" && *format != "slack" && *format != "discord") {
      table.error("format",
                  owner + "unknown format '" + *format + "' (expected json, slack or discord)");
    } else {
      channel.format = *format;
    }
  }
  if (auto url = table.string("url")) {
    if (!is_http_url(*url)) {
      table.error("url", owner + "'" + table.field_name("url") +
                             "' must start with http:// or https://, got '" + *url + "'");
    } else {
      channel.url = *url;
    }
  }
  channel.url_env = env_name(table, "url_env", owner);
  if (table.has("url") == table.has("url_env")) {
    table.error("url", owner + "a webhook needs exactly one of 'url' and 'url_env'");
  }
}

void read_email(TableReader& table, NotifyChannelConfig& channel, const std::string& owner) {
  channel.smtp_url = table.string("smtp_url").value_or("");
  if (!starts_with(channel.smtp_url, "smtp://") && !starts_with(channel.smtp_url, "smtps://")) {
    table.error("smtp_url", owner +
                                "an email channel needs 'smtp_url' starting with smtp:// or "
                                "smtps://, got '" +
                                channel.smtp_url + "'");
  }
  channel.from = table.string("from").value_or("");
  if (channel.from.find('@') == std::string::npos) {
    table.error("from",
                owner + "an email channel needs 'from' (an address), got '" + channel.from + "'");
  }
  channel.to = table.string_list("to").value_or(std::vector<std::string>{});
  if (channel.to.empty()) table.error("to", owner + "an email channel needs 'to' (addresses)");
  for (const auto& address : channel.to) {
    if (address.find('@') == std::string::npos ||
        address.find_first_of("\r\n<>") != std::string::npos) {
      std::string message = owner;
      message += "'" + address;
      message += "' in 'to' is not an address";
      table.error("to", std::move(message));
    }
  }
  channel.starttls = table.boolean("starttls").value_or(false);
  channel.user_env = env_name(table, "user_env", owner);
  channel.password_env = env_name(table, "password_env", owner);
}

NotifyChannelConfig read_channel(TableReader& table, std::size_t index) {
  NotifyChannelConfig channel;
  channel.kind = table.string("kind").value_or("");
  channel.name = table.string("name").value_or("");
  if (channel.name.empty()) channel.name = channel.kind + "-" + std::to_string(index + 1);
  const std::string owner = "notify '" + channel.name + "': ";
  if (channel.kind == "webhook") {
    read_webhook(table, channel, owner);
  } else if (channel.kind == "email") {
    read_email(table, channel, owner);
  } else if (channel.kind != "matrix") {  // matrix: the rooms of [chat.matrix]
    table.error("kind",
                "every [[notify]] needs 'kind' = \"webhook\", \"email\" or \"matrix\", got '" +
                    channel.kind + "'");
  }
  read_events(table, channel, owner);
  if (auto at = table.string("digest_at")) {
    if (!is_clock_time(*at)) {
      table.error("digest_at", owner + "'digest_at' must be a local time HH:MM, got '" + *at + "'");
    } else {
      channel.digest_at = *at;
    }
  }
  table.finish();
  return channel;
}

}  // namespace

bool is_http_url(std::string_view url) {
  return starts_with(url, "http://") || starts_with(url, "https://");
}

void read_notify_settings(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                          ProjectConfig& config) {
  const toml::array* array = root.array_of_tables("notify");
  if (array == nullptr) return;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    TableReader entry(table, "notify[" + std::to_string(i) + "]", file, out);
    auto channel = read_channel(entry, i);
    channel.line = static_cast<int>(table.source().begin.line);
    auto [it, inserted] = first_line.emplace(channel.name, channel.line);
    if (!inserted) {
      out.push_back(Diagnostic{Diagnostic::Severity::Error, file, channel.line, 1,
                               entry.field_name("name"),
                               "notify '" + channel.name + "' defined twice (first at line " +
                                   std::to_string(it->second) + ")"});
    }
    config.notify.push_back(std::move(channel));
  }
}

void check_matrix_channels(ProjectConfig& config,
                           const std::optional<MatrixChatConfig>& chat_matrix,
                           const std::string& file, std::vector<Diagnostic>& out) {
  for (auto& channel : config.notify) {
    if (channel.kind != "matrix") continue;
    if (!chat_matrix) {
      out.push_back(Diagnostic{Diagnostic::Severity::Error, file, channel.line, 1, "kind",
                               "notify '" + channel.name +
                                   "': kind \"matrix\" posts to the rooms of [chat.matrix], "
                                   "which is missing"});
      continue;
    }
    if (chat_matrix->rooms.empty()) {
      out.push_back(Diagnostic{
          Diagnostic::Severity::Error, file, chat_matrix->line, 1, "chat.matrix.rooms",
          "notify '" + channel.name + "' posts to [chat.matrix] 'rooms', which lists none"});
    }
    // The channel sends with the token of that variable; a bot that logs in with a password
    // keeps the token it gets in state.db, where the notifier does not look.
    if (!chat_matrix->access_token_env) {
      out.push_back(Diagnostic{Diagnostic::Severity::Error, file, channel.line, 1, "kind",
                               "notify '" + channel.name +
                                   "': kind \"matrix\" sends with [chat.matrix] "
                                   "'access_token_env', which is not set (password_env alone "
                                   "serves the bot, not notifications)"});
    }
    channel.url = chat_matrix->homeserver;
    channel.to = chat_matrix->rooms;
    channel.user_env = chat_matrix->access_token_env;
  }
}

}  // namespace stork::config_detail
