// When the project's server is running, `stork story block|unblock|check` go through its REST
// API (docs/api.md): the server serialises them with its own edits, and its board and
// subscribers hear of them. The server is the one the project's .mcp.json names (`stork serve`
// keeps that URL current). With no .mcp.json, or nothing listening there, the caller edits the
// file itself, under the stage store's lock (StageStore::update).
#pragma once

#include <filesystem>
#include <string>

#include <boost/json/value.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

enum class ServerEdit {
  NoServer,  // the caller edits the file
  Done,      // the server made the edit; "<id>: <done_message>" is printed
  Failed,    // the server refused or failed; the context has the message and exit code
};

// The outcome of one POST to the project's server, and its JSON reply when it was Done.
struct ServerReply {
  ServerEdit outcome = ServerEdit::NoServer;
  boost::json::value body;
};

// POSTs `body` to `target` on the project's server, if one is running; prints nothing on
// success (a failure is in the context).
ServerReply post_to_server(CliContext& context, const std::filesystem::path& project_root,
                           const std::string& target, const std::string& body);

// POSTs `body` to `target` on the project's server, if one is running.
ServerEdit edit_through_server(CliContext& context, const std::filesystem::path& project_root,
                               const std::string& target, const std::string& body,
                               const std::string& done_message);

}  // namespace stork::cli
