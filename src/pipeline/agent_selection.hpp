// Agent selection: which configured agent takes an item when nobody named one, honouring the
// item's front-matter `agent`. Shared by auto-assign (every stage) and by an explicit start
// without an agent name (coders only). Pure: it picks a name, it never registers a run.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "pipeline/snapshot.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

// The outcome of choosing an agent of one stage for one item.
struct AgentPick {
  enum class Kind {
    Picked,          // `agent` takes the item
    PreferredBusy,   // the item names `agent`, which is busy: the item waits, no fallback
    AllBusy,         // every agent of the stage is busy
    NoneConfigured,  // the roster has no agent of the stage
  };
  Kind kind = Kind::NoneConfigured;
  std::string agent;  // set for Picked and PreferredBusy
};

// A preference binds only when it names a configured agent of `stage`; one naming an unknown
// agent or an agent of another stage (say, the coder an item had before it reached QA) is
// ignored and any free agent of `stage` may take the item. Otherwise the first free agent in
// roster order is picked.
AgentPick pick_agent(const ProjectConfig& config, AgentStage stage,
                     const std::optional<std::string>& preferred, const BusyAgents& busy);

// Why no coder could be chosen for an explicit start without an agent name. All but
// NoCoderConfigured mean the item waits in 2_current/ for auto-assign.
struct NoCoderConfigured {
  StoryId story;
  std::string message() const;
};
struct PreferredCoderBusy {
  StoryId story;
  std::string agent;
  std::optional<StoryId> busy_on;  // the item the preferred coder works on
  std::string message() const;
};
struct AllCodersBusy {
  StoryId story;
  std::string message() const;
};
struct CoderLimitReached {
  StoryId story;
  int max_coders = 0;
  int active_coders = 0;
  std::string message() const;
};

using CoderSelectionError =
    std::variant<NoCoderConfigured, PreferredCoderBusy, AllCodersBusy, CoderLimitReached>;
std::string message(const CoderSelectionError& error);

// storkit's start_agent without an agent name: the preferred coder if the item names one (busy
// → the item waits), else the first free coder in roster order, within max_coders.
Result<std::string, CoderSelectionError> select_coder(const StoryId& story,
                                                      const std::optional<std::string>& preferred,
                                                      const ProjectConfig& config,
                                                      const Runs& runs);

}  // namespace stork::pipeline
