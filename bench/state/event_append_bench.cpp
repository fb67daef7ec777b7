// StateStore::append_events with batches of 1, 64 and 1024 events (one transaction a call), in a
// real WAL database in a temporary directory: the cost the agent pool pays on its strand for
// each burst of output lines. Items/s is events per second.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "state/run_store.hpp"

namespace {

namespace fs = std::filesystem;

// A typical stream-json line from an agent, as the payload of each event.
constexpr std::string_view kPayload =
    R"({"type":"assistant","message":{"content":[{"type":"text","text":"Running the tests )"
    R"(now; 3 of 12 suites have passed so far."}]},"session_id":"0b6c9f6e-2f55-4c8e"})";

class Project {
 public:
  Project() {
    std::string pattern = (fs::temp_directory_path() / "stork-state-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
  }
  ~Project() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

void BM_AppendEvents(benchmark::State& state) {
  Project project;
  auto store = stork::state::StateStore::open(project.root());
  if (!store.ok()) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  stork::state::NewRun run_spec{"1_story_bench", "coder-1", "sonnet", "claude-code", {}, {}};
  auto run = (*store)->create_run(run_spec, 0);
  if (!run.ok()) {
    state.SkipWithError(run.error().message.c_str());
    return;
  }
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  std::vector<stork::state::EventRecord> batch(batch_size);
  for (auto& event : batch) {
    event.run_id = *run;
    event.type = "assistant";
    event.payload = kPayload;
  }
  std::int64_t seq = 0;
  for (auto _ : state) {
    // Renumbering is a few ns an event, negligible next to SQLite; PauseTiming would cost more.
    for (auto& event : batch) {
      event.seq = ++seq;
      event.time_ms = seq;
    }
    auto appended = (*store)->append_events(batch);
    if (!appended.ok()) {
      state.SkipWithError(appended.error().message.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AppendEvents)->Arg(1)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

}  // namespace
