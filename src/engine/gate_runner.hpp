// GateRunner: runs the project's gate (`script/test` by default, project.toml `gate_command`)
// in a worktree, as an asynchronous child process in its own process group, with a time limit.
// The output goes to a log file, bounded: its head and its tail (max_output_bytes together),
// with a line saying how many bytes and lines were dropped between them; the result keeps the
// last 8 KB, which is what a coder gets back when it is restarted and what the board shows.
// A cancellation (the MCP caller went away) stops the process group.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include "proc/sandbox.hpp"

namespace stork::engine {

inline constexpr std::size_t kGateOutputTail = std::size_t{8} * 1024;

struct GateSpec {
  std::string command;  // run with `sh -c`, so `make check && npm test` works
  std::filesystem::path cwd;
  std::chrono::seconds timeout{1800};
  std::filesystem::path log_file;  // created with its directories; empty: no log
  std::vector<std::pair<std::string, std::string>> set_env;
  std::string kill_point;  // fault tests: the kill point hit once the gate is running
  std::uint64_t max_output_bytes = std::uint64_t{1024} * 1024;  // in the log: head + tail
  // Set: `sh -c command` runs under bwrap, confined to cwd's worktree (proc/sandbox.hpp). A
  // sandbox that cannot be set up fails the gate as a setup problem, never runs it unconfined.
  std::optional<proc::SandboxPolicy> sandbox{};
};

struct GateResult {
  bool passed = false;
  std::string outcome;      // "exit code 0", "exit code 1", "timed out after 60 s", ...
  std::string output_tail;  // the last kGateOutputTail bytes (stdout and stderr interleaved)
  std::chrono::milliseconds duration{0};
  // Set when the gate could not run at all, which no retry of the work can fix: it could not be
  // started, or `sh` answered 126 (not executable) or 127 (not found). Says which, with the
  // shell's own line, e.g. "exit 127: script/test was not found (sh: 1: script/test: not
  // found); is it committed?".
  std::optional<std::string> setup_problem;
};

// The setup problem an exit status and output show, if any (see GateResult::setup_problem).
std::optional<std::string> gate_setup_problem(int exit_code, const std::string& output);

// Never fails as such: a gate that cannot be started is a failed gate whose outcome says why.
// When `cancel` is connected, emitting its signal (from any thread) stops the process; the
// outcome is then "cancelled".
boost::asio::awaitable<GateResult> run_gate(boost::asio::any_io_executor executor, GateSpec spec,
                                            boost::asio::cancellation_slot cancel = {});

// The last `bytes` bytes of `text`, starting at a line boundary when one is near, with a note
// of how much was cut.
std::string tail_of(const std::string& text, std::size_t bytes);

}  // namespace stork::engine
