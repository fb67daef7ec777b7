// StageStore over N generated items (N = 100, 1000, 10000) in a temporary project:
// scan() (directory listing and id parsing only) and load_all() (read + parse every file),
// the core of `stork story list`.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "bench_items.hpp"
#include "work/stage_store.hpp"

namespace {

namespace fs = std::filesystem;

// One generated project per size, created on first use and removed at exit.
class Projects {
 public:
  ~Projects() {
    std::error_code ignored;
    if (!base_.empty()) fs::remove_all(base_, ignored);
  }
  const fs::path& get(long count) {
    auto it = roots_.find(count);
    if (it != roots_.end()) return it->second;
    if (base_.empty()) {
      std::string pattern = (fs::temp_directory_path() / "stork-bench-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      base_ = pattern;
    }
    fs::path root = base_ / std::to_string(count);
    stork::bench::write_project(root, count);
    return roots_.emplace(count, root).first->second;
  }

 private:
  fs::path base_;
  std::map<long, fs::path> roots_;
};

Projects& projects() {
  static Projects instance;
  return instance;
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
