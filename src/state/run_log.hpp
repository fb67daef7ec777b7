// RunLog: the log file of one run, .storkit/logs/<story>/<agent>-<session>.log (storkit's
// layout). The pool appends the run's output lines as they arrive; readers tail the file.
// Story, agent and session names become path components, so they are checked first: never
// empty, no '/', no "..", no NUL. The file is opened O_APPEND and each batch of lines goes out in
// one write(2), so a batch is never split by another writer and nothing is held back in memory.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "state/sqlite.hpp"

namespace stork::state {

class RunLog {
 public:
  // Creates the story's directory and opens (or creates) the log to append to. `session` may be
  // a provisional label ("run-17") until the session id is known: see rename_to_session.
  static StateResult<RunLog> open(const std::filesystem::path& project_root, std::string_view story,
                                  std::string_view agent, std::string_view session);

  ~RunLog();
  RunLog(RunLog&& other) noexcept;
  RunLog& operator=(RunLog&& other) noexcept;
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  // Each line followed by '\n', all in one write(2).
  StateResult<void> append_lines(std::span<const std::string> lines);
  // Makes what was appended durable (fdatasync); appended lines are visible to readers at once.
  StateResult<void> flush();
  // Renames the file to <agent>-<session_id>.log and keeps appending to it. Refuses to replace
  // an existing log.
  StateResult<void> rename_to_session(std::string_view session_id);

  const std::filesystem::path& path() const { return path_; }

 private:
  RunLog(int fd, std::filesystem::path path, std::string agent)
      : fd_(fd), path_(std::move(path)), agent_(std::move(agent)) {}

  int fd_ = -1;
  std::filesystem::path path_;
  std::string agent_;
  std::string batch_;  // reused between calls: no allocation per batch once warmed up
};

}  // namespace stork::state
