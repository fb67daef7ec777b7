// LineSplitter on agent-like output: stream-json lines of a few hundred bytes with some
// non-ASCII text, fed in the 64 KiB chunks ChildProcess reads. Reports lines per second; the
// server's target is 100k lines/s end to end, so the splitter must be far above that.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "proc/line_splitter.hpp"

namespace {

std::string agent_output(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    text += R"({"type":"assistant","message":{"id":"msg_)" + std::to_string(i) +
            R"(","content":[{"type":"text","text":"Reading src/main.cpp — the café ✓ test )"
            R"(passes; next: run the gate script and commit the change with a message."}]},)"
            R"("session_id":"3f2c9a7e-1b5d-4c8e-9f0a-6d2e8b7c1a4f"})"
            "\n";
  }
  return text;
}

void BM_SplitAgentOutput(benchmark::State& state) {
  const std::string text = agent_output(10000);
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> lines;
  std::size_t total_lines = 0;
  for (auto _ : state) {
    stork::proc::LineSplitter splitter;
    for (std::size_t offset = 0; offset < text.size(); offset += chunk) {
      splitter.feed(std::string_view(text).substr(offset, chunk), lines);
      total_lines += lines.size();
      lines.clear();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(total_lines), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SplitAgentOutput)->Arg(64 * 1024)->Arg(4096)->Arg(100);

}  // namespace
