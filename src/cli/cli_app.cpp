#include "cli/cli_app.hpp"

#include <CLI/CLI.hpp>

#include "cli/chat_command.hpp"
#include "cli/cli_context.hpp"
#include "cli/client_commands.hpp"
#include "cli/config_command.hpp"
#include "cli/doctor_command.hpp"
#include "cli/init_command.hpp"
#include "cli/notify_command.hpp"
#include "cli/run_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/story_commands.hpp"
#include "stork/version.hpp"

namespace stork::cli {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::filesystem::path& cwd) {
  CliContext context{out, err, cwd, std::nullopt, kExitOk};
  CLI::App app{
      "stork: runs AI coding agents on the backlog of a git repository, from backlog to merged "
      "code.",
      "stork"};
  app.set_version_flag("--version", std::string("stork ") + kVersion);
  app.require_subcommand(1);
  std::string project;
  app.add_option("--project", project, "The project directory (default: nearest with .storkit/)");
  app.parse_complete_callback([&] {
    if (!project.empty()) context.project_flag = project;
  });
  add_init_command(app, context);
  add_config_commands(app, context);
  add_doctor_command(app, context);
  add_story_commands(app, context);
  add_run_command(app, context);
  add_serve_command(app, context);
  add_agent_commands(app, context);
  add_status_command(app, context);
  add_cost_command(app, context);
  add_token_command(app, context);
  add_notify_commands(app, context);
  add_permission_commands(app, context);
  add_chat_commands(app, context);

  // CLI11 parses argv in reverse order (it pops from the back).
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "stork: " << e.what() << "\n";
    err << "Run 'stork --help' for usage.\n";
    return kExitUsage;
  }
  return context.exit_code;
}

}  // namespace stork::cli
