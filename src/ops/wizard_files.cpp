#include "ops/wizard_files.hpp"

#include <system_error>

#include <toml++/toml.h>

#include "base/file_io.hpp"
#include "config/config_loader.hpp"

namespace stork::ops {
namespace fs = std::filesystem;

namespace {

std::string_view trimmed(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos ? std::string_view() : line.substr(first);
}

// A table step's draft may hold only its own array of tables (and comments).
Result<void, std::string> check_table_draft(WizardStep step, const std::string& draft) {
  const std::string name(wizard_step_table(step));
  toml::table parsed;
  try {
    parsed = toml::parse(std::string_view(draft), std::string_view("draft"));
  } catch (const toml::parse_error& error) {
    return fail("the draft is not valid TOML (line " + std::to_string(error.source().begin.line) +
                "): " + std::string(error.description()));
  }
  for (const auto& [key, node] : parsed) {
    if (key.str() != name || !node.is_array_of_tables()) {
      return fail("the draft may hold only [[" + name + "]] tables, but line " +
                  std::to_string(node.source().begin.line) + " sets '" + std::string(key.str()) +
                  "'");
    }
  }
  return {};
}

std::string diagnostics_text(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.severity != Diagnostic::Severity::Error) continue;
    out += (out.empty() ? "" : "; ") + diagnostic.render();
  }
  return out;
}

}  // namespace

Result<std::optional<std::string>, std::string> read_step_target(const fs::path& project_root,
                                                                 WizardStep step) {
  const auto path = project_root / wizard_step_file(step);
  std::error_code error;
  if (!fs::exists(path, error)) return std::optional<std::string>();
  auto text = read_file(path);
  if (!text) return fail(text.error().message);
  return std::optional<std::string>(std::move(text.value()));
}

std::string target_hash(const std::optional<std::string>& content) {
  return content ? content_hash(*content) : std::string();
}

std::string without_tables(const std::string& toml, std::string_view name) {
  const std::string array_header = "[[" + std::string(name) + "]]";
  const std::string sub_prefix = "[" + std::string(name) + ".";
  const std::string sub_array_prefix = "[[" + std::string(name) + ".";
  std::string out;
  bool inside = false;
  std::size_t at = 0;
  while (at < toml.size()) {
    auto end = toml.find('\n', at);
    end = end == std::string::npos ? toml.size() : end + 1;
    const std::string_view line(toml.data() + at, end - at);
    const auto head = trimmed(line);
    if (!head.empty() && head[0] == '[') {
      inside = head.rfind(array_header, 0) == 0 || head.rfind(sub_prefix, 0) == 0 ||
               head.rfind(sub_array_prefix, 0) == 0;
    }
    if (!inside) out.append(line);
    at = end;
  }
  return out;
}

Result<std::string, std::string> confirmed_content(WizardStep step,
                                                   const std::optional<std::string>& current,
                                                   const std::string& draft) {
  const auto table = wizard_step_table(step);
  if (table.empty()) return draft;
  if (auto checked = check_table_draft(step, draft); !checked) return fail(checked.error());
  std::string content = without_tables(current.value_or(""), table);
  while (!content.empty() && (content.back() == '\n' || content.back() == ' '))
    content.pop_back();
  content += (content.empty() ? "" : "\n\n") + draft;
  if (!content.empty() && content.back() != '\n') content += '\n';
  auto loaded = parse_project_config(content, ".storkit/project.toml");
  if (!loaded) {
    return fail("with this draft .storkit/project.toml would not load: " +
                diagnostics_text(loaded.error()));
  }
  return content;
}

Result<void, std::string> write_step_target(const fs::path& project_root, WizardStep step,
                                            const std::string& content) {
  const auto path = project_root / wizard_step_file(step);
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) return fail("cannot create " + path.parent_path().string() + ": " + error.message());
  if (auto written = write_file_atomic(path, content); !written)
    return fail(written.error().message);
  if (step == WizardStep::Gate) {
    fs::permissions(path,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    error);
    if (error) return fail("cannot make " + path.string() + " executable: " + error.message());
  }
  return {};
}

}  // namespace stork::ops
