#include "cli/init_command.hpp"

#include <iostream>
#include <memory>

#include "cli/project_init.hpp"
#include "cli/wizard_session.hpp"

namespace stork::cli {
namespace {

// After init: the setup wizard in this terminal (through the server when one runs).
void run_wizard(CliContext& context, const std::filesystem::path& repo_root) {
  std::string error;
  auto driver = open_wizard_driver(context, repo_root, error);
  if (!driver) {
    context.fail(kExitFailure, "the setup wizard cannot start: " + error);
    return;
  }
  std::istream& in = context.in != nullptr ? *context.in : std::cin;
  context.exit_code = run_wizard_session(context, in, *driver);
}

void run_init(CliContext& context, int port, bool wizard) {
  InitOptions options;
  options.directory = context.project_flag ? context.cwd / *context.project_flag : context.cwd;
  options.port = port;
  auto report = init_project(options);
  if (!report) {
    context.fail(report.error().kind == InitError::Kind::Io ? kExitFailure : kExitUsage,
                 report.error().message);
    return;
  }
  if (!report->changed()) {
    context.out << "stork: " << report->repo_root.string()
                << " is already initialised; nothing changed\n";
  } else {
    context.out << "stork: initialised " << report->repo_root.string() << "\n";
    for (const auto& path : report->created)
      context.out << "  created " << path << "\n";
    for (const auto& path : report->kept)
      context.out << "  kept    " << path << " (already there)\n";
    context.out << "Next: edit .storkit/project.toml and script/test, commit .storkit/, then run "
                   "`stork serve`.\n";
  }
  for (const auto& note : report->notes)
    context.warn(note);
  if (wizard) run_wizard(context, report->repo_root);
}

}  // namespace

void add_init_command(CLI::App& app, CliContext& context) {
  auto port = std::make_shared<int>(3000);
  auto wizard = std::make_shared<bool>(false);
  auto* init = app.add_subcommand(
      "init", "Set up .storkit/, .mcp.json and script/test in this git repository");
  init->add_option("--port", *port, "Port `stork serve` will use (written into .mcp.json)")
      ->capture_default_str();
  init->add_flag("--wizard", *wizard,
                 "Then draft the specs, the gate and the roster step by step (docs/wizard.md)");
  init->callback([&context, port, wizard] { run_init(context, *port, *wizard); });
}

}  // namespace stork::cli
