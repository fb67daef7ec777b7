#include "ops/doctor.hpp"

#include <algorithm>
#include <sstream>

namespace stork::ops {

bool DoctorReport::has_errors() const {
  return count(DoctorFinding::Level::Error) > 0;
}

int DoctorReport::count(DoctorFinding::Level level) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [level](const auto& f) { return f.level == level; }));
}

DoctorReport run_doctor(const std::filesystem::path& project_root, const ProjectConfig& config,
                        const DoctorOptions& options) {
  DoctorReport report;
  doctor::check_repository(project_root, config, report);
  doctor::check_agents(project_root, config, options, report);
  doctor::check_sandbox(project_root, config, report);
  return report;
}

namespace {

const char* label(DoctorFinding::Level level) {
  switch (level) {
    case DoctorFinding::Level::Ok:
      return "ok     ";
    case DoctorFinding::Level::Warning:
      return "warning";
    case DoctorFinding::Level::Error:
      return "error  ";
  }
  return "error  ";
}

}  // namespace

std::string render_doctor(const DoctorReport& report) {
  std::ostringstream out;
  // Problems last, where the eye lands after the command ends.
  for (auto level :
       {DoctorFinding::Level::Ok, DoctorFinding::Level::Warning, DoctorFinding::Level::Error}) {
    for (const auto& finding : report.findings) {
      if (finding.level != level) continue;
      out << label(level) << "  " << finding.check << ": " << finding.message << "\n";
      if (!finding.fix.empty()) out << "         fix: " << finding.fix << "\n";
    }
  }
  const int errors = report.count(DoctorFinding::Level::Error);
  const int warnings = report.count(DoctorFinding::Level::Warning);
  out << (errors == 0 ? "doctor: ready" : "doctor: not ready") << " (" << errors << " error"
      << (errors == 1 ? "" : "s") << ", " << warnings << " warning" << (warnings == 1 ? "" : "s")
      << ")\n";
  return out.str();
}

}  // namespace stork::ops
