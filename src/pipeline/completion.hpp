// Completion: where an item goes when its coder's work has passed the gate. Decides from the
// item's type and QA settings and the project default; never runs the gate, moves the file or
// starts an agent: the caller acts on the decision it returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/project_config.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

// The QA settings an item's front matter may carry.
struct ItemQaSettings {
  std::optional<QaMode> qa;  // `qa: server | agent | human`
  bool manual_qa = false;    // storkit's older spelling of `qa: human`
};

// Where the effective QA mode came from, so logs can say why an item stopped or went on.
enum class QaModeSource { FrontMatterQa, FrontMatterManualQa, ProjectDefault };

struct EffectiveQaMode {
  QaMode mode = QaMode::Server;
  QaModeSource source = QaModeSource::ProjectDefault;
};

// Front-matter `qa` wins; else `manual_qa: true` means Human; else the project's default_qa.
EffectiveQaMode effective_qa_mode(const ItemQaSettings& item, QaMode default_qa);

enum class CompletionReason {
  ServerQa,         // the gate is the QA: straight to merge
  AgentQa,          // 3_qa, and a QA agent reviews
  HumanQa,          // 3_qa, held for a person
  SpikeNeedsHuman,  // a spike's findings are for a person; spikes never merge
};

std::string_view to_string(CompletionReason reason);

struct CompletionDecision {
  Stage target = Stage::Merge;
  bool set_review_hold = false;
  bool start_qa_agent = false;
  CompletionReason reason = CompletionReason::ServerQa;
  EffectiveQaMode qa;  // the mode that was in force, even when a spike overrode it

  std::string describe() const;  // one line for logs and the item's history
};

CompletionDecision decide_completion(ItemType type, const ItemQaSettings& item, QaMode default_qa);

}  // namespace stork::pipeline
