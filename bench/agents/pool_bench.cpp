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
// Lines per second are reported as items_per_second.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
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

void PoolStart(benchmark::State& state) {
  Project project = make_project(kTrueAgent);
  Io io;
  agents::PoolOptions options;
  options.project_root = project.root;
  auto pool = agents::AgentPool::open(io.io.get_executor(), project.config, options);
  check(pool.ok(), "pool");
  // The time the `running` status event is emitted: the process has been exec'd by then.
  std::atomic<std::int64_t> running_at_ns{0};
  io.run(pool.value()->subscribe([&](const std::vector<agents::AgentEvent>& events) {
    for (const auto& event : events) {
      if (event.type == "status" && event.payload.find("\"running\"") != std::string::npos) {
        running_at_ns = std::chrono::steady_clock::now().time_since_epoch().count();
        running_at_ns.notify_one();
      }
    }
  }));
  // Create the worktree once; every measured start reuses it.
  check(io.run(pool.value()->start_agent({"1_story_bench", "coder-1", {}, false})).ok(), "start");
  check(io.run(pool.value()->wait_for_agent("1_story_bench", "coder-1", std::chrono::minutes(1)))
            .ok(),
        "wait");
  for (auto _ : state) {
    running_at_ns = 0;
    const auto begin = std::chrono::steady_clock::now().time_since_epoch().count();
    check(io.run(pool.value()->start_agent({"1_story_bench", "coder-1", {}, false})).ok(), "start");
    // Blocked, not spinning: a spinning waiter takes one of the machine's two cores from the
    // git children and the pool's threads it is timing (the first figures were made that way).
    running_at_ns.wait(0);
    state.SetIterationTime(static_cast<double>(running_at_ns - begin) / 1e9);
    check(io.run(pool.value()->wait_for_agent("1_story_bench", "coder-1", std::chrono::minutes(1)))
              .ok(),
          "wait");
  }
  io.run(pool.value()->shutdown());
  fs::remove_all(project.root);
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
  for (auto _ : state) {
    pid_t pid = 0;
    char arg0[] = "/bin/true";
    char* argv[] = {arg0, nullptr};
    check(posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) == 0, "spawn");
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
}
BENCHMARK(BareSpawn)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace
