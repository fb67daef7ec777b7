// Stage: the six pipeline stages and the directories under .storkit/work/ that hold them.
// The directory names are storkit's and must not change.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace stork {

enum class Stage { Backlog, Current, Qa, Merge, Done, Archived };

inline constexpr std::array<Stage, 6> kAllStages = {
    Stage::Backlog, Stage::Current, Stage::Qa, Stage::Merge, Stage::Done, Stage::Archived};

std::string_view stage_dir_name(Stage stage);  // "1_backlog", ..., "6_archived"
std::string_view stage_name(
    Stage stage);  // "backlog", "current", "qa", "merge", "done", "archived"

// Accepts either form ("qa" or "3_qa"); nullopt for anything else.
std::optional<Stage> parse_stage(std::string_view text);

// 2_current, 3_qa and 4_merge change too often to track: they are gitignored (STORKIT.md).
bool stage_is_tracked_by_git(Stage stage);

}  // namespace stork
