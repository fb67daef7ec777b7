#include "config/chat_config_reader.hpp"

#include <algorithm>
#include <cctype>

#include "base/file_io.hpp"
#include "config/chat_agent_loader.hpp"
#include "config/chat_config_loader.hpp"
#include "config/notify_config_loader.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {
namespace {

bool is_env_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
}

// "<sigil>localpart:server" with something on both sides of the first ':' and no spaces.
bool is_matrix_id(std::string_view id, char sigil) {
  if (id.size() < 4 || id.front() != sigil) return false;
  const auto colon = id.find(':');
  if (colon == std::string_view::npos || colon < 2 || colon + 1 >= id.size()) return false;
  return std::none_of(id.begin(), id.end(),
                      [](unsigned char c) { return std::isspace(c) != 0 || std::iscntrl(c) != 0; });
}

std::optional<std::string> env_name(TableReader& table, std::string_view key) {
  auto name = table.string(key);
  if (name && !is_env_name(*name)) {
    table.error(key, "[chat.matrix] '" + std::string(key) +
                         "' must be an environment variable name, got '" + *name + "'");
    return std::nullopt;
  }
  return name;
}

void read_ids(TableReader& table, std::string_view key, const std::string& sigils,
              std::vector<std::string>& out) {
  for (const auto& id : table.string_list(key).value_or(std::vector<std::string>{})) {
    const bool valid = std::any_of(sigils.begin(), sigils.end(),
                                   [&](char sigil) { return is_matrix_id(id, sigil); });
    if (!valid) {
      table.error(key, "[chat.matrix] '" + id + "' in '" + std::string(key) + "' is not a Matrix " +
                           (sigils == "@" ? "user id (@name:server)" : "room id (!id:server)"));
    } else {
      out.push_back(id);
    }
  }
}

MatrixChatConfig read_matrix(TableReader& table) {
  MatrixChatConfig matrix;
  matrix.homeserver = table.string("homeserver").value_or("");
  if (!is_http_url(matrix.homeserver)) {
    table.error("homeserver",
                "[chat.matrix] needs 'homeserver' starting with https:// (or "
                "http://), got '" +
                    matrix.homeserver + "'");
  }
  matrix.user_id = table.string("user_id").value_or("");
  if (!is_matrix_id(matrix.user_id, '@')) {
    table.error("user_id",
                "[chat.matrix] needs 'user_id', the bot's Matrix id "
                "(@name:server), got '" +
                    matrix.user_id + "'");
  }
  matrix.access_token_env = env_name(table, "access_token_env");
  matrix.password_env = env_name(table, "password_env");
  if (table.has("access_token_env") == table.has("password_env")) {
    table.error("access_token_env",
                "[chat.matrix] needs exactly one of 'access_token_env' and 'password_env'");
  }
  read_ids(table, "rooms", "!", matrix.rooms);
  read_ids(table, "allowed_users", "@", matrix.allowed_users);
  if (matrix.allowed_users.empty() && !table.has("allowed_users")) {
    table.warning("allowed_users", "[chat.matrix] has no 'allowed_users': the bot answers nobody");
  }
  if (auto timeout = table.integer("sync_timeout_secs")) {
    if (*timeout < 1 || *timeout > 300) {
      table.error("sync_timeout_secs", "[chat.matrix] 'sync_timeout_secs' must be 1 to 300");
    } else {
      matrix.sync_timeout_secs = static_cast<int>(*timeout);
    }
  }
  table.finish();
  return matrix;
}

}  // namespace

void read_chat_table(const toml::table& chat, const std::string& file, std::vector<Diagnostic>& out,
                     std::optional<MatrixChatConfig>& matrix, std::optional<std::string>& agent,
                     int& agent_line) {
  TableReader chat_table(chat, "chat", file, out);
  agent = chat_table.string("agent");
  agent_line = chat_table.line_of("agent");
  if (agent && agent->empty()) chat_table.error("agent", "[chat] 'agent' must name an agent");
  if (const toml::table* table = chat_table.table("matrix")) {
    TableReader matrix_table(*table, "chat.matrix", file, out);
    matrix = read_matrix(matrix_table);
    matrix->line = static_cast<int>(table->source().begin.line);
  }
  chat_table.finish();
}

}  // namespace stork::config_detail

namespace stork {

namespace {

// What a project.toml's [chat] table holds, with every diagnostic of reading it (invalid TOML
// included); the two parsers below each decide which errors concern them.
struct ChatTable {
  std::vector<Diagnostic> diagnostics;
  std::optional<MatrixChatConfig> matrix;
  std::optional<std::string> agent;
};

ChatTable read_chat(std::string_view toml_text, std::string_view file_name) {
  const std::string file(file_name);
  ChatTable out;
  int agent_line = 0;
  try {
    const toml::table root = toml::parse(toml_text, file_name);
    if (const toml::table* chat = root["chat"].as_table()) {
      config_detail::read_chat_table(*chat, file, out.diagnostics, out.matrix, out.agent,
                                     agent_line);
    }
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    out.diagnostics.push_back(Diagnostic{
        Diagnostic::Severity::Error, file, static_cast<int>(where.line),
        static_cast<int>(where.column), "", "invalid TOML: " + std::string(error.description())});
  }
  return out;
}

}  // namespace

ChatConfigResult parse_chat_config(std::string_view toml_text, std::string_view file_name) {
  auto read = read_chat(toml_text, file_name);
  for (const auto& diagnostic : read.diagnostics) {
    if (diagnostic.severity == Diagnostic::Severity::Error)
      return fail(std::move(read.diagnostics));
  }
  return read.matrix;
}

ChatAgentResult parse_chat_agent(std::string_view toml_text, std::string_view file_name) {
  auto read = read_chat(toml_text, file_name);
  // Only the agent matters here: a broken [chat.matrix] is the bot's problem, not the chat's.
  for (const auto& diagnostic : read.diagnostics) {
    if (diagnostic.severity == Diagnostic::Severity::Error &&
        (diagnostic.field.empty() || diagnostic.field == "chat.agent"))
      return fail(std::move(read.diagnostics));
  }
  return read.agent;
}

ChatAgentResult load_chat_agent(const std::filesystem::path& project_toml) {
  auto text = read_file(project_toml);
  if (!text) {
    return fail(std::vector<Diagnostic>{Diagnostic{
        Diagnostic::Severity::Error, project_toml.string(), 0, 0, "", text.error().message}});
  }
  return parse_chat_agent(*text, project_toml.string());
}

ChatConfigResult load_chat_config(const std::filesystem::path& project_toml) {
  auto text = read_file(project_toml);
  if (!text) {
    return fail(std::vector<Diagnostic>{Diagnostic{
        Diagnostic::Severity::Error, project_toml.string(), 0, 0, "", text.error().message}});
  }
  return parse_chat_config(*text, project_toml.string());
}

}  // namespace stork
