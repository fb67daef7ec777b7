// The pipeline's own work for one item, against the same git commands run bare from one shell
// script, in the same run on the same machine (bench/RESULTS.md "Pipeline").
//
// PipelineItem: an item in 2_current of a fresh repository; timed from Pipeline::start() until
// the `merged` event: the worktree is created, a scripted `command` coder writes and commits a
// file, the completion checks and the gate (`script/test`, which exits 0) run, the merge
// workspace is created, the squash is committed there, the gate runs on the merged tree, main
// advances (and the clean main checkout with it), the landing is verified, the item moves to
// 5_done (committed) and its worktree and branches are removed.
// BareGit: the same steps as git commands in one `sh` script: worktree add, the same coder
// script, the gate, a detached merge worktree, checkout -B, merge --squash, commit, the gate,
// merge --ff-only in the main checkout, the item file moved and committed, worktree remove,
// branch deletions.
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <sys/resource.h>

#include "agents/agent_pool.hpp"
#include "agents/awaitable_result.hpp"
#include "base/subprocess.hpp"
#include "config/config_loader.hpp"
#include "engine/pipeline.hpp"

namespace {

namespace fs = std::filesystem;
using namespace stork;

constexpr const char* kCoder =
    "echo \"work of $STORK_STORY_ID\" > \"$STORK_STORY_ID.txt\" && git add -A . && "
    "git commit -qm \"work on $STORK_STORY_ID\"";
constexpr const char* kStory = "1_story_bench";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

void sh(const fs::path& dir, const std::string& script) {
  Command command;
  command.argv = {"sh", "-ec", script};
  command.cwd = dir;
  command.merge_stderr = true;
  auto output = run_command(command);
  if (!output.ok() || !output.value().succeeded())
    throw std::runtime_error("script failed: " + script + "\n" +
                             (output.ok() ? output.value().out : ""));
}

// A repository with a passing gate, the coder in project.toml, and the item in 2_current.
fs::path make_project() {
  auto root = fs::temp_directory_path() /
              ("stork-bench-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(root);
  write(root / "script/test", "#!/bin/sh\nexit 0\n");
  fs::permissions(root / "script/test", fs::perms::owner_exec, fs::perm_options::add);
  write(root / ".gitignore",
        ".storkit/worktrees/\n.storkit/merge_workspace/\n.storkit/state.db*\n.storkit/logs/\n"
        ".storkit/work/2_current/\n.storkit/work/3_qa/\n.storkit/work/4_merge/\n");
  write(root / "README.md", "bench\n");
  write(root / ".storkit/project.toml",
        std::string("[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\nruntime = \"command\"\n"
                    "command = \"/bin/sh\"\nargs = [\"-c\", '''") +
            kCoder + "''']\n");
  sh(root,
     "git init -q -b main && git config user.email b@e && git config user.name bench && "
     "git add -A && git commit -qm init");
  return root;
}

// CPU time of the reaped child processes (git, the gates, the coder) so far, in ms: most of an
// item's wall time, so the counter shows how much of a difference is the children's own work.
double cpu_ms(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}
double children_cpu_ms() {
  return cpu_ms(RUSAGE_CHILDREN);
}

void add_item(const fs::path& root) {
  write(root / ".storkit/work/2_current" / (std::string(kStory) + ".md"),
        "---\nname: bench\n---\n\n# bench\n");
}

void PipelineItem(benchmark::State& state) {
  double child_cpu_ms = 0;
  double self_cpu_ms = 0;  // every thread of this process: the pipeline's own work
  for (auto _ : state) {
    state.PauseTiming();
    const auto root = make_project();
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    std::thread thread([&] { io.run(); });
    auto config = std::make_shared<const ProjectConfig>(
        load_project_config(root / ".storkit/project.toml").value().config);
    agents::PoolOptions pool_options;
    pool_options.project_root = root;
    auto pool = std::move(agents::AgentPool::open(io.get_executor(), config, pool_options).value());
    engine::PipelineOptions options;
    options.project_root = root;
    options.watch = false;  // the item is announced with reconcile(), not after a debounce
    auto pipeline =
        std::move(engine::Pipeline::open(io.get_executor(), config, *pool, options).value());
    std::mutex mutex;
    std::condition_variable merged_cv;
    bool merged = false;
    agents::run_blocking(io, pipeline->subscribe([&](const engine::PipelineEvent& event) {
      if (event.type != "merged") return;
      std::lock_guard lock(mutex);
      merged = true;
      merged_cv.notify_all();
    }));
    agents::run_blocking(io, pipeline->start());  // start-up (recovery, sweep) is not per item
    const double cpu_before = children_cpu_ms();
    const double self_before = cpu_ms(RUSAGE_SELF);
    state.ResumeTiming();

    add_item(root);
    agents::run_blocking(io, pipeline->reconcile());
    {
      std::unique_lock lock(mutex);
      if (!merged_cv.wait_for(lock, std::chrono::seconds(60), [&] { return merged; }))
        state.SkipWithError("the item did not merge within 60 s");
    }

    state.PauseTiming();
    child_cpu_ms += children_cpu_ms() - cpu_before;
    self_cpu_ms += cpu_ms(RUSAGE_SELF) - self_before;
    agents::run_blocking(io, pipeline->stop(std::chrono::seconds(5)));
    agents::run_blocking(io, pool->shutdown());
    pipeline.reset();
    pool.reset();
    guard.reset();
    io.stop();
    thread.join();
    fs::remove_all(root);
    state.ResumeTiming();
  }
  state.counters["child_cpu_ms"] = child_cpu_ms / static_cast<double>(state.iterations());
  state.counters["self_cpu_ms"] = self_cpu_ms / static_cast<double>(state.iterations());
}

void BareGit(benchmark::State& state) {
  const std::string id = kStory;
  const std::string script =
      "git worktree add -q -b feature/story-" + id + " .storkit/worktrees/" + id + " main\n" +
      "(cd .storkit/worktrees/" + id + " && STORK_STORY_ID=" + id + " sh -c '" + kCoder +
      "' && sh -c script/test >/dev/null)\n" +
      "git worktree add -q --detach .storkit/merge_workspace main\n"
      "(cd .storkit/merge_workspace && git checkout -q -B merge-queue/" +
      id +
      " main && "
      "git merge -q --squash feature/story-" +
      id + " && git commit -qm 'storkit: merge " + id +
      "' && sh -c script/test >/dev/null)\n"
      "git merge -q --ff-only $(git -C .storkit/merge_workspace rev-parse HEAD)\n"
      "mkdir -p .storkit/work/5_done && mv .storkit/work/2_current/" +
      id +
      ".md .storkit/work/5_done/ && git add .storkit/work/5_done && "
      "git commit -qm 'storkit: done " +
      id +
      "'\n"
      "git worktree remove --force .storkit/worktrees/" +
      id +
      "\n"
      "git branch -q -D feature/story-" +
      id +
      "\n"
      "git -C .storkit/merge_workspace checkout -q --detach && git branch -q -D merge-queue/" +
      id + "\n";
  double child_cpu_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto root = make_project();
    const double cpu_before = children_cpu_ms();
    state.ResumeTiming();
    add_item(root);
    sh(root, script);
    state.PauseTiming();
    child_cpu_ms += children_cpu_ms() - cpu_before;
    fs::remove_all(root);
    state.ResumeTiming();
  }
  state.counters["child_cpu_ms"] = child_cpu_ms / static_cast<double>(state.iterations());
}

BENCHMARK(PipelineItem)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20);
BENCHMARK(BareGit)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20);

}  // namespace
