#include "cli/doctor_command.hpp"

#include "cli/project_loading.hpp"
#include "config/config_loader.hpp"
#include "ops/doctor.hpp"

namespace stork::cli {

bool doctor_passes(CliContext& context, const std::filesystem::path& root,
                   const ProjectConfig& config, bool verbose) {
  const auto report = ops::run_doctor(root, config);
  const bool problems =
      report.count(ops::DoctorFinding::Level::Ok) != static_cast<int>(report.findings.size());
  if (verbose || problems) context.err << ops::render_doctor(report);
  if (!report.has_errors()) return true;
  context.fail(kExitFailure, "the project is not ready: fix the errors above (`stork doctor`)");
  return false;
}

namespace {

void run_doctor_command(CliContext& context) {
  const auto project = load_project_or_report(context);
  if (!project) return;
  const auto report = ops::run_doctor(project->root, project->loaded.config);
  context.out << ops::render_doctor(report);
  if (report.has_errors()) context.exit_code = kExitFailure;
}

}  // namespace

void add_doctor_command(CLI::App& app, CliContext& context) {
  app.add_subcommand("doctor",
                     "Check the project's setup before any agent runs: git identity, base "
                     "branch, committed setup and gate, each agent's program and credentials")
      ->callback([&context] { run_doctor_command(context); });
}

}  // namespace stork::cli
