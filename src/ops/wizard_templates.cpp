#include "ops/wizard_templates.hpp"

#include <algorithm>
#include <array>
#include <system_error>

#include "base/file_io.hpp"

namespace stork::ops {
namespace fs = std::filesystem;

std::string roster_draft(const RosterEnvironment& environment, const RuntimeSupported& supported);

namespace {

constexpr std::size_t kReadmeBytes = std::size_t{64}
                                     << 10;  // enough for a title and a first paragraph

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// The first `# ` heading and the first paragraph of plain text after it.
void read_readme(const fs::path& root, ProjectFacts& facts) {
  for (const char* name : {"README.md", "README", "README.txt", "readme.md"}) {
    std::error_code error;
    if (!fs::is_regular_file(root / name, error)) continue;
    auto text = read_file(root / name);
    if (!text) return;
    const std::string body = text->substr(0, kReadmeBytes);
    std::size_t at = 0;
    std::string paragraph;
    while (at < body.size()) {
      auto end = body.find('\n', at);
      if (end == std::string::npos) end = body.size();
      const std::string line = trim(body.substr(at, end - at));
      at = end + 1;
      if (line.rfind("# ", 0) == 0 && facts.readme_title.empty()) {
        facts.readme_title = trim(line.substr(2));
      } else if (line.empty() || line[0] == '#' || line[0] == '!' || line[0] == '[') {
        if (!paragraph.empty()) break;
      } else {
        paragraph += (paragraph.empty() ? "" : " ") + line;
      }
    }
    facts.readme_summary = paragraph;
    return;
  }
}

std::string guess_test_command(const std::vector<std::string>& markers) {
  auto has = [&markers](std::string_view name) {
    return std::find(markers.begin(), markers.end(), name) != markers.end();
  };
  if (has("Cargo.toml")) return "cargo test";
  if (has("package.json")) return "npm test";
  if (has("pyproject.toml") || has("setup.py")) return "python3 -m pytest";
  if (has("go.mod")) return "go test ./...";
  if (has("CMakeLists.txt"))
    return "cmake -S . -B build && cmake --build build && ctest --test-dir build";
  if (has("Makefile")) return "make test";
  return "";
}

std::string with_feedback(std::string draft, const std::string& feedback, std::string_view lead) {
  if (feedback.empty()) return draft;
  std::string note;
  std::size_t at = 0;
  while (at <= feedback.size()) {
    auto end = feedback.find('\n', at);
    if (end == std::string::npos) end = feedback.size();
    note += std::string(lead) + feedback.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return draft + "\n" + std::string(lead) + "Feedback to act on (a template cannot):\n" + note;
}

std::string context_draft(const ProjectFacts& facts) {
  std::string out = "# Project context: " + facts.readme_title + "\n\n## What it is\n\n";
  out += facts.readme_summary.empty() ? "(Say in two or three sentences what this project does.)"
                                      : facts.readme_summary;
  out +=
      "\n\n## Who uses it\n\n(Who the users are and what they need from it.)\n\n"
      "## What matters most\n\n(Correctness, speed, compatibility: what an agent must never "
      "break.)\n";
  return out;
}

std::string stack_draft(const ProjectFacts& facts) {
  std::string out = "# Stack and conventions\n\n## Build files\n\n";
  if (facts.markers.empty()) out += "- (none found at the top level)\n";
  for (const auto& marker : facts.markers)
    out += "- `" + marker + "`\n";
  out += "\n## Tests\n\n`script/test` is the gate";
  out += facts.test_command.empty() ? ".\n" : ": it runs `" + facts.test_command + "`.\n";
  out +=
      "\n## Conventions\n\n(Formatting, naming, how errors are handled, what a commit "
      "contains.)\n";
  return out;
}

std::string gate_draft(const ProjectFacts& facts) {
  std::string out =
      "#!/usr/bin/env bash\n"
      "# The gate: stork runs this in an agent's worktree when it finishes, and on the merged\n"
      "# tree before anything lands. Exit 0 means the work passes.\n"
      "set -euo pipefail\ncd \"$(dirname \"$0\")/..\"\n\n";
  if (facts.test_command.empty()) {
    out += "echo \"script/test: no test command found; write this project's tests here\" >&2\n";
    out += "exit 1\n";
  } else {
    out += facts.test_command + "\n";
  }
  return out;
}

std::string components_draft(const ProjectFacts& facts) {
  std::string out =
      "# Setup steps run in every new worktree (teardown when it is removed), in `path`.\n";
  if (facts.package_dirs.empty()) out += "# No component found that needs setting up.\n";
  for (const auto& dir : facts.package_dirs) {
    out.append("\n[[component]]\nname = \"")
        .append(dir)
        .append("\"\npath = \"")
        .append(dir)
        .append("\"\nsetup = [\"npm ci\"]\nteardown = []\n");
  }
  return out;
}

}  // namespace

ProjectFacts detect_project_facts(const fs::path& project_root) {
  ProjectFacts facts;
  facts.readme_title = project_root.filename().string();
  read_readme(project_root, facts);
  constexpr std::array<const char*, 7> kMarkers{"CMakeLists.txt", "Cargo.toml", "package.json",
                                                "pyproject.toml", "setup.py",   "go.mod",
                                                "Makefile"};
  std::error_code error;
  for (const char* marker : kMarkers) {
    if (fs::is_regular_file(project_root / marker, error)) facts.markers.emplace_back(marker);
  }
  for (fs::directory_iterator it(project_root, error), end; !error && it != end;
       it.increment(error)) {
    const auto name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;
    if (fs::is_regular_file(it->path() / "package.json", error)) facts.package_dirs.push_back(name);
  }
  std::sort(facts.package_dirs.begin(), facts.package_dirs.end());
  facts.test_command = guess_test_command(facts.markers);
  return facts;
}

std::string template_draft(WizardStep step, const ProjectFacts& facts,
                           const RosterEnvironment& environment, const RuntimeSupported& supported,
                           const std::string& feedback) {
  switch (step) {
    case WizardStep::Context:
      return with_feedback(context_draft(facts), feedback, "> ");
    case WizardStep::Stack:
      return with_feedback(stack_draft(facts), feedback, "> ");
    case WizardStep::Gate:
      return with_feedback(gate_draft(facts), feedback, "# ");
    case WizardStep::Components:
      return with_feedback(components_draft(facts), feedback, "# ");
    case WizardStep::Agents:
      return with_feedback(roster_draft(environment, supported), feedback, "# ");
  }
  return {};
}

std::string draft_from_answer(const std::string& answer) {
  std::string text = trim(answer);
  // One fenced block and nothing else: its content (models like to fence files).
  if (text.rfind("```", 0) == 0 && text.size() > 6 &&
      text.compare(text.size() - 3, 3, "```") == 0) {
    const auto first_newline = text.find('\n');
    const auto inner = text.substr(first_newline + 1, text.size() - 3 - (first_newline + 1));
    if (inner.find("\n```") == std::string::npos) return trim(inner) + "\n";
  }
  return text.empty() ? text : text + "\n";
}

}  // namespace stork::ops
