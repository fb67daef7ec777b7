// translate_claude_line on the recorded Claude Code session (tests/fixtures/claude/
// write_commit.jsonl, its lines cycled): the per-line share of PoolStream's work that is
// parsing stream-json and building the events' payloads, without the pipe, SQLite or the
// subscribers. Reports lines per second (items_per_second).
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "agents/runtime/event_translation.hpp"

namespace {

std::vector<std::string> recorded_lines() {
  std::ifstream in(std::string(STORK_SOURCE_DIR) + "/tests/fixtures/claude/write_commit.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

void TranslateClaudeLine(benchmark::State& state) {
  const std::vector<std::string> lines = recorded_lines();
  if (lines.empty()) {
    state.SkipWithError("no recorded transcript");
    return;
  }
  std::vector<stork::agents::RuntimeEvent> events;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& line : lines) {
      stork::agents::translate_claude_line(line, events);
      bytes += line.size();
    }
    benchmark::DoNotOptimize(events.data());
    events.clear();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(TranslateClaudeLine);

}  // namespace
