// RestartSettings: the tables of project.toml that a running `stork serve` does not take on a
// reload, [server] (listeners, TLS, hosts, login) and [chat.matrix] (the bot's account and
// rooms), read as TOML so that any change to them is seen, whatever the key. The server keeps
// the ones it started with and compares each reload against them, so the log says what still
// needs a restart instead of claiming everything was applied (docs/serve.md).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stork::app {

class RestartSettings {
 public:
  // The tables as `project_toml` has them now; a missing table or an unreadable file reads as
  // empty (the config loader reports those errors, not this).
  static RestartSettings read(const std::filesystem::path& project_toml);
  static RestartSettings parse(std::string_view toml_text);

  // The tables that differ from `started`, by name: "[server]", "[chat.matrix]".
  std::vector<std::string> changed_since(const RestartSettings& started) const;

 private:
  std::string server_;  // each table re-serialised by toml++: formatting and order do not count
  std::string chat_matrix_;
};

}  // namespace stork::app
