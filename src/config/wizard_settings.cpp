#include "config/wizard_settings.hpp"

#include <system_error>

#include <toml++/toml.h>

#include "base/file_io.hpp"

namespace stork {

Result<std::optional<std::string>, std::string> parse_wizard_agent(std::string_view toml_text,
                                                                   std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& error) {
    return fail(std::string(file_name) + ":" + std::to_string(error.source().begin.line) +
                ": invalid TOML: " + std::string(error.description()));
  }
  const auto agent = root["wizard"]["agent"].value<std::string>();
  if (!agent) return std::optional<std::string>();
  return std::optional<std::string>(*agent);
}

Result<std::optional<std::string>, std::string> load_wizard_agent(
    const std::filesystem::path& project_root) {
  const auto path = project_root / ".storkit" / "project.toml";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::optional<std::string>();
  auto text = read_file(path);
  if (!text) return fail(text.error().message);
  return parse_wizard_agent(*text, path.string());
}

}  // namespace stork
