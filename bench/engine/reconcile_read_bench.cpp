// The read of a reconcile pass after one item write, over projects of N generated items (100,
// 2,000, 10,000; 80 % of them finished, as in bench_items.hpp), the way the server made it
// before issue 22's last change and the way it makes it now (engine/snapshot_cache.hpp). Each
// iteration blocks or unblocks one backlog item (the write is not timed) and then reads:
//
//   BM_ReconcileRead/named:0/<N>: a full pass, SnapshotCache::read: list every stage directory,
//     lstat each file for its stamp, parse the changed one, copy the items (before).
//   BM_ReconcileRead/named:1/<N>: SnapshotCache::read_changed with the written file's name
//     (now): one lstat per stage directory for that name, parse it, copy the open items.
//   BM_ParseOneItem/<N>: the floor, what any pass must do after the write: read and parse the
//     one changed item file (StageStore::load_entry).
#include <stdexcept>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "engine/snapshot_cache.hpp"
#include "work/bench_projects.hpp"
#include "work/stage_store.hpp"

namespace {

using stork::Stage;
using stork::StageStore;

StageStore::Entry first_backlog_item(const StageStore& store) {
  for (const auto& entry : store.scan().entries) {
    if (entry.stage == Stage::Backlog) return entry;
  }
  throw std::runtime_error("no backlog item in the bench project");
}

bool toggle_blocked(StageStore& store, const std::string& id, bool blocked) {
  return store
      .update(id,
              [blocked](stork::WorkItem& item) -> stork::WorkResult<void> {
                item.set_blocked(blocked);
                return {};
              })
      .ok();
}

void BM_ReconcileRead(benchmark::State& state) {
  const bool named = state.range(0) != 0;
  const auto& root = stork::bench::Projects::shared().get(state.range(1));
  StageStore store(root);
  const auto entry = first_backlog_item(store);
  const std::string id = entry.id.str();
  const std::set<std::string> names{entry.path.filename().string()};
  // As the server: a file changed in the last 2 s is never trusted to its stamp (two writes
  // in one clock tick can leave equal stamps: a reused inode, the same size and times). The
  // project was just generated, so wait until its files have settled, then warm the cache.
  stork::engine::SnapshotCache cache;
  std::this_thread::sleep_for(stork::engine::SnapshotCache::kSettled +
                              std::chrono::milliseconds(100));
  (void)cache.read(store);  // the server's first pass
  auto item = store.load(id);
  if (!item.ok()) throw std::runtime_error("the bench item does not load");
  bool blocked = item->blocked();  // each write flips it, so each one changes the file
  std::size_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    blocked = !blocked;
    const bool written = toggle_blocked(store, id, blocked);
    state.ResumeTiming();
    auto read = named ? cache.read_changed(store, names) : cache.read(store);
    items = read.items.size();
    benchmark::DoNotOptimize(read);
    if (!written || read.parsed != 1) {
      state.SkipWithError("the write failed, or the read did not parse exactly the written file");
      break;
    }
  }
  state.counters["items_copied"] = static_cast<double>(items);
}

void BM_ParseOneItem(benchmark::State& state) {
  const auto& root = stork::bench::Projects::shared().get(state.range(0));
  StageStore store(root);
  const auto entry = first_backlog_item(store);
  for (auto _ : state) {
    auto loaded = store.load_entry(entry);
    benchmark::DoNotOptimize(loaded);
    if (!loaded.ok()) {
      state.SkipWithError("the item did not load");
      break;
    }
  }
}

}  // namespace

BENCHMARK(BM_ParseOneItem)
    ->Arg(100)
    ->Arg(2000)
    ->Arg(10000)
    ->ArgNames({"items"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReconcileRead)
    ->ArgsProduct({{0, 1}, {100, 2000, 10000}})
    ->ArgNames({"named", "items"})
    ->Unit(benchmark::kMicrosecond);
