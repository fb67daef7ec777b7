// `stork init --wizard`'s conversation in a terminal: for each step of the setup wizard it
// shows the draft (and the gate's result), opens $EDITOR to amend it, and asks confirm / edit /
// retry with feedback / skip / quit. It speaks to the wizard through a WizardDriver: the
// running server's REST API (/api/wizard) when one answers, else WizardOps in-process
// (templates; the commit made directly). Quitting keeps the wizard's state: run it again to
// resume.
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

// One wizard call; the JSON of ops/wizard_json.hpp, or the refusal's message and whether it
// was a conflict (a file changed since the draft, a step in the wrong state).
struct WizardReply {
  std::optional<boost::json::object> status;
  std::string error;
  bool conflict = false;
};

class WizardDriver {
 public:
  virtual ~WizardDriver() = default;
  virtual std::string where() const = 0;  // "the server on 127.0.0.1:3000", "this terminal"
  virtual WizardReply status() = 0;
  // `action`: generate, retry, edit, confirm, skip; `body` its JSON fields (api.md).
  virtual WizardReply act(const std::string& step, const std::string& action,
                          const boost::json::object& body) = 0;
};

// The server's driver when one answers for the project, else the in-process one (the error
// when neither can be had: the configuration does not load, say).
std::unique_ptr<WizardDriver> open_wizard_driver(CliContext& context,
                                                 const std::filesystem::path& project_root,
                                                 std::string& error);

// Runs the conversation until the wizard is finished or the person quits; the exit code.
int run_wizard_session(CliContext& context, std::istream& in, WizardDriver& driver);

}  // namespace stork::cli
