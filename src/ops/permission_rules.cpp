#include "ops/permission_rules.hpp"

#include <regex>
#include <sstream>

#include <boost/json/parse.hpp>
#include <toml++/toml.h>

#include "base/file_io.hpp"

namespace stork::ops {
namespace {

namespace json = boost::json;

OpError malformed(const std::filesystem::path& file, const toml::source_region& where,
                  std::string field, const std::string& what) {
  OpError error{OpError::Kind::Malformed, file.string() + ":" + std::to_string(where.begin.line) +
                                              ":" + std::to_string(where.begin.column) + ": " +
                                              what};
  error.field = std::move(field);
  return error;
}

// One [[allow]] or [[deny]] table; every key checked, unknown ones refused (a typo such as
// `comand` would otherwise widen the rule to every use of the tool).
OpResult<PermissionRule> read_rule(const std::filesystem::path& file, const toml::table& table,
                                   const std::string& path, bool allow) {
  PermissionRule rule;
  rule.allow = allow;
  rule.line = static_cast<int>(table.source().begin.line);
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    std::string field = path;
    field += '.';
    field += name;
    const auto* text = node.as_string();
    if (text == nullptr)
      return fail(malformed(file, node.source(), field, field + " must be a string"));
    const std::string value = text->get();
    if (name == "agent") {
      rule.agent = value;
    } else if (name == "tool") {
      rule.tool = value;
    } else if (name == "command") {
      rule.command = value;
    } else if (name == "input") {
      std::error_code ec;
      auto parsed = json::parse(value, ec);
      if (ec || !parsed.is_object())
        return fail(malformed(file, node.source(), field, field + " must be a JSON object"));
      rule.input = value;
    } else if (name == "pattern") {
      try {
        std::regex compiled(value, std::regex::ECMAScript);
      } catch (const std::regex_error& bad) {
        return fail(malformed(file, node.source(), field,
                              field + " is not a valid regular expression: " + bad.what()));
      }
      rule.pattern = value;
    } else if (name == "message" && !allow) {
      rule.message = value;
    } else {
      return fail(malformed(file, node.source(), field,
                            "unknown key " + field +
                                " (known: agent, tool, command, input, pattern" +
                                (allow ? ")" : ", message)")));
    }
  }
  for (const char* required : {"agent", "tool"}) {
    const std::string& value = std::string_view(required) == "agent" ? rule.agent : rule.tool;
    if (value.empty()) {
      return fail(malformed(file, table.source(), path + "." + required,
                            path + " needs a non-empty '" + required + "'"));
    }
  }
  return rule;
}

OpResult<std::vector<PermissionRule>> read_rules(const std::filesystem::path& file,
                                                 const toml::table& root) {
  std::vector<PermissionRule> rules;
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name != "allow" && name != "deny") {
      return fail(malformed(file, node.source(), name,
                            "unknown table '" + name + "' (expected [[allow]] or [[deny]])"));
    }
    const auto* array = node.as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      std::string what = "'" + name;
      what += "' must be an array of tables ([[";
      what += name;
      what += "]])";
      return fail(malformed(file, node.source(), name, what));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto rule = read_rule(file, *array->get(i)->as_table(), name + "[" + std::to_string(i) + "]",
                            name == "allow");
      if (!rule) return fail(std::move(rule).take_error());
      rules.push_back(std::move(*rule));
    }
  }
  return rules;
}

bool matches(const PermissionRule& rule, const PermissionSubject& subject) {
  if (rule.agent != subject.agent || rule.tool != subject.tool) return false;
  if (rule.command && (!subject.command || *rule.command != *subject.command)) return false;
  if (rule.input) {
    std::error_code ec;
    auto asked = json::parse(subject.input_json, ec);
    if (ec || asked != json::parse(*rule.input)) return false;
  }
  if (rule.pattern) {
    const std::string& text = subject.command ? *subject.command : subject.input_json;
    if (!std::regex_match(text, std::regex(*rule.pattern, std::regex::ECMAScript))) return false;
  }
  return true;
}

}  // namespace

OpResult<std::vector<PermissionRule>> load_permission_rules(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::vector<PermissionRule>{};
  auto text = read_file(file);
  if (!text) return fail(OpError{OpError::Kind::Failed, text.error().message});
  toml::table root;
  try {
    root = toml::parse(*text, file.string());
  } catch (const toml::parse_error& error) {
    return fail(malformed(file, error.source(), "", std::string(error.description())));
  }
  return read_rules(file, root);
}

const PermissionRule* find_rule(const std::vector<PermissionRule>& rules,
                                const PermissionSubject& subject) {
  for (bool allow : {false, true}) {
    for (const auto& rule : rules) {
      if (rule.allow == allow && matches(rule, subject)) return &rule;
    }
  }
  return nullptr;
}

PermissionRule exact_rule(const PermissionSubject& subject, bool allow, std::string message) {
  PermissionRule rule;
  rule.allow = allow;
  rule.agent = subject.agent;
  rule.tool = subject.tool;
  if (subject.command) {
    rule.command = subject.command;
  } else {
    rule.input = subject.input_json;
  }
  if (!allow) rule.message = std::move(message);
  return rule;
}

OpResult<void> append_permission_rule(const std::filesystem::path& file,
                                      const PermissionRule& rule) {
  auto existing = load_permission_rules(file);
  if (!existing) return fail(std::move(existing).take_error());
  std::string text;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    auto read = read_file(file);
    if (!read) return fail(OpError{OpError::Kind::Failed, read.error().message});
    text = std::move(*read);
  }
  toml::table entry{{"agent", rule.agent}, {"tool", rule.tool}};
  if (rule.command) entry.insert("command", *rule.command);
  if (rule.input) entry.insert("input", *rule.input);
  if (rule.pattern) entry.insert("pattern", *rule.pattern);
  if (!rule.allow && !rule.message.empty()) entry.insert("message", rule.message);
  toml::table wrapper{{rule.allow ? "allow" : "deny", toml::array{std::move(entry)}}};
  std::ostringstream table_text;
  table_text << wrapper;
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (!text.empty()) text += '\n';
  text += table_text.str() + "\n";
  std::filesystem::create_directories(file.parent_path(), ec);
  if (auto written = write_file_atomic(file, text); !written)
    return fail(OpError{OpError::Kind::Failed, written.error().message});
  return {};
}

}  // namespace stork::ops
