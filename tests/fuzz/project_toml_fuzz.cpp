// libFuzzer target: arbitrary bytes as .storkit/project.toml (parse_project_config).
//
// Invariants checked (a violation traps): the loader never throws or crashes; every diagnostic
// (error or warning) renders to a non-empty line naming the file, with a non-empty message and
// a sane position; a failed load has at least one error; a successful load has no errors, and
// every field of the resolved config is readable and within the loader's documented bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_loader.hpp"
#include "fuzz_check.hpp"

namespace {

using stork::Diagnostic;

constexpr std::string_view kFile = "fuzz/project.toml";

void check_diagnostic(const Diagnostic& d) {
  const std::string line = d.render();
  FUZZ_CHECK(!line.empty());
  FUZZ_CHECK(line.rfind(kFile, 0) == 0);
  FUZZ_CHECK(!d.message.empty());
  FUZZ_CHECK(d.file == kFile);
  FUZZ_CHECK(d.line >= 0 && d.column >= 0);
}

volatile size_t sink;  // keeps the reads below from being optimised away

void touch(std::string_view text) {
  sink = sink + text.size();
}
void touch_optional(const std::optional<std::string>& text) {
  if (text) touch(*text);
}

void check_config(const stork::ProjectConfig& config) {
  touch(stork::to_string(config.default_qa));
  touch_optional(config.default_coder_model);
  FUZZ_CHECK(config.max_coders >= 1 && config.max_coders <= 1000);
  FUZZ_CHECK(config.max_retries >= 0 && config.max_retries <= 1000);
  touch_optional(config.base_branch);
  if (config.base_branch) FUZZ_CHECK(config.base_branch->find("..") == std::string::npos);
  sink = sink + static_cast<size_t>(config.rate_limit_notifications);
  touch_optional(config.timezone);
  for (const auto& component : config.components) {
    FUZZ_CHECK(!component.name.empty());
    FUZZ_CHECK(!component.path.empty() && component.path.front() != '/');
    for (const auto& step : component.setup)
      touch(step);
    for (const auto& step : component.teardown)
      touch(step);
  }
  const stork::PromptValues values{"1_story_x", "coder-1", "/tmp/w", "main"};
  for (const auto& agent : config.agents) {
    FUZZ_CHECK(!agent.name.empty());
    FUZZ_CHECK(agent.name.find('/') == std::string::npos && agent.name.front() != '.');
    FUZZ_CHECK(config.find_agent(agent.name) == &agent);  // names are unique
    touch(stork::to_string(agent.stage));
    if (agent.stage_inferred) FUZZ_CHECK(agent.stage == stork::infer_agent_stage(agent.name));
    touch(agent.role);
    touch(agent.runtime);
    touch_optional(agent.model);
    touch_optional(agent.command);
    if (agent.runtime == "command") FUZZ_CHECK(agent.command.has_value());
    for (const auto& arg : agent.args)
      touch(arg);
    if (agent.prompt) touch(stork::render_prompt(*agent.prompt, values));
    if (agent.system_prompt) touch(stork::render_prompt(*agent.system_prompt, values));
    for (const auto& tool : agent.allowed_tools)
      touch(tool);
    if (agent.max_turns) FUZZ_CHECK(*agent.max_turns > 0);
    if (agent.max_budget_usd) FUZZ_CHECK(*agent.max_budget_usd > 0);
    FUZZ_CHECK(agent.inactivity_timeout_secs > 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = stork::parse_project_config(text, kFile);
  if (!result) {
    bool any_error = false;
    for (const auto& d : result.error()) {
      check_diagnostic(d);
      any_error = any_error || d.severity == Diagnostic::Severity::Error;
    }
    FUZZ_CHECK(any_error);
    FUZZ_CHECK(!stork::render_all(result.error()).empty());
    return 0;
  }
  for (const auto& d : result->warnings) {
    check_diagnostic(d);
    FUZZ_CHECK(d.severity == Diagnostic::Severity::Warning);
  }
  check_config(result->config);
  return 0;
}
