// `stork permission list|allow|deny`: the agents' permission questions waiting for a person,
// answered through the running server (GET /api/permissions, POST /api/permissions/{id}).
#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/client_commands.hpp"
#include "cli/server_call.hpp"

namespace stork::cli {
namespace json = boost::json;
namespace {

struct PermissionArgs {
  ServerArgs server;
  std::string id;
  bool always = false;
  std::string message;
};

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return "-";
  if (value->is_string()) return std::string(value->as_string());
  return json::serialize(*value);
}

// What the tool would do, in one line: a Bash command as written, other input as JSON.
std::string input_summary(const json::object& request) {
  const auto* input = request.if_contains("input");
  if (input == nullptr) return "-";
  if (const auto* object = input->if_object()) {
    const auto* command = object->if_contains("command");
    if (command != nullptr && command->is_string()) return std::string(command->as_string());
  }
  return json::serialize(*input);
}

void run_list(CliContext& context, const PermissionArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  auto answer = call_server(context, *client, "GET", "/api/permissions");
  if (!answer) return;
  if (args.server.json) {
    context.out << json::serialize(*answer) << "\n";
    return;
  }
  const auto& requests = answer->as_object().at("permissions").as_array();
  if (requests.empty()) {
    context.out << "no permission requests are waiting\n";
    return;
  }
  for (const auto& entry : requests) {
    const auto& request = entry.as_object();
    context.out << fmt::format("{}  {} on {} asks for {}: {}\n", text_of(request, "id"),
                               text_of(request, "agent"), text_of(request, "story_id"),
                               text_of(request, "tool_name"), input_summary(request));
    if (request.contains("rules_error"))
      context.out << "    (rules not applied: " << text_of(request, "rules_error") << ")\n";
  }
}

void run_decide(CliContext& context, const PermissionArgs& args, bool allow) {
  auto client = open_client(context, args.server);
  if (!client) return;
  json::object body{{"decision", allow ? "allow" : "deny"}, {"always", args.always}};
  if (!args.message.empty()) body["message"] = args.message;
  auto answer = call_server(context, *client, "POST", "/api/permissions/" + url_component(args.id),
                            json::serialize(body));
  if (!answer) return;
  if (args.server.json) {
    context.out << json::serialize(*answer) << "\n";
    return;
  }
  context.out << fmt::format("{} {}{}\n", allow ? "allowed" : "denied", args.id,
                             args.always ? " (and saved in .storkit/permissions.toml)" : "");
}

}  // namespace

void add_permission_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<PermissionArgs>();
  auto* permission =
      app.add_subcommand("permission", "List and answer agents' permission requests");
  permission->require_subcommand(1);

  auto* list = permission->add_subcommand("list", "The requests waiting for a person");
  add_server_options(list, args->server);
  list->callback([&context, args] { run_list(context, *args); });

  for (const bool allow : {true, false}) {
    auto* decide = permission->add_subcommand(
        allow ? "allow" : "deny",
        allow ? "Let the agent use the tool" : "Refuse; the agent reads the message");
    decide->add_option("ID", args->id, "The request's id (stork permission list)")->required();
    decide->add_flag("--always", args->always,
                     "Also answer the same request of this agent so from now on "
                     "(.storkit/permissions.toml)");
    decide->add_option("--message", args->message, "What the agent reads (deny)");
    add_server_options(decide, args->server);
    decide->callback([&context, args, allow] { run_decide(context, *args, allow); });
  }
}

}  // namespace stork::cli
