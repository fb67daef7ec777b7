// WorkError: why an operation on work items failed, with the facts (kind, id, file, line) as
// fields so callers branch on the kind and print the message at the edge.
#pragma once

#include <filesystem>
#include <string>

namespace stork {

enum class WorkErrorKind {
  NotFound,       // no item with that id in any stage
  InvalidId,      // the id or slug is malformed or unsafe
  AlreadyExists,  // the target file exists; nothing was overwritten
  Ambiguous,      // the same id exists in two stages, or a number matches two items
  Malformed,      // the file cannot be parsed (line and column set)
  InvalidInput,   // an argument is out of range (criterion index, empty name, ...)
  Io,             // the file system refused
};

struct WorkError {
  WorkError() = default;
  WorkError(WorkErrorKind error_kind, std::string text, std::filesystem::path file = {},
            int at_line = 0, int at_column = 0)
      : kind(error_kind),
        message(std::move(text)),
        path(std::move(file)),
        line(at_line),
        column(at_column) {}

  WorkErrorKind kind = WorkErrorKind::Io;
  std::string message;
  std::filesystem::path path;  // the file concerned, when there is one
  int line = 0;
  int column = 0;

  // "path:line:column: message" when a position is known, else the message.
  std::string render() const;
};

}  // namespace stork
