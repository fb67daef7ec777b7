// Realistic work-item files for the benchmarks: front matter as storkit and stork write it
// (name, agent, qa, retry_count, depends_on, sometimes blocked / review_hold / merge_failure)
// and a body with a user story, 3-8 acceptance criteria and notes; about 1-2 KB each.
// Deterministic: item N always has the same bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "work/stage.hpp"

namespace stork::bench {

inline uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

inline constexpr std::array<std::string_view, 16> kWords = {
    "login",  "export", "search",   "billing", "profile", "session", "webhook", "import",
    "report", "invite", "calendar", "upload",  "filter",  "archive", "audit",   "settings"};

inline constexpr std::array<std::string_view, 4> kTypes = {"story", "bug", "spike", "refactor"};

inline std::string slug_for(long n) {
  const uint64_t h = mix(static_cast<uint64_t>(n));
  return std::string(kWords[h % kWords.size()]) + "_" +
         std::string(kWords[(h >> 8) % kWords.size()]) + "_" + std::to_string(n % 97);
}

inline std::string_view type_for(long n) {
  const uint64_t h = mix(static_cast<uint64_t>(n) + 7);
  return kTypes[(h % 10) < 7 ? 0 : (h % 10) < 9 ? 1 : (h % 10) == 9 ? 2 : 3];
}

inline std::string id_for(long n) {
  return std::to_string(n) + "_" + std::string(type_for(n)) + "_" + slug_for(n);
}

// The file text of item `n`.
inline std::string item_text(long n) {
  const uint64_t h = mix(static_cast<uint64_t>(n) * 31 + 1);
  const std::string title = std::string(kWords[h % kWords.size()]) + " " +
                            std::string(kWords[(h >> 4) % kWords.size()]) + " improvements " +
                            std::to_string(n);
  std::string text = "---\n";
  text += "name: \"" + title + "\"\n";
  text += "agent: coder-" + std::to_string(1 + h % 3) + "\n";
  if (h % 4 == 0) text += "qa: human\n";
  text += "retry_count: " + std::to_string((h >> 12) % 3) + "\n";
  const long deps = n > 4 ? static_cast<long>((h >> 16) % 4) : 0;
  if (deps > 0) {
    text += "depends_on:\n";
    for (long d = 1; d <= deps; ++d)
      text += "  - " + id_for(std::max(1L, n - d * 3)) + "\n";
  }
  if ((h >> 20) % 10 == 0) text += "blocked: true\nblocked_reason: \"waiting on the API team\"\n";
  if ((h >> 24) % 12 == 0) text += "review_hold: true\n";
  if ((h >> 28) % 15 == 0) {
    text +=
        "merge_failure: |\n  CONFLICT (content): Merge conflict in src/app.cpp\n"
        "  Automatic merge failed; fix conflicts and then commit the result.\n";
  }
  text += "---\n";
  text += "# Story " + std::to_string(n) + ": " + title + "\n\n";
  text += "## User Story\n\nAs a project member I want the " + title +
          " so that the team can ship the quarterly release without manual steps. The current "
          "behaviour forces people to copy data between two screens and re-check it by hand, "
          "which is slow and error prone.\n\n";
  text += "## Acceptance Criteria\n\n";
  const long criteria = 3 + static_cast<long>((h >> 32) % 6);
  for (long c = 0; c < criteria; ++c) {
    text += std::string("- [") + (((h >> (36 + c)) & 1) != 0 ? "x" : " ") + "] The " +
            std::string(kWords[(h >> (c * 4)) % kWords.size()]) +
            " view shows the expected result for case " + std::to_string(c + 1) +
            " and keeps working after a reload\n";
  }
  text += "\n## Out of Scope\n\n- Mobile layouts\n- Bulk operations over more than 1000 rows\n\n";
  text +=
      "## Notes\n\nSee the design discussion in the team channel. Keep the public API "
      "unchanged; add tests next to the existing ones.\n";
  return text;
}

inline Stage stage_for(long n, long total) {
  // Most items are done or archived, a few are in flight (like a real project).
  const long pct = (n * 100) / std::max(1L, total);
  if (pct < 35) return Stage::Archived;
  if (pct < 80) return Stage::Done;
  const uint64_t h = mix(static_cast<uint64_t>(n) + 3) % 10;
  return h < 6 ? Stage::Backlog : h < 8 ? Stage::Current : h < 9 ? Stage::Qa : Stage::Merge;
}

// Writes items 1..count under root/.storkit/work/<stage>/.
inline void write_project(const std::filesystem::path& root, long count) {
  for (Stage stage : kAllStages)
    std::filesystem::create_directories(root / ".storkit" / "work" / stage_dir_name(stage));
  for (long n = 1; n <= count; ++n) {
    const auto path =
        root / ".storkit" / "work" / stage_dir_name(stage_for(n, count)) / (id_for(n) + ".md");
    std::ofstream out(path, std::ios::binary);
    out << item_text(n);
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
}

}  // namespace stork::bench
