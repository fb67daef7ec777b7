// One item write as the server makes it, over projects of N generated items (100, 2,000,
// 10,000), with and without the ItemIndex a running server attaches (work/item_index.hpp).
// Without it every lookup scans the work directory (the server before issue 22, and the CLI);
// with it a lookup is one lstat per stage directory. The file I/O is real (a temp project);
// git and the HTTP layer are not included (bench/item_writes.sh times the whole server).
//
//   BM_BlockPath/<indexed>/<N>: the StageStore calls of `POST /api/items/{id}/block` (and
//     unblock, alternately): resolve the id (ItemOps), load it (the pipeline's check), update
//     it under the lock (read, edit, atomic write), load it again twice (DiskChanges' refresh
//     on the event, the answer's view).
//   BM_MovePath/<indexed>/<N>: the StageStore calls of a move without a git commit
//     (current <-> qa, alternately): resolve, load, move (rename), load (the refresh).
//   BM_FileFloor/<N>: the floor, the file I/O a block needs whatever the code: read the item
//     file four times and write it once atomically (temp file, fsync, rename), no parsing.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "base/file_io.hpp"
#include "bench_projects.hpp"
#include "work/item_index.hpp"
#include "work/stage_store.hpp"

namespace {

using stork::ItemIndex;
using stork::Stage;
using stork::StageStore;

// The first item of the project in `stage`, by its full id.
std::string first_in(const StageStore& store, Stage stage) {
  for (const auto& entry : store.scan().entries) {
    if (entry.stage == stage) return entry.id.str();
  }
  throw std::runtime_error("no item in the wanted stage");
}

// Attaches an index for the benchmark's duration when `indexed`, filled as a server's first
// read fills it; detached (and gone) at the end of the benchmark.
std::shared_ptr<ItemIndex> maybe_index(const std::filesystem::path& root, bool indexed) {
  if (!indexed) return nullptr;
  auto index = ItemIndex::attach(root);
  (void)StageStore(root).scan();
  return index;
}

bool check(benchmark::State& state, bool ok) {
  if (!ok) state.SkipWithError("a write failed");
  return ok;
}

void BM_BlockPath(benchmark::State& state) {
  const auto& root = stork::bench::Projects::shared().get(state.range(1));
  auto index = maybe_index(root, state.range(0) != 0);
  StageStore store(root);
  const std::string id = first_in(store, Stage::Backlog);
  bool blocked = false;
  for (auto _ : state) {
    blocked = !blocked;
    const bool ok = StageStore(root).locate(id).ok() && store.load(id).ok() &&
                    store
                        .update(id,
                                [blocked](stork::WorkItem& item) -> stork::WorkResult<void> {
                                  item.set_blocked(blocked);
                                  return {};
                                })
                        .ok() &&
                    store.load(id).ok() && StageStore(root).load(id).ok();
    if (!check(state, ok)) break;
  }
}

void BM_MovePath(benchmark::State& state) {
  const auto& root = stork::bench::Projects::shared().get(state.range(1));
  auto index = maybe_index(root, state.range(0) != 0);
  StageStore store(root);
  const std::string id = first_in(store, Stage::Current);
  Stage to = Stage::Current;
  for (auto _ : state) {
    to = to == Stage::Current ? Stage::Qa : Stage::Current;
    const bool ok = StageStore(root).locate(id).ok() && store.load(id).ok() &&
                    store.move(id, to).ok() && store.load(id).ok();
    if (!check(state, ok)) break;
  }
}

void BM_FileFloor(benchmark::State& state) {
  const auto& root = stork::bench::Projects::shared().get(state.range(0));
  StageStore store(root);
  const auto path = store.stage_dir(Stage::Backlog) / (first_in(store, Stage::Backlog) + ".md");
  for (auto _ : state) {
    auto text = stork::read_file(path);
    bool ok = text.ok() && stork::read_file(path).ok();
    ok = ok && stork::write_file_atomic(path, *text).ok();
    ok = ok && stork::read_file(path).ok() && stork::read_file(path).ok();
    if (!check(state, ok)) break;
  }
}
BENCHMARK(BM_FileFloor)
    ->Arg(100)
    ->Arg(2000)
    ->Arg(10000)
    ->ArgNames({"items"})
    ->Unit(benchmark::kMillisecond);

void sizes(benchmark::internal::Benchmark* bench) {
  for (long indexed : {0, 1}) {
    for (long count : {100, 2000, 10000})
      bench->Args({indexed, count});
  }
  bench->ArgNames({"indexed", "items"})->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_BlockPath)->Apply(sizes);
BENCHMARK(BM_MovePath)->Apply(sizes);

}  // namespace
