#include "cli/story_remote.hpp"

#include <boost/json/value.hpp>

#include "cli/api_client.hpp"
#include "cli/server_call.hpp"

namespace stork::cli {

ServerReply post_to_server(CliContext& context, const std::filesystem::path& project_root,
                           const std::string& target, const std::string& body) {
  std::error_code missing;
  if (!std::filesystem::exists(project_root / ".mcp.json", missing)) return {};
  auto address = server_address(project_root, std::nullopt);
  if (!address) return {};  // `stork config check` reports a broken file
  ApiClient client(*address);
  if (!client.listening()) return {};
  auto reply = call_server(context, client, "POST", target, body);
  if (!reply) return {ServerEdit::Failed, {}};
  return {ServerEdit::Done, std::move(*reply)};
}

ServerEdit edit_through_server(CliContext& context, const std::filesystem::path& project_root,
                               const std::string& target, const std::string& body,
                               const std::string& done_message) {
  auto posted = post_to_server(context, project_root, target, body);
  if (posted.outcome != ServerEdit::Done) return posted.outcome;
  const auto& reply = posted.body;
  const auto* id = reply.is_object() ? reply.as_object().if_contains("id") : nullptr;
  context.out << (id != nullptr && id->is_string() ? std::string(id->as_string()) : target) << ": "
              << done_message << "\n";
  return ServerEdit::Done;
}

}  // namespace stork::cli
