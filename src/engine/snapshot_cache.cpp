#include "engine/snapshot_cache.hpp"

#include <optional>

#include <sys/stat.h>

namespace stork::engine {
namespace {

// The file's stamp (not followed), or nothing if it cannot be had: then it is parsed again.
std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return std::nullopt;
  constexpr std::int64_t kBillion = 1'000'000'000;
  return FileStamp{
      static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
      static_cast<std::int64_t>(info.st_size),
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * kBillion + info.st_mtim.tv_nsec,
      static_cast<std::int64_t>(info.st_ctim.tv_sec) * kBillion + info.st_ctim.tv_nsec};
}

}  // namespace

pipeline::ItemSnapshot snapshot_of(const WorkItem& item) {
  pipeline::ItemSnapshot snapshot;
  snapshot.id = item.id;
  snapshot.stage = item.stage;
  snapshot.blocked = item.blocked();
  snapshot.review_hold = item.review_hold();
  snapshot.merge_failure = item.merge_failure().has_value();
  snapshot.depends_on = item.depends_on();
  snapshot.preferred_agent = item.agent();
  return snapshot;
}

SnapshotCache::Read SnapshotCache::read(const StageStore& store) {
  const auto settled_before = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  (std::chrono::system_clock::now() - settled_).time_since_epoch())
                                  .count();
  auto scan = store.scan();
  Read read;
  for (const auto& problem : scan.problems)
    read.unreadable.insert(problem.path.stem().string());
  std::map<std::filesystem::path, Cached> kept;
  read.items.reserve(scan.entries.size());
  for (const auto& entry : scan.entries) {
    auto known = cached_.find(entry.path);
    const auto stamp = stamp_of(entry.path);
    const bool settled = stamp && stamp->ctime_ns < settled_before;
    if (known != cached_.end() && settled && known->second.stamp == *stamp) {
      read.items.push_back(known->second.snapshot);
      kept.emplace(entry.path, std::move(known->second));
      continue;
    }
    auto loaded = store.load_entry(entry);
    ++read.parsed;
    if (!loaded.ok()) {
      read.unreadable.insert(entry.path.stem().string());
      continue;
    }
    read.items.push_back(snapshot_of(loaded.value()));
    // Stamped before the read: a change made meanwhile has a newer stamp, parsed next time.
    if (stamp) kept.emplace(entry.path, Cached{*stamp, read.items.back()});
  }
  cached_ = std::move(kept);
  return read;
}

}  // namespace stork::engine
