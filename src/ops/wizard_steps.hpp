// The setup wizard's steps and what the wizard knows of each (docs/wizard.md): five steps in a
// fixed order (project context, stack and conventions, the gate, components, the agent
// roster), each pending, drafted, confirmed or skipped, with its draft, where the draft came
// from and the facts a confirm checks. Plain values: WizardStore keeps them in state.db,
// WizardOps changes them, the surfaces render them (wizard_json.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stork::ops {

enum class WizardStep { Context, Stack, Gate, Components, Agents };
inline constexpr std::array<WizardStep, 5> kWizardSteps{WizardStep::Context, WizardStep::Stack,
                                                        WizardStep::Gate, WizardStep::Components,
                                                        WizardStep::Agents};

enum class WizardStepState { Pending, Drafted, Confirmed, Skipped };

std::string_view to_string(WizardStep step);  // "context", "stack", "gate", ...
std::optional<WizardStep> parse_wizard_step(std::string_view name);
std::string_view to_string(WizardStepState state);
std::optional<WizardStepState> parse_wizard_step_state(std::string_view name);
std::string_view wizard_step_title(WizardStep step);  // "Project context", ...
// The file a confirm writes, relative to the project root. Components and Agents replace
// their tables ([[component]], [[agent]]) in .storkit/project.toml and keep the rest.
std::string_view wizard_step_file(WizardStep step);
// The table a step replaces in project.toml ("component", "agent"); empty for whole files.
std::string_view wizard_step_table(WizardStep step);

// What the gate step's draft did when it ran (it must run before it can be confirmed).
struct WizardGateRun {
  std::string draft_hash;  // the draft that ran: a confirm needs it to be the current draft
  bool passed = false;
  std::string outcome;  // "exit code 0", "timed out after 60 s", ...
  std::string output;   // its tail
};

struct WizardStepRecord {
  WizardStep step = WizardStep::Context;
  WizardStepState state = WizardStepState::Pending;
  std::string draft;
  std::string source;     // "template" or "agent:<name>"
  std::string base_hash;  // the target file's hash when drafted ("" when it did not exist)
  std::string feedback;   // the last retry's feedback, as the drafter was given it
  std::optional<WizardGateRun> gate;
  std::string written;  // the path a confirm wrote (relative), for the final commit
  std::int64_t updated_at_ms = 0;
};

// The hex SHA-256 of `text` (how a draft's base and a gate run's draft are compared).
std::string content_hash(std::string_view text);

}  // namespace stork::ops
