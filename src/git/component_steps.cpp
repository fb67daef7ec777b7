#include "git/component_steps.hpp"

#include "base/subprocess.hpp"
#include "git/contained_path.hpp"

namespace stork {
namespace {

// A setup step such as `npm install` can print megabytes; the start rarely explains a failure.
constexpr size_t kKeptOutputBytes = size_t{64} * 1024;

std::optional<std::filesystem::path> component_dir(const std::filesystem::path& worktree,
                                                   const ComponentConfig& component,
                                                   std::string& why_not) {
  auto dir = resolve_inside(worktree, component.path);
  if (!dir) {
    why_not = "component path '" + component.path + "' leads outside the worktree";
    return std::nullopt;
  }
  std::error_code error;
  if (!std::filesystem::is_directory(*dir, error)) {
    why_not = "component path '" + component.path + "' is not a directory in the worktree";
    return std::nullopt;
  }
  return dir;
}

StepOutput run_step(const std::string& component, const std::string& command_text,
                    const std::filesystem::path& dir, const StoryId& story,
                    const std::filesystem::path& worktree) {
  StepOutput step{component, command_text, -1, ""};
  Command command;
  command.argv = {"sh", "-c", command_text};
  command.cwd = dir;
  command.set_env = {{"STORK_STORY_ID", story.str()}, {"STORK_WORKTREE", worktree.string()}};
  command.merge_stderr = true;
  auto result = run_command(command);
  if (!result) {
    step.output = result.error().message;
    return step;
  }
  step.output = output_tail(result->out, kKeptOutputBytes);
  if (result->term_signal != 0) {
    step.output += "\n[killed by signal " + std::to_string(result->term_signal) + "]";
  } else {
    step.exit_code = result->exit_code;
  }
  return step;
}

}  // namespace

std::string output_tail(const std::string& output, size_t max_bytes) {
  if (output.size() <= max_bytes) return output;
  size_t start = output.size() - max_bytes;
  // Skip UTF-8 continuation bytes (10xxxxxx) so the tail starts on a character boundary.
  while (start < output.size() && (static_cast<unsigned char>(output[start]) & 0xC0) == 0x80)
    ++start;
  return "[... " + std::to_string(start) + " bytes cut ...]\n" + output.substr(start);
}

ComponentStepsRun run_component_steps(const std::vector<ComponentConfig>& components,
                                      ComponentPhase phase, const StoryId& story,
                                      const std::filesystem::path& worktree) {
  ComponentStepsRun run;
  for (const auto& component : components) {
    const auto& commands = phase == ComponentPhase::Setup ? component.setup : component.teardown;
    if (commands.empty()) continue;
    std::string why_not;
    auto dir = component_dir(worktree, component, why_not);
    for (const auto& command_text : commands) {
      auto step = dir ? run_step(component.name, command_text, *dir, story, worktree)
                      : StepOutput{component.name, command_text, -1, why_not};
      bool failed = step.exit_code != 0;
      run.steps.push_back(std::move(step));
      if (!failed) continue;
      if (!run.first_failure) run.first_failure = run.steps.size() - 1;
      if (phase == ComponentPhase::Setup) return run;
    }
  }
  return run;
}

}  // namespace stork
