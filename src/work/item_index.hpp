// ItemIndex: where each item file of one project is (number -> id, stage, path), kept while a
// server runs so that a write to one item does not list the whole work directory to find it
// (StageStore::locate used to scan every stage directory and lstat every file: O(items) per
// lookup, several lookups per write). The index is a hint, never the truth: StageStore checks
// what it answers against the disk (one lstat per stage directory for the item's file name) and
// falls back to a full scan whenever the disk disagrees, so a file moved, renamed, removed or
// replaced by a symlink by hand is answered exactly as a scan would answer it.
//
// It is filled by every full scan (the first lookup, any miss, and every load_all: the
// reconciler's and the watcher's re-reads) and kept current by the store's own writes (create,
// move). What it cannot see before the next scan: a second file with the same number but
// another slug made by hand; a lookup by that number answers the indexed file until the
// watcher's re-read (one debounce after the change) rescans and makes it Ambiguous.
//
// One index per project root, shared by every StageStore of that root in the process: the
// server attaches one (PipelineContext) and every StageStore built from the same root path
// (the operations layer, the tools, the agent pool) finds it. Processes that attach none (the
// CLI) scan as before. Thread-safe: lookups come from the workers and the pipeline's strand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork {

class ItemIndex {
 public:
  struct Location {
    StoryId id;
    Stage stage = Stage::Backlog;
    std::filesystem::path path;
  };

  // The index of `project_root` (made if none is attached): StageStores of that root use it
  // while the returned pointer (or another holder's) lives.
  static std::shared_ptr<ItemIndex> attach(const std::filesystem::path& project_root);
  // The attached index of `project_root`, or null.
  static std::shared_ptr<ItemIndex> find(const std::filesystem::path& project_root);

  // Whether a full scan has filled the index yet, and how many have (tests and benchmarks
  // check with it that a lookup did not list the work directory).
  bool filled() const;
  std::uint64_t scans() const;
  // Replaces everything with what a full scan found (valid item files only).
  void replace(const std::vector<Location>& locations);
  // The indexed files with this number (more than one when a scan found it used twice).
  std::vector<Location> with_number(long number) const;
  // A write of this process put the item's file here (created or moved).
  void put(const Location& location);

  // The file names ("42_story_login.md") this process created, moved or rewrote since the
  // last take: the reconciler re-reads just these after a write instead of the whole work
  // directory (engine/snapshot_cache.hpp). One taker: the pipeline's reconciler.
  void note_written(std::string file_name);
  std::set<std::string> take_written();

 private:
  mutable std::mutex mutex_;
  bool filled_ = false;
  std::uint64_t scans_ = 0;
  std::multimap<long, Location> by_number_;
  std::set<std::string> written_;
};

}  // namespace stork
