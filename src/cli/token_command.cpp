// `stork token revoke`: ends every board login (session cookie) of the running server; the
// bearer token is unchanged (restart with another --token to change it). docs/remote.md.
#include <boost/json.hpp>

#include "cli/client_commands.hpp"
#include "cli/server_call.hpp"

namespace stork::cli {
namespace json = boost::json;

void add_token_command(CLI::App& app, CliContext& context) {
  auto* token = app.add_subcommand("token", "The server's board logins");
  token->require_subcommand(1);
  auto args = std::make_shared<ServerArgs>();
  auto* revoke = token->add_subcommand(
      "revoke", "End every board login (session cookie); STORK_TOKEN must hold the admin token");
  add_server_options(revoke, *args);
  revoke->callback([&context, args] {
    auto client = open_client(context, *args);
    if (!client) return;
    auto revoked = call_server(context, *client, "DELETE", "/api/sessions");
    if (!revoked) return;
    if (args->json) {
      context.out << json::serialize(*revoked) << "\n";
      return;
    }
    context.out << "revoked " << revoked->as_object().at("revoked").to_number<std::int64_t>()
                << " board login(s)\n";
  });
}

}  // namespace stork::cli
