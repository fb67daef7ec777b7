#include "pipeline/completion.hpp"

namespace stork::pipeline {

namespace {

std::string_view source_text(QaModeSource source) {
  switch (source) {
    case QaModeSource::FrontMatterQa:
      return "front matter qa";
    case QaModeSource::FrontMatterManualQa:
      return "front matter manual_qa";
    case QaModeSource::ProjectDefault:
      return "project default_qa";
  }
  return "project default_qa";
}

}  // namespace

EffectiveQaMode effective_qa_mode(const ItemQaSettings& item, QaMode default_qa) {
  if (item.qa) return {*item.qa, QaModeSource::FrontMatterQa};
  if (item.manual_qa) return {QaMode::Human, QaModeSource::FrontMatterManualQa};
  return {default_qa, QaModeSource::ProjectDefault};
}

std::string_view to_string(CompletionReason reason) {
  switch (reason) {
    case CompletionReason::ServerQa:
      return "server QA: the gate passed, on to merge";
    case CompletionReason::AgentQa:
      return "agent QA: a QA agent reviews the work";
    case CompletionReason::HumanQa:
      return "human QA: held for review";
    case CompletionReason::SpikeNeedsHuman:
      return "spike: findings are held for a human";
  }
  return "";
}

std::string CompletionDecision::describe() const {
  return std::string(to_string(reason)) + " (qa mode " + std::string(stork::to_string(qa.mode)) +
         " from " + std::string(source_text(qa.source)) + ") → " +
         std::string(stage_dir_name(target));
}

CompletionDecision decide_completion(ItemType type, const ItemQaSettings& item, QaMode default_qa) {
  EffectiveQaMode qa = effective_qa_mode(item, default_qa);
  // A spike produces findings, not code to ship: whatever the mode, a person reads them, and
  // no QA agent is started because there is nothing for it to approve into a merge.
  if (type == ItemType::Spike) {
    return {Stage::Qa, /*set_review_hold=*/true, /*start_qa_agent=*/false,
            CompletionReason::SpikeNeedsHuman, qa};
  }
  switch (qa.mode) {
    case QaMode::Server:
      return {Stage::Merge, false, false, CompletionReason::ServerQa, qa};
    case QaMode::Agent:
      return {Stage::Qa, false, true, CompletionReason::AgentQa, qa};
    case QaMode::Human:
      return {Stage::Qa, true, false, CompletionReason::HumanQa, qa};
  }
  return {Stage::Qa, true, false, CompletionReason::HumanQa, qa};
}

}  // namespace stork::pipeline
