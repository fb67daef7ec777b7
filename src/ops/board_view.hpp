// The board's view of the pipeline: every stage with its items, their flags, the runs active on
// each and what each has cost so far. GET /api/pipeline renders it for the board and for
// `stork status`; `stork status` without a server renders it from the same files (the item
// files and state.db, read-only). Blocking reads only in read_board; rendering is pure.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"
#include "base/result.hpp"
#include "state/records.hpp"
#include "work/stage_store.hpp"

namespace stork::ops {

struct BoardInput {
  StageStore::Listing listing;
  std::map<std::string, double> cost_by_story;
  std::optional<std::string> cost_problem;  // the state database could not be read
};

// Every item file under `project_root`, and the usage records summed per item.
BoardInput read_board(const std::filesystem::path& project_root,
                      const Result<std::vector<state::TokenUsageRecord>, std::string>& usage);

// {"stages": {stage: [item...]}, "problems": [...]} as docs/api.md shows GET /api/pipeline.
// `runs` are the pool's runs (only active ones are shown); none when no server runs.
boost::json::object board_json(const BoardInput& board, const std::filesystem::path& project_root,
                               const std::vector<agents::AgentInfo>& runs);

}  // namespace stork::ops
