// What every command that talks to a running server shares: the --port and --json options,
// finding the server (ApiClient), and turning a failed call into a message and an exit code:
// no server or no answer → 1, a request the server calls bad (400) → 2, any other refusal
// (404, 409, 5xx) → 1, with the server's own message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json/value.hpp>

#include "cli/api_client.hpp"
#include "cli/cli_context.hpp"

namespace stork::cli {

struct ServerArgs {
  std::optional<unsigned short> port;
  bool json = false;
};

// Adds --port (and --json when `with_json`) to `command`.
void add_server_options(CLI::App* command, ServerArgs& args, bool with_json = true);

// The client for the project's server. Without a project, --port alone is enough. On failure
// the context has the message and exit code.
std::optional<ApiClient> open_client(CliContext& context, const ServerArgs& args);

// For reports that can also be made from the project's own files (`stork status`, `stork
// cost`): the client of the project's server when one answers (or --port names one), else
// nothing with `local_root` set to the project to read instead. On failure both are empty and
// the context says why.
std::optional<ApiClient> open_client_or_local(CliContext& context, const ServerArgs& args,
                                              std::optional<std::filesystem::path>& local_root);

// One call; the reply's JSON when the status is 2xx, else nothing (context failed).
std::optional<boost::json::value> call_server(CliContext& context, const ApiClient& client,
                                              const char* method, const std::string& target,
                                              const std::string& body = {});

// A path segment or query value, percent-encoded.
std::string url_component(const std::string& text);

}  // namespace stork::cli
