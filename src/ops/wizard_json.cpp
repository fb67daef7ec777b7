#include "ops/wizard_json.hpp"

#include <boost/json/array.hpp>

namespace stork::ops {
namespace json = boost::json;

json::object wizard_step_json(const WizardStepRecord& record) {
  json::object out{{"step", to_string(record.step)},
                   {"title", wizard_step_title(record.step)},
                   {"file", wizard_step_file(record.step)},
                   {"state", to_string(record.state)},
                   {"draft", record.draft},
                   {"source", record.source},
                   {"feedback", record.feedback}};
  if (record.gate) {
    out["gate"] = json::object{{"passed", record.gate->passed},
                               {"outcome", record.gate->outcome},
                               {"output", record.gate->output}};
  } else {
    out["gate"] = nullptr;
  }
  return out;
}

json::object wizard_status_json(const WizardStatus& status) {
  json::array steps;
  for (const auto& record : status.steps)
    steps.push_back(wizard_step_json(record));
  json::object out{{"steps", std::move(steps)},
                   {"finished", !status.current.has_value()},
                   {"commit_error", status.commit_error},
                   {"specs_missing", status.specs_missing}};
  out["current"] = status.current ? json::value(to_string(*status.current)) : json::value(nullptr);
  out["setup_commit"] =
      status.setup_commit ? json::value(*status.setup_commit) : json::value(nullptr);
  out["agent"] = status.agent ? json::value(*status.agent) : json::value(nullptr);
  return out;
}

}  // namespace stork::ops
