#include "engine/gate_runner.hpp"

#include <deque>
#include <fstream>
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "base/strand_call.hpp"
#include "engine/kill_point.hpp"
#include "proc/child_process.hpp"

namespace stork::engine {
namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

// Output is kept up to twice the tail size, then trimmed, so a chatty gate costs O(output).
constexpr std::size_t kKeep = 8 * kGateOutputTail;

class GateRun {
 public:
  GateRun(asio::strand<asio::any_io_executor> strand, GateSpec spec)
      : strand_(strand), spec_(std::move(spec)), timer_(strand) {}

  // On the strand.
  void start(const std::shared_ptr<GateRun>& self, Done<GateResult> done) {
    done_ = std::move(done);
    started_ = steady_clock::now();
    if (cancelled_) {
      GateResult result;
      result.outcome = "cancelled";
      result.output_tail = "cancelled before it started";
      return complete(std::move(result));
    }
    if (!spec_.log_file.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(spec_.log_file.parent_path(), ec);
      log_.open(spec_.log_file, std::ios::binary | std::ios::trunc);
    }
    proc::SpawnOptions options;
    options.argv = {"sh", "-c", spec_.command};
    if (spec_.sandbox) {
      auto wrapped = proc::sandboxed_argv(spec_.cwd, *spec_.sandbox, options.argv);
      if (!wrapped.ok()) return setup_failed("the sandbox could not be set up: " + wrapped.error());
      options.argv = std::move(wrapped).value();
    }
    options.cwd = spec_.cwd;
    options.set_env = spec_.set_env;
    options.stop_grace = std::chrono::seconds(5);
    proc::ProcessHandlers handlers;
    handlers.on_lines = [self](std::vector<std::string>& lines) {
      for (const auto& line : lines)
        self->append(line);
    };
    handlers.on_exit = [self](const proc::ExitStatus& status) { self->finish(status); };
    auto spawned = proc::ChildProcess::spawn(strand_, std::move(options), std::move(handlers));
    if (!spawned.ok()) {
      return setup_failed("the gate could not be started: " + spawned.error().message +
                          (spec_.sandbox ? "; the sandbox needs bubblewrap (apt-get install "
                                           "bubblewrap; `stork doctor` checks it)"
                                         : ""));
    }
    process_ = spawned.value();
    if (!spec_.kill_point.empty()) kill_point(spec_.kill_point);
    timer_.expires_after(spec_.timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (ec || !self->process_ || !self->process_->running()) return;
      self->timed_out_ = true;
      self->process_->stop();
    });
  }

  // From any thread: the run stops on its strand (a no-op once it has ended).
  static void cancel(const std::weak_ptr<GateRun>& weak) {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->strand_, [self] {
      self->cancelled_ = true;  // start() sees it when the cancel came first
      if (self->process_ && self->process_->running()) self->process_->stop();
    });
  }

 private:
  void setup_failed(const std::string& why) {
    GateResult result;
    result.outcome = why;
    result.output_tail = why;
    result.setup_problem = why;
    complete(std::move(result));
  }

  // A sandboxed run without network whose output shows a network failure says what to set.
  void add_network_hint(GateResult& result) {
    if (result.passed || !spec_.sandbox || spec_.sandbox->network) return;
    const auto hint = proc::network_hint(output_);
    if (hint.empty()) return;
    result.output_tail += hint + "\n";
    if (log_) log_ << hint << '\n';
  }

  void append(const std::string& line) {
    log_line(line);
    output_ += line;
    output_ += '\n';
    if (output_.size() > kKeep) output_.erase(0, output_.size() - kKeep / 2);
  }

  // The first half of the log budget goes to the file as it comes; after that the newest
  // lines wait in a bounded tail, written at the end after a note of what was dropped.
  void log_line(const std::string& line) {
    if (!log_) return;
    const std::uint64_t size = line.size() + 1;
    const std::uint64_t half = spec_.max_output_bytes / 2;
    if (tail_.empty() && head_bytes_ + size <= half) {
      log_ << line << '\n';
      head_bytes_ += size;
      return;
    }
    tail_.push_back(line);
    tail_bytes_ += size;
    while (tail_bytes_ > half && !tail_.empty()) {
      tail_bytes_ -= tail_.front().size() + 1;
      dropped_bytes_ += tail_.front().size() + 1;
      ++dropped_lines_;
      tail_.pop_front();
    }
  }

  void write_log_tail() {
    if (dropped_lines_ > 0) {
      log_ << "[... " << dropped_bytes_ << " bytes / " << dropped_lines_
           << " lines dropped (the log keeps " << spec_.max_output_bytes
           << " bytes: [limits] command_output_bytes) ...]\n";
    }
    for (const auto& line : tail_)
      log_ << line << '\n';
    tail_.clear();
  }

  void finish(const proc::ExitStatus& status) {
    timer_.cancel();
    GateResult result;
    result.passed = status.succeeded() && !timed_out_ && !cancelled_;
    result.outcome = timed_out_ ? "timed out after " + std::to_string(spec_.timeout.count()) + " s"
                     : cancelled_ ? "cancelled"
                                  : status.describe();
    result.output_tail = tail_of(output_, kGateOutputTail);
    if (!timed_out_ && status.reason == proc::ExitReason::Exited)
      result.setup_problem = gate_setup_problem(status.exit_code, output_);
    if (dropped_lines_ > 0) {
      result.output_tail = "[... " + std::to_string(dropped_bytes_) + " bytes / " +
                           std::to_string(dropped_lines_) + " lines dropped from the log ...]\n" +
                           result.output_tail;
    }
    if (log_) write_log_tail();
    add_network_hint(result);
    if (log_) {
      log_ << "--- gate " << (result.passed ? "passed" : "failed") << ": " << result.outcome
           << '\n';
    }
    complete(std::move(result));
  }

  void complete(GateResult result) {
    result.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - started_);
    process_.reset();  // breaks the handler → GateRun → process cycle
    if (done_) std::exchange(done_, nullptr)(std::move(result));
  }

  asio::strand<asio::any_io_executor> strand_;
  GateSpec spec_;
  asio::steady_timer timer_;
  Done<GateResult> done_;
  std::ofstream log_;
  std::string output_;
  std::shared_ptr<proc::ChildProcess> process_;
  steady_clock::time_point started_;
  bool timed_out_ = false;
  bool cancelled_ = false;
  std::uint64_t head_bytes_ = 0;
  std::deque<std::string> tail_;  // log lines after the head, at most half the budget
  std::uint64_t tail_bytes_ = 0;
  std::uint64_t dropped_bytes_ = 0;
  std::uint64_t dropped_lines_ = 0;
};

}  // namespace

namespace {

// The shell's own complaint ("sh: 1: script/test: not found"): the last line that has `what`.
std::string shell_line(const std::string& output, std::string_view what) {
  const auto at = output.rfind(what);
  if (at == std::string::npos) return "";
  const auto begin = output.rfind('\n', at);
  const auto end = output.find('\n', at);
  const auto first = begin == std::string::npos ? 0 : begin + 1;
  return output.substr(first, (end == std::string::npos ? output.size() : end) - first);
}

std::string with_line(std::string text, const std::string& line) {
  return line.empty() ? text : text + " (" + line + ")";
}

}  // namespace

std::optional<std::string> gate_setup_problem(int exit_code, const std::string& output) {
  if (exit_code == 126) {
    return with_line("exit 126: the gate command is not executable",
                     shell_line(output, "Permission denied")) +
           "; run `chmod +x` on it and commit the mode";
  }
  if (exit_code == 127) {
    return with_line("exit 127: a command of the gate was not found",
                     shell_line(output, "not found")) +
           "; is the gate script committed on the base branch, and is every tool it calls "
           "installed?";
  }
  return std::nullopt;
}

std::string tail_of(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t start = text.size() - bytes;
  // Start at the next line when one begins within the first eighth: whole lines read better.
  auto newline = text.find('\n', start);
  if (newline != std::string::npos && newline - start < bytes / 8) start = newline + 1;
  return "[... " + std::to_string(start) + " bytes before this cut ...]\n" + text.substr(start);
}

// A coroutine: `spec` by value, so it lives in the frame (a caller's reference may not).
asio::awaitable<GateResult> run_gate(asio::any_io_executor executor, GateSpec spec,
                                     asio::cancellation_slot cancel) {
  // The run lives on a strand of its own; call_on resumes the caller on its executor.
  auto strand = asio::make_strand(executor);
  auto run = std::make_shared<GateRun>(strand, spec);
  // Assigned here, on the caller's executor, where the caller's signal is emitted too.
  if (cancel.is_connected()) {
    std::weak_ptr<GateRun> weak = run;
    cancel.assign([weak](asio::cancellation_type) { GateRun::cancel(weak); });
  }
  auto start = [run](Done<GateResult> done) { run->start(run, std::move(done)); };
  auto waiting = call_on<GateResult>(strand, std::move(start));
  auto result = co_await std::move(waiting);
  if (cancel.is_connected()) cancel.clear();
  co_return result;
}

}  // namespace stork::engine
