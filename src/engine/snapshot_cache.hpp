// SnapshotCache: the reconciler's view of every item (pipeline::ItemSnapshot), read again on
// every reconcile but parsed again only for the files that changed since the last read. A
// reconcile follows every write (the operation's own request and the watcher's), so parsing
// all N files each time made the server's background cost of one write grow with the backlog
// (425 ms of parsing at 10,000 items). Now a read is the directory scan and one more lstat per
// file (its stamp) plus one parse per changed file.
//
// A file counts as unchanged when its FileStamp (device, inode, size, mtime, ctime) is the one
// it had when parsed, and that ctime is older than kSettled before the scan: an edit made in
// place within the same clock tick, with the same size, cannot hide behind an equal stamp
// (git's "racily clean" rule). Used by one reconcile at a time, on the workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/snapshot.hpp"
#include "work/stage_store.hpp"

namespace stork::engine {

pipeline::ItemSnapshot snapshot_of(const WorkItem& item);

// What lstat says of a file, to tell whether it changed since it was parsed: stork's writes
// are renames (a new inode), an edit in place moves ctime and usually the size.
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

class SnapshotCache {
 public:
  static constexpr std::chrono::seconds kSettled{2};
  // `settled`: how old a change must be before its stamp is trusted (tests use 0).
  explicit SnapshotCache(std::chrono::nanoseconds settled = kSettled) : settled_(settled) {}

  struct Read {
    std::vector<pipeline::ItemSnapshot> items;  // in the scan's order (by number, then stage)
    std::set<std::string> unreadable;           // ids (file stems) that exist but do not load
    std::size_t parsed = 0;                     // files parsed by this read (the rest cached)
  };
  Read read(const StageStore& store);

 private:
  struct Cached {
    FileStamp stamp;
    pipeline::ItemSnapshot snapshot;
  };
  std::chrono::nanoseconds settled_;
  std::map<std::filesystem::path, Cached> cached_;  // by the file's path (stage included)
};

}  // namespace stork::engine
