// The parts of an agent's start, each on its own, to explain pool_bench's start overhead
// (PoolStart − WorktreeReuse − BareSpawn) part by part:
//  - SupervisedSpawn: proc::ChildProcess::spawn of /bin/true, as every run starts its agent
//    (the plan handed to the standby supervisor, the agent's clone and exec, the handshake that
//    reports the exec, the next standby started), until spawn() returns: the point PoolStart's
//    `running` event marks.
//  - SupervisedRun: the same until its exit is reported (the supervisor reaps and reports), to
//    compare with pool_bench's BareSpawn (posix_spawn + waitpid), which also waits for the exit.
//  - RunRegistration: the SQLite calls of one start on a real state.db on disk (WAL): create_run,
//    the `pending` status event, set_run_state(Running), the `running` status event, the
//    inbox drained for <recent-events>, and the run's log file opened.
//  - PromptRender: the item file loaded through StageStore (read, front matter parsed) and the
//    prompt built from the default template with it (a 4 KB item).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <unistd.h>

#include "agents/agent_prompt.hpp"
#include "agents/bench_io.hpp"
#include "proc/child_process.hpp"
#include "state/run_log.hpp"
#include "state/run_store.hpp"
#include "work/stage_store.hpp"

namespace {
namespace fs = std::filesystem;
namespace asio = boost::asio;
using namespace stork;
using bench::check;
using bench::Io;

fs::path temp_project() {
  auto root = fs::temp_directory_path() / ("stork-start-bench-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(std::rand()));
  fs::create_directories(root / ".storkit/work/2_current");
  return root;
}

// Spawns /bin/true on `io`'s thread; `exited` is set when its exit is reported.
std::future<bool> spawn_true(Io& io, std::promise<void>& exited) {
  auto spawned = std::make_shared<std::promise<bool>>();
  auto result = spawned->get_future();
  asio::post(io.io, [&io, &exited, spawned] {
    proc::SpawnOptions options;
    options.argv = {"/bin/true"};
    proc::ProcessHandlers handlers;
    handlers.on_lines = [](std::vector<std::string>&) {};
    handlers.on_exit = [&exited](const proc::ExitStatus&) { exited.set_value(); };
    auto child = proc::ChildProcess::spawn(io.io.get_executor(), std::move(options), handlers);
    spawned->set_value(child.ok());
  });
  return result;
}

void SupervisedSpawn(benchmark::State& state) {
  Io io;
  for (auto _ : state) {
    std::promise<void> exited;
    const auto begin = std::chrono::steady_clock::now();
    check(spawn_true(io, exited).get(), "spawn");
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    exited.get_future().wait();  // not timed: the next spawn starts from a quiet machine
  }
}
BENCHMARK(SupervisedSpawn)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(50);

void SupervisedRun(benchmark::State& state) {
  Io io;
  for (auto _ : state) {
    std::promise<void> exited;
    check(spawn_true(io, exited).get(), "spawn");
    exited.get_future().wait();
  }
}
BENCHMARK(SupervisedRun)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(50);

void RunRegistration(benchmark::State& state) {
  const fs::path root = temp_project();
  auto store = state::StateStore::open(root);
  check(store.ok(), "state.db");
  auto& db = *store.value();
  std::int64_t now = 1'800'000'000'000;
  for (auto _ : state) {
    ++now;
    auto run = db.create_run({"1_story_bench", "coder-1", "sonnet", "command", {}, {}}, now);
    check(run.ok(), "create_run");
    const std::int64_t id = run.value();
    state::EventRecord pending{id, 1, now, "status", R"({"status":"pending"})"};
    check(db.append_events({&pending, 1}).ok(), "pending");
    check(db.set_run_state(id, state::RunState::Running, now).ok(), "running");
    state::EventRecord running{id, 2, now, "status", R"({"status":"running"})"};
    check(db.append_events({&running, 1}).ok(), "running event");
    check(db.take_inbox("1_story_bench", "coder-1").ok(), "inbox");
    auto log = state::RunLog::open(root, "1_story_bench", "coder-1", "run-" + std::to_string(id));
    check(log.ok(), "run log");
  }
  fs::remove_all(root);
}
BENCHMARK(RunRegistration)->Unit(benchmark::kMillisecond)->Iterations(50);

void PromptRender(benchmark::State& state) {
  const fs::path root = temp_project();
  std::string body = "---\nname: Bench item\n---\n\n# Bench item\n\n## Acceptance Criteria\n\n";
  while (body.size() < 4096)
    body += "- [ ] a criterion of realistic length that names a file and what it must do\n";
  std::ofstream(root / ".storkit/work/2_current/1_story_bench.md") << body;
  StageStore store(root);
  AgentConfig agent;
  agent.name = "coder-1";
  for (auto _ : state) {
    auto item = store.load("1_story_bench");
    check(item.ok(), "load");
    agents::PromptInput input{"1_story_bench",
                              (root / ".storkit/worktrees/1_story_bench").string(),
                              "main",
                              item.value().document.text(),
                              {},
                              {},
                              false};
    benchmark::DoNotOptimize(agents::build_prompt(agent, input));
  }
  fs::remove_all(root);
}
BENCHMARK(PromptRender)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace
