#include "cli/story_remote.hpp"

#include <boost/json/value.hpp>

#include "cli/api_client.hpp"
#include "cli/server_call.hpp"

namespace stork::cli {

ServerEdit edit_through_server(CliContext& context, const std::filesystem::path& project_root,
                               const std::string& target, const std::string& body,
                               const std::string& done_message) {
  std::error_code missing;
  if (!std::filesystem::exists(project_root / ".mcp.json", missing)) return ServerEdit::NoServer;
  auto address = server_address(project_root, std::nullopt);
  if (!address) return ServerEdit::NoServer;  // `stork config check` reports a broken file
  ApiClient client(*address);
  if (!client.listening()) return ServerEdit::NoServer;
  auto reply = call_server(context, client, "POST", target, body);
  if (!reply) return ServerEdit::Failed;
  const auto* id = reply->is_object() ? reply->as_object().if_contains("id") : nullptr;
  context.out << (id != nullptr && id->is_string() ? std::string(id->as_string()) : target) << ": "
              << done_message << "\n";
  return ServerEdit::Done;
}

}  // namespace stork::cli
