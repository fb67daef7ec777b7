// OpError: how an operation of the ops layer says no, with the facts as fields. REST, MCP, the
// CLI and chat render it at their edge (a status code, a hint for the model, an exit code);
// nothing below them turns it into text for a particular surface, and tests assert on its kind
// and fields, never on `message`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "work/stage.hpp"

namespace stork {
struct WorkError;
}
namespace stork::engine {
struct PipelineError;
}

namespace stork::ops {

struct OpError {
  enum class Kind {
    InvalidId,     // the story id is malformed or unsafe (never reaches a path)
    InvalidInput,  // an argument is wrong: `field` names it
    NotFound,      // no such item, criterion or agent
    WrongStage,    // the item is not where the operation needs it (`stage` says where it is)
    Conflict,      // the id is ambiguous, the item already exists, or git has no commit yet
    Busy,          // something else is working on it; try again later
    Malformed,     // the item file cannot be read (fix the file)
    Failed,        // git, the file system or the state database failed
  };

  OpError() = default;
  OpError(Kind error_kind, std::string text) : kind(error_kind), message(std::move(text)) {}

  Kind kind = Kind::Failed;
  // One sentence with the facts; no advice for a particular surface and no field prefix (the
  // edge adds "field 'x': " or "x: " as its clients expect).
  std::string message;
  std::string story;           // the item concerned, when known (full id)
  std::string field;           // the argument at fault (InvalidInput, and NotFound of a criterion)
  std::optional<Stage> stage;  // where the item is (Conflict)
  std::optional<std::size_t> limit;  // how many there are (NotFound of a criterion: the count)
};

template <class T>
using OpResult = Result<T, OpError>;

OpError invalid_input(std::string field, std::string message);
// Kinds map one to one: NotFound, InvalidId, InvalidInput (field from the message's subject
// is unknown: empty), Ambiguous/AlreadyExists → Conflict, Malformed, Io → Failed.
OpError from_work(const WorkError& error, std::string story = {});
// NotFound, InvalidInput, WrongStage, Busy, Failed.
OpError from_pipeline(const engine::PipelineError& error, std::string story = {});

std::string_view to_string(OpError::Kind kind);

}  // namespace stork::ops
