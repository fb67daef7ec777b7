#include "engine/gate_runner.hpp"

#include <fstream>
#include <memory>

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
  GateRun(asio::strand<asio::any_io_executor> strand, GateSpec spec, Done<GateResult> done)
      : strand_(strand), spec_(std::move(spec)), timer_(strand), done_(std::move(done)) {}

  void start(const std::shared_ptr<GateRun>& self) {
    started_ = steady_clock::now();
    if (!spec_.log_file.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(spec_.log_file.parent_path(), ec);
      log_.open(spec_.log_file, std::ios::binary | std::ios::trunc);
    }
    proc::SpawnOptions options;
    options.argv = {"sh", "-c", spec_.command};
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
      GateResult result;
      result.outcome = "the gate could not be started: " + spawned.error().message;
      result.output_tail = result.outcome;
      result.setup_problem = result.outcome;
      return complete(std::move(result));
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

 private:
  void append(const std::string& line) {
    if (log_) log_ << line << '\n';
    output_ += line;
    output_ += '\n';
    if (output_.size() > kKeep) output_.erase(0, output_.size() - kKeep / 2);
  }

  void finish(const proc::ExitStatus& status) {
    timer_.cancel();
    GateResult result;
    result.passed = status.succeeded() && !timed_out_;
    result.outcome = timed_out_ ? "timed out after " + std::to_string(spec_.timeout.count()) + " s"
                                : status.describe();
    result.output_tail = tail_of(output_, kGateOutputTail);
    if (!timed_out_ && status.reason == proc::ExitReason::Exited)
      result.setup_problem = gate_setup_problem(status.exit_code, output_);
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

asio::awaitable<GateResult> run_gate(const asio::any_io_executor& executor, const GateSpec& spec) {
  // The run lives on a strand of its own; call_on resumes the caller on its executor.
  auto strand = asio::make_strand(executor);
  auto start = [strand, spec](Done<GateResult> done) {
    auto run = std::make_shared<GateRun>(strand, spec, std::move(done));
    run->start(run);
  };
  return call_on<GateResult>(strand, std::move(start));
}

}  // namespace stork::engine
