#include "proc/child_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <deque>
#include <optional>

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>
#include <sys/wait.h>

#include "proc/launcher.hpp"
#include "proc/line_splitter.hpp"
#include "proc/supervisor_protocol.hpp"

namespace stork::proc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

// All state is touched only by handlers on the executor. Every pending operation holds the
// owner alive (`self`), so a dropped ChildProcess lives until its process is fully reaped.
class ChildProcess::Impl {
 public:
  Impl(const asio::any_io_executor& executor, const SpawnOptions& options, ProcessHandlers handlers,
       LaunchedAgent launched)
      : executor_(executor),
        handlers_(std::move(handlers)),
        splitter_(options.max_line_bytes),
        inactivity_timeout_(options.inactivity_timeout),
        stop_grace_(options.stop_grace),
        supervisor_pid_(launched.supervisor_pid),
        agent_pid_(launched.agent_pid),
        output_(executor, launched.output.release()),
        control_(executor, launched.control.release()),
        inactivity_timer_(executor),
        grace_timer_(executor),
        buffer_(kReadChunk) {
    if (launched.stdin_writer.valid())
      stdin_.emplace(executor, asio::local::stream_protocol(), launched.stdin_writer.release());
  }

  ~Impl() {
    if (supervisor_reaped_) return;
    // Only when the io_context died with our operations pending: closing the lifeline makes
    // the supervisor kill everything and exit, which takes milliseconds.
    ErrorCode ignored;
    control_.close(ignored);
    output_.close(ignored);
    while (::waitpid(supervisor_pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }

  const asio::any_io_executor& executor() const { return executor_; }
  bool has_stdin() const { return stdin_.has_value(); }

  void start(const std::shared_ptr<ChildProcess>& self) {
    last_output_ = Clock::now();
    read_output(self);
    read_control(self);
    if (inactivity_timeout_.count() > 0) arm_inactivity_timer(self);
  }

  void stop(const std::shared_ptr<ChildProcess>& self) {
    if (status_known_ || requested_end_) return;
    requested_end_ = ExitReason::Stopped;
    send_command(kTerminateGroup);
    if (stop_grace_.count() <= 0) {
      send_command(kKillGroup);
      return;
    }
    grace_timer_.expires_after(stop_grace_);
    grace_timer_.async_wait([this, self](const ErrorCode& error) {
      if (!error && !status_known_) send_command(kKillGroup);
    });
  }

  void write_stdin(const std::shared_ptr<ChildProcess>& self, std::string data) {
    if (!stdin_) return;
    stdin_queue_.push_back(std::move(data));
    if (!stdin_writing_) write_next(self);
  }

  void close_stdin() {
    stdin_closing_ = true;
    if (!stdin_writing_) end_stdin();
  }

  void kill() {
    if (status_known_) return;
    if (!requested_end_) requested_end_ = ExitReason::Stopped;
    grace_timer_.cancel();
    send_command(kKillGroup);
  }

  void hold_inactivity(bool held) {
    if (held) {
      ++inactivity_holds_;
    } else if (inactivity_holds_ > 0) {
      --inactivity_holds_;
    }
    // The silence counts from the end of a wait, not from before it.
    last_output_ = Clock::now();
  }

 private:
  static constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

  void write_next(const std::shared_ptr<ChildProcess>& self) {
    if (stdin_queue_.empty()) {
      stdin_writing_ = false;
      if (stdin_closing_) end_stdin();
      return;
    }
    stdin_writing_ = true;
    asio::async_write(*stdin_, asio::buffer(stdin_queue_.front()),
                      [this, self](const ErrorCode& error, std::size_t) {
                        if (!stdin_) return;
                        stdin_queue_.pop_front();
                        if (error) {
                          // The agent closed its stdin or exited: nothing more can be read.
                          stdin_queue_.clear();
                          stdin_closing_ = true;
                        }
                        write_next(self);
                      });
  }

  void end_stdin() {
    owner_->stdin_open_.store(false);
    stdin_queue_.clear();
    if (!stdin_) return;
    ErrorCode ignored;
    stdin_->shutdown(asio::socket_base::shutdown_send, ignored);
    stdin_->close(ignored);
    stdin_.reset();
  }

  void read_output(const std::shared_ptr<ChildProcess>& self) {
    output_.async_read_some(
        asio::buffer(buffer_),
        [this, self](const ErrorCode& error, std::size_t size) { on_output(self, error, size); });
  }

  void on_output(const std::shared_ptr<ChildProcess>& self, const ErrorCode& error,
                 std::size_t size) {
    if (size > 0) {
      last_output_ = Clock::now();
      splitter_.feed(std::string_view(buffer_.data(), size), batch_);
      deliver_batch();
    }
    if (!error) {
      read_output(self);
      return;
    }
    // EOF on a pipe, EIO on a PTY master once no slave is open, or we closed it: all mean the
    // output is over.
    if (auto tail = splitter_.finish()) {
      batch_.push_back(std::move(*tail));
      deliver_batch();
    }
    output_done_ = true;
    finish_if_complete();
  }

  void deliver_batch() {
    if (batch_.empty()) return;
    if (handlers_.on_lines) handlers_.on_lines(batch_);
    batch_.clear();
  }

  void read_control(const std::shared_ptr<ChildProcess>& self) {
    control_.async_read_some(
        asio::buffer(&report_, sizeof report_),
        [this, self](const ErrorCode& error, std::size_t size) { on_control(self, error, size); });
  }

  void on_control(const std::shared_ptr<ChildProcess>& self, const ErrorCode& error,
                  std::size_t size) {
    if (!error && size == sizeof report_ && report_.kind == ReportKind::AgentExited) {
      set_exit_status(report_.value);
    }
    if (!error) {
      read_control(self);
      return;
    }
    // EOF: the supervisor closed the lifeline by exiting (after its report), so this wait is
    // a matter of microseconds. Any other error cannot happen on a healthy socket; never
    // block the io thread on it.
    if (error != asio::error::eof) ::kill(supervisor_pid_, SIGKILL);
    while (::waitpid(supervisor_pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    supervisor_reaped_ = true;
    if (!status_known_) supervisor_vanished();
    finish_if_complete();
  }

  // Someone SIGKILLed the supervisor. The agent had PR_SET_PDEATHSIG(SIGKILL); take its group
  // down as well and stop waiting for output that a survivor might hold open.
  void supervisor_vanished() {
    ::kill(-agent_pid_, SIGKILL);
    set_exit_status(std::nullopt);
    ErrorCode ignored;
    output_.cancel(ignored);
  }

  void set_exit_status(std::optional<int> wait_status) {
    status_known_ = true;
    wait_status_ = wait_status;
    owner_running(false);
    if (!stdin_writing_) end_stdin();
    inactivity_timer_.cancel();
    grace_timer_.cancel();
  }

  void arm_inactivity_timer(const std::shared_ptr<ChildProcess>& self) {
    inactivity_timer_.expires_at(last_output_ + inactivity_timeout_);
    inactivity_timer_.async_wait([this, self](const ErrorCode& error) {
      if (error || status_known_) return;
      if (inactivity_holds_ > 0) last_output_ = Clock::now();  // waiting on a person
      if (Clock::now() - last_output_ < inactivity_timeout_) {
        arm_inactivity_timer(self);  // output arrived meanwhile
        return;
      }
      if (requested_end_ != ExitReason::Stopped) requested_end_ = ExitReason::Inactive;
      grace_timer_.cancel();
      send_command(kKillGroup);
    });
  }

  void send_command(char command) {
    // Non-blocking and without SIGPIPE: if the supervisor is gone its report is on the way.
    ::send(control_.native_handle(), &command, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }

  ExitStatus exit_status() const {
    ExitStatus status;
    status.inactivity_timeout = inactivity_timeout_;
    if (!wait_status_) {
      status.term_signal = SIGKILL;
    } else if (WIFEXITED(*wait_status_)) {
      status.exit_code = WEXITSTATUS(*wait_status_);
    } else if (WIFSIGNALED(*wait_status_)) {
      status.term_signal = WTERMSIG(*wait_status_);
    }
    if (requested_end_) {
      status.reason = *requested_end_;
    } else {
      status.reason = status.term_signal != 0 ? ExitReason::Signaled : ExitReason::Exited;
    }
    return status;
  }

  void finish_if_complete() {
    if (exit_reported_ || !status_known_ || !output_done_ || !supervisor_reaped_) return;
    exit_reported_ = true;
    if (handlers_.on_exit) handlers_.on_exit(exit_status());
  }

  void owner_running(bool running) { owner_->running_.store(running); }

 public:
  ChildProcess* owner_ = nullptr;

 private:
  asio::any_io_executor executor_;
  ProcessHandlers handlers_;
  LineSplitter splitter_;
  std::chrono::milliseconds inactivity_timeout_;
  std::chrono::milliseconds stop_grace_;
  pid_t supervisor_pid_;
  pid_t agent_pid_;

  asio::posix::stream_descriptor output_;
  asio::posix::stream_descriptor control_;
  std::optional<asio::local::stream_protocol::socket> stdin_;  // SpawnOptions::stdin_stream
  std::deque<std::string> stdin_queue_;                        // front: being written
  bool stdin_writing_ = false;
  bool stdin_closing_ = false;
  asio::steady_timer inactivity_timer_;
  asio::steady_timer grace_timer_;
  std::vector<char> buffer_;
  std::vector<std::string> batch_;
  SupervisorReport report_{};
  Clock::time_point last_output_;
  int inactivity_holds_ = 0;  // questions to a person this process waits on

  std::optional<ExitReason> requested_end_;  // Stopped or Inactive, once we ended it
  std::optional<int> wait_status_;           // nullopt: the supervisor died without a report
  bool status_known_ = false;
  bool output_done_ = false;
  bool supervisor_reaped_ = false;
  bool exit_reported_ = false;
};

Result<std::shared_ptr<ChildProcess>, SpawnError> ChildProcess::spawn(
    const asio::any_io_executor& executor, SpawnOptions options, ProcessHandlers handlers) {
  auto launched = launch_supervised(options);
  if (!launched.ok()) return fail(SpawnError{launched.error().message});
  const pid_t agent_pid = launched->agent_pid;
  auto impl =
      std::make_unique<Impl>(executor, options, std::move(handlers), std::move(launched).value());
  auto child = std::make_shared<ChildProcess>(PrivateTag{}, std::move(impl), agent_pid);
  // Start on the executor: the caller may be on another thread than the handlers will be.
  asio::dispatch(child->impl_->executor(), [child] { child->impl_->start(child); });
  return child;
}

ChildProcess::ChildProcess(PrivateTag, std::unique_ptr<Impl> impl, pid_t agent_pid)
    : impl_(std::move(impl)), agent_pid_(agent_pid) {
  impl_->owner_ = this;
  stdin_open_.store(impl_->has_stdin());
}

ChildProcess::~ChildProcess() = default;

void ChildProcess::stop() {
  asio::dispatch(impl_->executor(), [self = shared_from_this()] { self->impl_->stop(self); });
}

bool ChildProcess::write_stdin(std::string data) {
  if (!stdin_open_.load()) return false;
  asio::dispatch(impl_->executor(), [self = shared_from_this(), data = std::move(data)]() mutable {
    self->impl_->write_stdin(self, std::move(data));
  });
  return true;
}

void ChildProcess::close_stdin() {
  if (!stdin_open_.exchange(false)) return;
  asio::dispatch(impl_->executor(), [self = shared_from_this()] { self->impl_->close_stdin(); });
}

void ChildProcess::hold_inactivity(bool held) {
  asio::dispatch(impl_->executor(),
                 [self = shared_from_this(), held] { self->impl_->hold_inactivity(held); });
}

void ChildProcess::kill() {
  asio::dispatch(impl_->executor(), [self = shared_from_this()] { self->impl_->kill(); });
}

}  // namespace stork::proc
