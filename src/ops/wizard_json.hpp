// The one JSON of the setup wizard's state, for the MCP tools, REST and the board:
// {"steps":[{"step","title","file","state","draft","source","feedback","gate"}], "current",
// "finished", "setup_commit", "commit_error", "agent", "specs_missing"} (docs/wizard.md).
#pragma once

#include <boost/json/object.hpp>

#include "ops/wizard_ops.hpp"

namespace stork::ops {

boost::json::object wizard_step_json(const WizardStepRecord& record);
boost::json::object wizard_status_json(const WizardStatus& status);

}  // namespace stork::ops
