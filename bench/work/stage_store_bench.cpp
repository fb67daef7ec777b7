// StageStore over N generated items (N = 100, 1000, 10000) in a temporary project:
// scan() (directory listing and id parsing only) and load_all() (read + parse every file),
// the core of `stork story list`.
#include <benchmark/benchmark.h>

#include "bench_projects.hpp"
#include "work/stage_store.hpp"

namespace {

stork::bench::Projects& projects() {
  return stork::bench::Projects::shared();
}

void BM_Scan(benchmark::State& state) {
  const stork::StageStore store(projects().get(state.range(0)));
  for (auto _ : state) {
    auto scan = store.scan();
    if (static_cast<long>(scan.entries.size()) != state.range(0)) state.SkipWithError("lost items");
    benchmark::DoNotOptimize(scan);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Scan)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_LoadAll(benchmark::State& state) {
  const stork::StageStore store(projects().get(state.range(0)));
  for (auto _ : state) {
    auto listing = store.load_all();
    if (static_cast<long>(listing.items.size()) != state.range(0) || !listing.problems.empty())
      state.SkipWithError("items missing or unreadable");
    benchmark::DoNotOptimize(listing);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadAll)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
