#include "ops/wizard_steps.hpp"

#include <array>
#include <cstdio>

#include <openssl/sha.h>

namespace stork::ops {

std::string_view to_string(WizardStep step) {
  switch (step) {
    case WizardStep::Context:
      return "context";
    case WizardStep::Stack:
      return "stack";
    case WizardStep::Gate:
      return "gate";
    case WizardStep::Components:
      return "components";
    case WizardStep::Agents:
      return "agents";
  }
  return "context";
}

std::optional<WizardStep> parse_wizard_step(std::string_view name) {
  for (WizardStep step : kWizardSteps) {
    if (to_string(step) == name) return step;
  }
  return std::nullopt;
}

std::string_view to_string(WizardStepState state) {
  switch (state) {
    case WizardStepState::Pending:
      return "pending";
    case WizardStepState::Drafted:
      return "drafted";
    case WizardStepState::Confirmed:
      return "confirmed";
    case WizardStepState::Skipped:
      return "skipped";
  }
  return "pending";
}

std::optional<WizardStepState> parse_wizard_step_state(std::string_view name) {
  for (auto state : {WizardStepState::Pending, WizardStepState::Drafted, WizardStepState::Confirmed,
                     WizardStepState::Skipped}) {
    if (to_string(state) == name) return state;
  }
  return std::nullopt;
}

std::string_view wizard_step_title(WizardStep step) {
  switch (step) {
    case WizardStep::Context:
      return "Project context";
    case WizardStep::Stack:
      return "Stack and conventions";
    case WizardStep::Gate:
      return "The gate (script/test)";
    case WizardStep::Components:
      return "Components";
    case WizardStep::Agents:
      return "Agent roster";
  }
  return "";
}

std::string_view wizard_step_file(WizardStep step) {
  switch (step) {
    case WizardStep::Context:
      return ".storkit/specs/00_CONTEXT.md";
    case WizardStep::Stack:
      return ".storkit/specs/tech/STACK.md";
    case WizardStep::Gate:
      return "script/test";
    case WizardStep::Components:
    case WizardStep::Agents:
      return ".storkit/project.toml";
  }
  return "";
}

std::string_view wizard_step_table(WizardStep step) {
  if (step == WizardStep::Components) return "component";
  if (step == WizardStep::Agents) return "agent";
  return "";
}

std::string content_hash(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  std::string hex;
  hex.reserve(digest.size() * 2);
  std::array<char, 3> byte{};
  for (unsigned char value : digest) {
    std::snprintf(byte.data(), byte.size(), "%02x", value);
    hex += byte.data();
  }
  return hex;
}

}  // namespace stork::ops
