// Cost of one work-item file: parse (yaml-cpp), the reads `stork story list` makes, criteria,
// and an edit followed by text() (what every StageStore::save does).
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "bench_items.hpp"
#include "work/acceptance_criteria.hpp"
#include "work/item_document.hpp"

namespace {

using stork::ItemDocument;

const std::string& typical_item() {
  static const std::string text = stork::bench::item_text(4242);  // ~1.5 KB, 3 depends_on
  return text;
}

ItemDocument parse_or_die(const std::string& text) {
  auto doc = ItemDocument::parse(text);
  if (!doc) throw std::runtime_error(doc.error().message);
  return std::move(*doc);
}

void BM_Parse(benchmark::State& state) {
  const std::string& text = typical_item();
  for (auto _ : state) {
    auto doc = ItemDocument::parse(text);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["file_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_Parse);

// The reads of one `story list --json` row (see ops/item_view.cpp view_of).
void read_summary(const ItemDocument& doc) {
  for (const char* key : {"name", "agent", "qa", "blocked_reason", "merge_failure"})
    benchmark::DoNotOptimize(doc.get_string(key));
  for (const char* key : {"manual_qa", "blocked", "review_hold"})
    benchmark::DoNotOptimize(doc.get_bool(key));
  benchmark::DoNotOptimize(doc.get_int("retry_count"));
  benchmark::DoNotOptimize(doc.get_string_list("depends_on"));
  benchmark::DoNotOptimize(stork::parse_criteria(doc.body()));
}

void BM_ReadSummary(benchmark::State& state) {
  const ItemDocument doc = parse_or_die(typical_item());
  for (auto _ : state)
    read_summary(doc);
}
BENCHMARK(BM_ReadSummary);

void BM_ParseAndReadSummary(benchmark::State& state) {
  const std::string& text = typical_item();
  for (auto _ : state) {
    const ItemDocument doc = parse_or_die(text);
    read_summary(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseAndReadSummary);

void BM_ParseCriteria(benchmark::State& state) {
  const ItemDocument doc = parse_or_die(typical_item());
  for (auto _ : state)
    benchmark::DoNotOptimize(stork::parse_criteria(doc.body()));
}
BENCHMARK(BM_ParseCriteria);

void BM_TextUnedited(benchmark::State& state) {
  const ItemDocument doc = parse_or_die(typical_item());
  for (auto _ : state)
    benchmark::DoNotOptimize(doc.text());
}
BENCHMARK(BM_TextUnedited);

// One field edit (rewrites the entry's lines, re-parses the front matter) and the new text.
void BM_SetIntAndText(benchmark::State& state) {
  ItemDocument doc = parse_or_die(typical_item());
  long long retry = 0;
  for (auto _ : state) {
    doc.set_int("retry_count", ++retry % 5);
    benchmark::DoNotOptimize(doc.text());
  }
}
BENCHMARK(BM_SetIntAndText);

void BM_SetStringAndText(benchmark::State& state) {
  ItemDocument doc = parse_or_die(typical_item());
  long long n = 0;
  for (auto _ : state) {
    doc.set_string("blocked_reason", "waiting on review #" + std::to_string(++n % 7));
    benchmark::DoNotOptimize(doc.text());
  }
}
BENCHMARK(BM_SetStringAndText);

// What a CLI edit does end to end: parse the file, change one field, serialise.
void BM_ParseEditText(benchmark::State& state) {
  const std::string& text = typical_item();
  for (auto _ : state) {
    ItemDocument doc = parse_or_die(text);
    doc.set_bool("blocked", true);
    benchmark::DoNotOptimize(doc.text());
  }
}
BENCHMARK(BM_ParseEditText);

}  // namespace
