#include "cli/server_call.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "cli/project_locator.hpp"

namespace stork::cli {

void add_server_options(CLI::App* command, ServerArgs& args, bool with_json) {
  command->add_option("--port", args.port,
                      "The server's port (default: from .mcp.json, else 3000)");
  if (with_json) command->add_flag("--json", args.json, "Print the server's JSON (docs/api.md)");
}

std::optional<ApiClient> open_client(CliContext& context, const ServerArgs& args) {
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root) {
    if (!args.port || context.project_flag) {
      context.fail(kExitUsage, root.error().message);
      return std::nullopt;
    }
    return ApiClient(ServerAddress{"127.0.0.1", *args.port});
  }
  auto address = server_address(*root, args.port);
  if (!address) {
    context.fail(kExitFailure, address.error());
    return std::nullopt;
  }
  return ApiClient(*address);
}

std::optional<ApiClient> open_client_or_local(CliContext& context, const ServerArgs& args,
                                              std::optional<std::filesystem::path>& local_root) {
  if (args.port) return open_client(context, args);  // that server, or an error
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root) {
    context.fail(kExitUsage, root.error().message);
    return std::nullopt;
  }
  // Only the server the project's .mcp.json names: without one, port 3000 may be another
  // project's.
  std::error_code missing;
  const bool named = std::filesystem::exists(*root / ".mcp.json", missing);
  auto address = server_address(*root, std::nullopt);
  if (named && !address) {
    context.fail(kExitFailure, address.error());  // a broken file is said, not guessed past
    return std::nullopt;
  }
  if (named) {
    ApiClient client(*address);
    if (client.listening()) return client;
  }
  local_root = *root;
  return std::nullopt;
}

std::optional<boost::json::value> call_server(CliContext& context, const ApiClient& client,
                                              const char* method, const std::string& target,
                                              const std::string& body) {
  const std::string_view verb = method;
  auto reply = verb == "GET"      ? client.get(target)
               : verb == "DELETE" ? client.del(target)
                                  : client.post(target, body);
  if (!reply) {
    context.fail(kExitFailure, reply.error());
    return std::nullopt;
  }
  if (!reply->ok()) {
    context.fail(reply->status == 400 ? kExitUsage : kExitFailure, reply->error_message());
    return std::nullopt;
  }
  boost::system::error_code error;
  auto value = boost::json::parse(reply->body, error);
  if (error) {
    context.fail(kExitFailure,
                 "the server's answer to " + target + " is not JSON: " + error.message());
    return std::nullopt;
  }
  return value;
}

std::string url_component(const std::string& text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace stork::cli
