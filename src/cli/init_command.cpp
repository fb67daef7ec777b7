#include "cli/init_command.hpp"

#include <memory>

#include "cli/project_init.hpp"

namespace stork::cli {
namespace {

void run_init(CliContext& context, int port) {
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
}

}  // namespace

void add_init_command(CLI::App& app, CliContext& context) {
  auto port = std::make_shared<int>(3000);
  auto* init = app.add_subcommand(
      "init", "Set up .storkit/, .mcp.json and script/test in this git repository");
  init->add_option("--port", *port, "Port `stork serve` will use (written into .mcp.json)")
      ->capture_default_str();
  init->callback([&context, port] { run_init(context, *port); });
}

}  // namespace stork::cli
