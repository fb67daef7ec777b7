// The pipeline's typed errors, made in one place: each carries the facts (the story, where the
// item is, the bad field) as fields, and a message that renders them for people. Used by the
// pipeline's parts on its strand; adapters render `message` and never parse it.
#pragma once

#include <string>
#include <string_view>

#include "engine/pipeline.hpp"
#include "work/work_error.hpp"

namespace stork::engine {

inline PipelineError not_found(std::string story, std::string message) {
  return PipelineError{PipelineError::Kind::NotFound, std::move(message), std::move(story)};
}

inline PipelineError failed(std::string story, std::string message) {
  return PipelineError{PipelineError::Kind::Failed, std::move(message), std::move(story)};
}

inline PipelineError busy(std::string story, std::string message) {
  return PipelineError{PipelineError::Kind::Busy, std::move(message), std::move(story)};
}

inline PipelineError invalid_input(std::string story, std::string field, std::string message) {
  PipelineError error{PipelineError::Kind::InvalidInput, std::move(message), std::move(story)};
  error.field = std::move(field);
  return error;
}

// The item is in `stage`, which the operation cannot act on.
inline PipelineError wrong_stage(std::string story, Stage stage, std::string message) {
  PipelineError error{PipelineError::Kind::WrongStage, std::move(message), std::move(story)};
  error.stage = stage;
  return error;
}

// "'<id>' is in <stage dir>, not <needed>: <what>"
PipelineError wrong_stage(const WorkItem& item, std::string_view needed, std::string_view what);

// A StageStore failure: NotFound when the item is not there (or the id is not one), else Failed.
PipelineError from_work_error(std::string story, const WorkError& error);

}  // namespace stork::engine
