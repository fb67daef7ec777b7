#include "ops/op_error.hpp"

#include "engine/pipeline.hpp"
#include "work/work_error.hpp"

namespace stork::ops {

OpError invalid_input(std::string field, std::string message) {
  OpError error{OpError::Kind::InvalidInput, std::move(message)};
  error.field = std::move(field);
  return error;
}

OpError from_work(const WorkError& error, std::string story) {
  OpError out{OpError::Kind::Failed, error.render()};
  out.story = std::move(story);
  switch (error.kind) {
    case WorkErrorKind::NotFound:
      out.kind = OpError::Kind::NotFound;
      break;
    case WorkErrorKind::InvalidId:
      out.kind = OpError::Kind::InvalidId;
      break;
    case WorkErrorKind::InvalidInput:
      out.kind = OpError::Kind::InvalidInput;
      break;
    case WorkErrorKind::Ambiguous:
    case WorkErrorKind::AlreadyExists:
      out.kind = OpError::Kind::Conflict;
      break;
    case WorkErrorKind::Malformed:
      out.kind = OpError::Kind::Malformed;
      break;
    case WorkErrorKind::Io:
      break;
  }
  return out;
}

OpError from_pipeline(const engine::PipelineError& error, std::string story) {
  using Kind = engine::PipelineError::Kind;
  OpError out{OpError::Kind::Failed, error.message};
  out.story = std::move(story);
  if (out.story.empty()) out.story = error.story;
  out.stage = error.stage;
  // The pipeline's own argument names ("notes", "reason", "name", "depends_on") are the
  // operations' too; "edit" and "story" name no argument a client gave.
  if (error.field != "edit" && error.field != "story") out.field = error.field;
  switch (error.kind) {
    case Kind::NotFound:
      out.kind = OpError::Kind::NotFound;
      break;
    case Kind::InvalidInput:
      out.kind = OpError::Kind::InvalidInput;
      break;
    case Kind::WrongStage:
      out.kind = OpError::Kind::WrongStage;
      break;
    case Kind::Busy:
      out.kind = OpError::Kind::Busy;
      break;
    case Kind::Failed:
      break;
  }
  return out;
}

std::string_view to_string(OpError::Kind kind) {
  switch (kind) {
    case OpError::Kind::InvalidId:
      return "invalid_id";
    case OpError::Kind::InvalidInput:
      return "invalid_input";
    case OpError::Kind::NotFound:
      return "not_found";
    case OpError::Kind::WrongStage:
      return "wrong_stage";
    case OpError::Kind::Conflict:
      return "conflict";
    case OpError::Kind::Busy:
      return "busy";
    case OpError::Kind::Malformed:
      return "malformed_item";
    case OpError::Kind::Failed:
      break;
  }
  return "failed";
}

}  // namespace stork::ops
