// The one JSON shape of the merge queue, for GET /api/merge, the MCP tools (get_merge_status,
// status, get_pipeline_status) and the CLI. A job names its item as `story` (REST's field) and
// `story_id` (MCP's), with the same value.
#pragma once

#include <boost/json/object.hpp>

#include "engine/pipeline.hpp"

namespace stork::ops {

// {id, story, story_id, step, detail, commit, updated_at_ms}
boost::json::object merge_job_json(const engine::MergeJobView& job);
// {running: job|null, queued: [ids], recent: [job]}
boost::json::object merge_status_json(const engine::MergeStatus& status);

}  // namespace stork::ops
