// Dependencies: which backlog items may start on their own because everything they depend on
// is done or archived. Pure: it lists the items to promote; moving them to 2_current/ (after
// which auto-assign gives them a coder) is the caller's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/snapshot.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

enum class DependencyState {
  Satisfied,  // the item it names is in 5_done/ or 6_archived/
  Pending,    // the item exists but is not finished
  Unknown,    // no item matches: never satisfied, worth a warning
};

// `dependency` is a full id ("12_story_x", matched exactly) or a bare number ("12", matched by
// number, which is unique across stages); surrounding blanks are ignored.
DependencyState dependency_state(std::string_view dependency,
                                 const std::vector<ItemSnapshot>& items);

// A `depends_on` entry that names no item.
struct UnknownDependency {
  StoryId item;
  std::string dependency;
  std::string message() const;
};

struct PromotionPlan {
  std::vector<StoryId> promote;            // oldest first
  std::vector<UnknownDependency> unknown;  // for every backlog item that has one
};

// Backlog items with a non-empty depends_on, every entry Satisfied. Items without
// dependencies stay put: they start only when someone starts them.
PromotionPlan plan_backlog_promotions(const std::vector<ItemSnapshot>& items);

}  // namespace stork::pipeline
