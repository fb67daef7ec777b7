// `stork chat check`: the Matrix settings tried for real, once, blocking: the token (or a
// password login), whoami, one sync without waiting; each step one line of the report.
#include <cstdlib>

#include "chat/matrix_bot.hpp"
#include "chat/matrix_protocol.hpp"
#include "notify/matrix_http.hpp"

namespace stork::chat {
using notify::matrix_call;
using notify::MatrixRequest;

namespace {

std::string string_field(const boost::json::value& value, std::string_view key) {
  if (!value.is_object()) return {};
  const auto* field = value.as_object().if_contains(key);
  return field != nullptr && field->is_string() ? std::string(field->as_string()) : "";
}

// The token to use, or a failed line saying why there is none.
std::string obtain_token(const MatrixChatConfig& config, std::vector<ChatCheckLine>& lines,
                         const std::atomic<bool>& never) {
  if (config.access_token_env) {
    const char* token = std::getenv(config.access_token_env->c_str());
    if (token == nullptr || *token == '\0') {
      lines.push_back({false, "access token: " + *config.access_token_env + " is not set"});
      return {};
    }
    lines.push_back({true, "access token: from " + *config.access_token_env});
    return token;
  }
  const char* password = std::getenv(config.password_env.value_or("").c_str());
  if (password == nullptr) {
    lines.push_back({false, "password: " + config.password_env.value_or("") + " is not set"});
    return {};
  }
  MatrixRequest login{"POST", "/_matrix/client/v3/login",
                      password_login_body(config.user_id, password), std::chrono::seconds(20)};
  auto answer = matrix_call(config.homeserver, "", login, never);
  if (!answer.ok()) {
    lines.push_back({false, "login: " + answer.error().message()});
    return {};
  }
  lines.push_back({true, "login: password accepted for " + config.user_id});
  return string_field(answer.value(), "access_token");
}

}  // namespace

std::vector<ChatCheckLine> check_matrix(const MatrixChatConfig& config,
                                        const std::filesystem::path& /*project_root*/) {
  std::vector<ChatCheckLine> lines;
  const std::atomic<bool> never{false};
  const std::string token = obtain_token(config, lines, never);
  if (token.empty()) return lines;
  MatrixRequest whoami{"GET", "/_matrix/client/v3/account/whoami", "", std::chrono::seconds(20)};
  auto who = matrix_call(config.homeserver, token, whoami, never);
  if (!who.ok()) {
    lines.push_back({false, "whoami: " + who.error().message()});
    return lines;
  }
  const std::string user = string_field(who.value(), "user_id");
  lines.push_back(
      {user == config.user_id,
       "whoami: " + user + (user == config.user_id ? "" : " (expected " + config.user_id + ")")});
  MatrixRequest sync{"GET", sync_path(std::nullopt, 0), "", std::chrono::seconds(60)};
  auto synced = matrix_call(config.homeserver, token, sync, never);
  if (!synced.ok()) {
    lines.push_back({false, "sync: " + synced.error().message()});
    return lines;
  }
  auto batch = parse_sync(synced.value(), config.user_id);
  if (!batch.ok()) {
    lines.push_back({false, "sync: " + batch.error()});
    return lines;
  }
  std::size_t joined = 0;
  if (const auto* rooms = synced.value().as_object().if_contains("rooms");
      rooms != nullptr && rooms->is_object()) {
    if (const auto* join = rooms->as_object().if_contains("join"); join && join->is_object())
      joined = join->as_object().size();
  }
  lines.push_back({true, "sync: " + std::to_string(joined) + " rooms joined, " +
                             std::to_string(batch.value().invites.size()) + " invites waiting"});
  for (const auto& room : batch.value().encrypted)
    lines.push_back({false, "room " + room + " is encrypted: the bot cannot read it"});
  return lines;
}

}  // namespace stork::chat
