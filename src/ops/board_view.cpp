#include "ops/board_view.hpp"

#include <boost/json/array.hpp>

#include "ops/item_json.hpp"
#include "ops/item_view.hpp"

namespace stork::ops {
namespace json = boost::json;
namespace {

// The one item view's SUMMARY (docs/items.md) plus what only the board shows: the active runs,
// the cost so far, and `flags` (the board's older grouping of the same flags, kept for clients
// that read it).
json::object item_json(const WorkItem& item, const std::filesystem::path& root,
                       const BoardInput& board, const std::vector<agents::AgentInfo>& runs) {
  json::object out = item_summary_json(view_of(item, root, ViewDepth::Summary));
  const auto id = item.id.str();
  json::object flags{{"blocked", out.at("blocked")},
                     {"review_hold", out.at("review_hold")},
                     {"retry_count", out.at("retry_count")}};
  if (auto failure = item.merge_failure()) flags["merge_failure"] = *failure;
  if (auto reason = item.blocked_reason()) flags["blocked_reason"] = *reason;
  json::array active;
  for (const auto& run : runs) {
    if (run.story_id != id || !agents::is_active(run.status)) continue;
    active.push_back(json::object{{"agent", run.agent_name},
                                  {"model", run.model},
                                  {"status", agents::to_string(run.status)},
                                  {"run_id", run.run_id},
                                  {"started_at_ms", run.started_at_ms}});
  }
  json::value cost = nullptr;
  if (!board.cost_problem) {
    auto found = board.cost_by_story.find(id);
    cost = found == board.cost_by_story.end() ? 0.0 : found->second;
  }
  out["flags"] = std::move(flags);
  out["agents"] = std::move(active);
  out["cost_usd"] = cost;
  return out;
}

}  // namespace

BoardInput read_board(const std::filesystem::path& project_root,
                      const Result<std::vector<state::TokenUsageRecord>, std::string>& usage) {
  BoardInput board;
  board.listing = StageStore(project_root).load_all();
  if (!usage.ok()) {
    board.cost_problem = usage.error();
  } else {
    for (const auto& record : usage.value())
      board.cost_by_story[record.story] += record.cost_usd;
  }
  return board;
}

json::object board_json(const BoardInput& board, const std::filesystem::path& project_root,
                        const std::vector<agents::AgentInfo>& runs) {
  json::object stages;
  for (auto stage : kAllStages)
    stages[stage_name(stage)] = json::array{};
  for (const auto& item : board.listing.items) {
    stages[stage_name(item.stage)].as_array().push_back(item_json(item, project_root, board, runs));
  }
  json::array problems;
  for (const auto& problem : board.listing.problems)
    problems.emplace_back(problem.render());
  if (board.cost_problem) problems.emplace_back("costs unavailable: " + *board.cost_problem);
  return json::object{{"stages", std::move(stages)}, {"problems", std::move(problems)}};
}

}  // namespace stork::ops
