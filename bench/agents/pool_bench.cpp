// The pool's hot path and its start-up cost, each against the floor on the same machine:
//  - PoolStream: a 100,000-line stream-json transcript (built from recorded Claude Code
//    output) printed by a child process on a pipe, through the claude-code runtime into the
//    pool: parsed, persisted (SQLite + log file) and fanned out to 10 subscribers; with every
//    line stored (budget_mib:256) and over the default output budget (budget_mib:16).
//  - RawPty: the same bytes read raw from a PTY (forkpty + cat + read until EOF): the floor
//    while agents ran in a PTY.
//  - RawPipe: the same bytes read raw from a pipe: the floor now that they run on pipes.
//  - PoolStart: start_agent → the process running, with the worktree already there (reused).
//  - WorktreeReuse: WorktreeManager::create on that existing worktree, to subtract.
//  - BareSpawn: posix_spawn of the same command and waiting for it.
//  - StartOverhead: the three paired in each iteration; PoolStart − WorktreeReuse − BareSpawn
//    as the median of the per-iteration differences.
// Lines per second are reported as items_per_second.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <fcntl.h>
#include <pty.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "agents/agent_pool.hpp"
#include "agents/bench_io.hpp"
#include "base/subprocess.hpp"
#include "config/config_loader.hpp"
#include "git/worktree_manager.hpp"

extern char** environ;

namespace {
namespace fs = std::filesystem;
namespace asio = boost::asio;
using namespace stork;
using bench::check;
using bench::Io;

constexpr int kLines = 100'000;

void sh(const fs::path& cwd, const std::string& script) {
  auto out = run_command(Command{{"/bin/sh", "-c", script}, cwd, {}, {}, {}});
  check(out.ok() && out->succeeded(), "failed: " + script + "\n" + (out.ok() ? out->err : ""));
}

// A transcript of kLines lines: the recorded session's lines repeated, init first, result last.
fs::path make_transcript(const fs::path& dir) {
  std::ifstream in(fs::path(STORK_SOURCE_DIR) / "tests/fixtures/claude/write_commit.jsonl");
  std::vector<std::string> recorded;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) recorded.push_back(line);
  }
  check(recorded.size() > 2, "no recorded transcript");
  const fs::path path = dir / "transcript.jsonl";
  std::ofstream out(path);
  out << recorded.front() << '\n';
  for (int i = 1; i + 1 < kLines; ++i)
    out << recorded[1 + (i % (recorded.size() - 2))] << '\n';
  out << recorded.back() << '\n';
  return path;
}

struct Project {
  fs::path root;
  std::shared_ptr<const ProjectConfig> config;
};

Project make_project(const std::string& agent_toml) {
  Project project;
  project.root = fs::temp_directory_path() /
                 ("stork-bench-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  fs::create_directories(project.root / ".storkit/work/2_current");
  sh(project.root,
     "git init -q -b main && git config user.email b@b && git config user.name b && "
     "printf '.storkit/worktrees/\\n.storkit/state.db*\\n.storkit/logs/\\n' > .gitignore && "
     "git add .gitignore && git commit -qm init");
  std::ofstream(project.root / ".storkit/work/2_current/1_story_bench.md") << "---\nname: B\n---\n";
  std::ofstream(project.root / ".storkit/project.toml") << agent_toml;
  auto loaded = load_project_config(project.root / ".storkit/project.toml");
  check(loaded.ok(), "bad config");
  project.config = std::make_shared<const ProjectConfig>(loaded.value().config);
  return project;
}

void PoolStream(benchmark::State& state) {
  const fs::path scratch =
      fs::temp_directory_path() / ("stork-bench-t-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  const fs::path transcript = make_transcript(scratch);
  const fs::path fake_claude = scratch / "fake-claude";
  std::ofstream(fake_claude) << "#!/bin/sh\nexec cat " << transcript.string() << "\n";
  fs::permissions(fake_claude, fs::perms::owner_all);
  // The run's output budget: at the default 16 MiB the 61 MB stream goes over it (the tail
  // is held and most of it dropped); at 256 MiB every line is stored, the usual case of a run.
  const std::int64_t budget = state.range(0) << 20;
  Project project =
      make_project("[limits]\nrun_output_bytes = " + std::to_string(budget) +
                   "\n\n[[agent]]\nname = \"coder-1\"\nruntime = \"claude-code\"\ncommand = \"" +
                   fake_claude.string() + "\"\n");
  Io io;
  agents::PoolOptions options;
  options.project_root = project.root;
  auto pool = agents::AgentPool::open(io.io.get_executor(), project.config, options);
  check(pool.ok(), "pool");
  std::atomic<std::int64_t> delivered{0};
  for (int i = 0; i < 10; ++i) {
    io.run(pool.value()->subscribe([&](const std::vector<agents::AgentEvent>& events) {
      std::size_t bytes = 0;
      for (const auto& event : events)
        bytes += event.payload.size();
      benchmark::DoNotOptimize(bytes);
      delivered += static_cast<std::int64_t>(events.size());
    }));
  }
  std::int64_t events = 0;
  for (auto _ : state) {
    delivered = 0;
    auto started = io.run(pool.value()->start_agent({"1_story_bench", "coder-1", {}, false}));
    check(started.ok(), "start");
    auto done =
        io.run(pool.value()->wait_for_agent("1_story_bench", "coder-1", std::chrono::minutes(5)));
    check(done.ok() && done.value().status == agents::AgentStatus::Completed,
          "run did not complete: " + (done.ok() ? done.value().exit_reason : done.error().message));
    events = done.value().events;
  }
  io.run(pool.value()->shutdown());
  state.SetItemsProcessed(state.iterations() * kLines);
  state.counters["events_per_run"] = static_cast<double>(events);
  state.counters["subscriber_events"] = static_cast<double>(delivered.load());
  fs::remove_all(project.root);
  fs::remove_all(scratch);
}
BENCHMARK(PoolStream)
    ->ArgName("budget_mib")
    ->Arg(256)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);

// Reads `fd` until EOF (or EIO, a PTY's end), closes it and reaps `pid`; returns the bytes read.
std::size_t drain_and_reap(int fd, pid_t pid) {
  char buffer[65536];
  std::size_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return total;
}

void RawPty(benchmark::State& state) {
  const fs::path scratch =
      fs::temp_directory_path() / ("stork-bench-r-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  const std::string transcript = make_transcript(scratch).string();
  std::size_t total = 0;
  for (auto _ : state) {
    termios raw{};
    cfmakeraw(&raw);
    winsize size{50, 200, 0, 0};
    int master = -1;
    pid_t pid = forkpty(&master, nullptr, &raw, &size);
    check(pid >= 0, "forkpty");
    if (pid == 0) {
      execl("/bin/cat", "cat", transcript.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    total = drain_and_reap(master, pid);
  }
  state.SetItemsProcessed(state.iterations() * kLines);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
  fs::remove_all(scratch);
}
BENCHMARK(RawPty)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// The floor for PoolStream since agents run on pipes, not a PTY (claude-code takes stream-json
// on stdin, cea6fc0): the same bytes read raw from a pipe (posix_spawn + cat + read until EOF).
void RawPipe(benchmark::State& state) {
  const fs::path scratch =
      fs::temp_directory_path() / ("stork-bench-p-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  const std::string transcript = make_transcript(scratch).string();
  std::size_t total = 0;
  for (auto _ : state) {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC) == 0, "pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::string arg0 = "cat";
    std::string arg1 = transcript;
    char* argv[] = {arg0.data(), arg1.data(), nullptr};
    pid_t pid = 0;
    check(posix_spawn(&pid, "/bin/cat", &actions, nullptr, argv, environ) == 0, "spawn");
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    total = drain_and_reap(fds[0], pid);
  }
  state.SetItemsProcessed(state.iterations() * kLines);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
  fs::remove_all(scratch);
}
BENCHMARK(RawPipe)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

const char* kTrueAgent =
    "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\ncommand = \"/bin/true\"\n";

// A pool over a project with one `command` agent running /bin/true, and the time of each
// start: start_agent until the `running` status event (the process has been exec'd by then).
class TimedStarts {
 public:
  TimedStarts() : project_(make_project(kTrueAgent)) {
    agents::PoolOptions options;
    options.project_root = project_.root;
    auto pool = agents::AgentPool::open(io_.io.get_executor(), project_.config, options);
    check(pool.ok(), "pool");
    pool_ = std::move(pool.value());
    io_.run(pool_->subscribe([this](const std::vector<agents::AgentEvent>& events) {
      for (const auto& event : events) {
        if (event.type == "status" && event.payload.find("\"running\"") != std::string::npos) {
          running_at_ns_ = std::chrono::steady_clock::now().time_since_epoch().count();
          running_at_ns_.notify_one();
        }
      }
    }));
    start_once();  // creates the worktree; every start after this one reuses it
  }
  ~TimedStarts() {
    io_.run(pool_->shutdown());
    fs::remove_all(project_.root);
  }
  TimedStarts(const TimedStarts&) = delete;
  TimedStarts& operator=(const TimedStarts&) = delete;

  // Seconds from start_agent to `running`; the run is waited for (untimed) before returning.
  double start_once() {
    running_at_ns_ = 0;
    const auto begin = std::chrono::steady_clock::now().time_since_epoch().count();
    check(io_.run(pool_->start_agent({"1_story_bench", "coder-1", {}, false})).ok(), "start");
    // Blocked, not spinning: a spinning waiter takes one of the machine's two cores from the
    // git children and the pool's threads it is timing (the first figures were made that way).
    running_at_ns_.wait(0);
    const auto seconds = static_cast<double>(running_at_ns_ - begin) / 1e9;
    check(io_.run(pool_->wait_for_agent("1_story_bench", "coder-1", std::chrono::minutes(1))).ok(),
          "wait");
    return seconds;
  }

  const fs::path& root() const { return project_.root; }

 private:
  Project project_;
  Io io_;
  std::unique_ptr<agents::AgentPool> pool_;
  std::atomic<std::int64_t> running_at_ns_{0};
};

// One posix_spawn of /bin/true and its waitpid, the floor a start is compared with.
void bare_spawn() {
  pid_t pid = 0;
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  check(posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) == 0, "spawn");
  int status = 0;
  ::waitpid(pid, &status, 0);
}

double seconds_of(const std::function<void()>& work) {
  const auto begin = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

double median_ms(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  const std::size_t n = seconds.size();
  return (n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2) * 1e3;
}

void PoolStart(benchmark::State& state) {
  TimedStarts starts;
  for (auto _ : state)
    state.SetIterationTime(starts.start_once());
}
BENCHMARK(PoolStart)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(50);

void WorktreeReuse(benchmark::State& state) {
  Project project = make_project(kTrueAgent);
  WorktreeManager manager({project.root, "main", "http://127.0.0.1:3000/mcp", "", {}});
  auto story = parse_story_id("1_story_bench").value();
  check(manager.create(story).ok(), "create");
  for (auto _ : state) {
    auto created = manager.create(story);
    check(created.ok() && created.value().reused, "reuse");
  }
  fs::remove_all(project.root);
}
BENCHMARK(WorktreeReuse)->Unit(benchmark::kMillisecond)->Iterations(50);

void BareSpawn(benchmark::State& state) {
  for (auto _ : state)
    bare_spawn();
}
BENCHMARK(BareSpawn)->Unit(benchmark::kMillisecond)->Iterations(50);

// The three above, paired: each iteration is one start, the same worktree reuse alone and one
// bare spawn, back to back, so that the machine's drift between benchmarks (git's time varies
// by a third from one minute to the next here) does not enter the difference. The counters are
// medians over the iterations, in ms; overhead_ms is the median of start − worktree − bare.
void StartOverhead(benchmark::State& state) {
  TimedStarts starts;
  WorktreeManager manager({starts.root(), "main", agents::PoolOptions{}.mcp_url, "", {}});
  const auto story = parse_story_id("1_story_bench").value();
  std::vector<double> start, worktree, bare, overhead;
  for (auto _ : state) {
    start.push_back(starts.start_once());
    worktree.push_back(seconds_of([&] { check(manager.create(story).value().reused, "reuse"); }));
    bare.push_back(seconds_of(bare_spawn));
    overhead.push_back(start.back() - worktree.back() - bare.back());
    state.SetIterationTime(start.back());
  }
  state.counters["start_ms"] = median_ms(start);
  state.counters["worktree_ms"] = median_ms(worktree);
  state.counters["bare_ms"] = median_ms(bare);
  state.counters["overhead_ms"] = median_ms(overhead);
}
BENCHMARK(StartOverhead)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(50);

}  // namespace
