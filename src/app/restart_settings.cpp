#include "app/restart_settings.hpp"

#include <fstream>
#include <sstream>

#include <toml++/toml.h>

namespace stork::app {
namespace {

std::string serialised(const toml::node* node) {
  if (node == nullptr || !node->is_table()) return {};
  std::ostringstream out;
  out << *node->as_table();
  return out.str();
}

}  // namespace

RestartSettings RestartSettings::read(const std::filesystem::path& project_toml) {
  std::ifstream in(project_toml, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

RestartSettings RestartSettings::parse(std::string_view toml_text) {
  RestartSettings settings;
  try {
    auto root = toml::parse(toml_text);
    settings.server_ = serialised(root.get("server"));
    if (const auto* chat = root.get_as<toml::table>("chat"))
      settings.chat_matrix_ = serialised(chat->get("matrix"));
  } catch (const toml::parse_error&) {
    // Left empty: the loader's own errors keep the running configuration anyway.
  }
  return settings;
}

std::vector<std::string> RestartSettings::changed_since(const RestartSettings& started) const {
  std::vector<std::string> changed;
  if (server_ != started.server_) changed.emplace_back("[server]");
  if (chat_matrix_ != started.chat_matrix_) changed.emplace_back("[chat.matrix]");
  return changed;
}

}  // namespace stork::app
