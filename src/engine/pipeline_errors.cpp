#include "engine/pipeline_errors.hpp"

namespace stork::engine {

PipelineError wrong_stage(const WorkItem& item, std::string_view needed, std::string_view what) {
  return wrong_stage(item.id.str(), item.stage,
                     "'" + item.id.str() + "' is in " + std::string(stage_dir_name(item.stage)) +
                         ", not " + std::string(needed) + ": " + std::string(what));
}

PipelineError from_work_error(std::string story, const WorkError& error) {
  if (error.kind == WorkErrorKind::NotFound || error.kind == WorkErrorKind::InvalidId)
    return not_found(std::move(story), error.render());
  return failed(std::move(story), error.render());
}

}  // namespace stork::engine
