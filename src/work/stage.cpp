#include "work/stage.hpp"

namespace stork {

std::string_view stage_dir_name(Stage stage) {
  switch (stage) {
    case Stage::Backlog:
      return "1_backlog";
    case Stage::Current:
      return "2_current";
    case Stage::Qa:
      return "3_qa";
    case Stage::Merge:
      return "4_merge";
    case Stage::Done:
      return "5_done";
    case Stage::Archived:
      return "6_archived";
  }
  return "1_backlog";
}

std::string_view stage_name(Stage stage) {
  return stage_dir_name(stage).substr(2);
}

std::optional<Stage> parse_stage(std::string_view text) {
  for (Stage stage : kAllStages) {
    if (text == stage_name(stage) || text == stage_dir_name(stage)) return stage;
  }
  return std::nullopt;
}

bool stage_is_tracked_by_git(Stage stage) {
  return stage == Stage::Backlog || stage == Stage::Done || stage == Stage::Archived;
}

}  // namespace stork
