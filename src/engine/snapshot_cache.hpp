// SnapshotCache: the reconciler's view of every item (pipeline::ItemSnapshot), kept as a mirror
// of the work directory's item files so that a reconcile after one write does not re-read the
// backlog. Two ways to bring it up to date:
// - read(): a full pass. Lists every stage directory and lstats each file; parses only the
//   files whose stamp changed since they were parsed. Used first, whenever the watcher cannot
//   say what changed (its queue overflowed, a stage directory moved), and on every pass when no
//   watcher runs. 10,000 items cost about 10 ms of listing and lstat even with nothing parsed.
// - read_changed(names): only the named files, in every stage (one lstat per stage and name,
//   StageStore::scan_names), each parsed again. The names come from this process's own writes
//   (ItemIndex::take_written, noted before the write's operation asks for a reconcile) and from
//   the work watcher's bursts (everything another process or a person changed); between them
//   every change to the directory is named, so the mirror stays what a full pass would find.
//
// A file counts as unchanged in a full pass when its FileStamp (device, inode, size, mtime,
// ctime) is the one it had when parsed, and that ctime is older than kSettled before the scan:
// an edit made in place within the same clock tick, with the same size, cannot hide behind an
// equal stamp (git's "racily clean" rule). Used by one reconcile at a time, on the workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
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
    // The open items (1_backlog to 4_merge) and the finished ones (5_done, 6_archived) that an
    // open item depends on, in the scan's order (by number, then stage). The other finished
    // items, most of a large project, are not copied into every pass: find() has them.
    std::vector<pipeline::ItemSnapshot> items;
    std::set<std::string> unreadable;  // ids (file stems) that exist but do not load
    std::size_t parsed = 0;            // files parsed by this read (the rest cached)
  };
  Read read(const StageStore& store);
  // Brings only these file names ("42_story_login.md") up to date; a full read() if the cache
  // has never had one.
  Read read_changed(const StageStore& store, const std::set<std::string>& file_names);
  bool primed() const { return primed_; }
  // Any item, finished ones included, as of the last read; valid until the next read.
  const pipeline::ItemSnapshot* find(const StoryId& id) const;

 private:
  // The scan's order: by number, then stage; the name tells apart two files of one number.
  struct Key {
    long number = 0;
    Stage stage = Stage::Backlog;
    std::string name;
    // Spelled out: clang-tidy 14 misreads a defaulted operator<=> (modernize-use-nullptr).
    friend bool operator<(const Key& a, const Key& b) {
      return std::tie(a.number, a.stage, a.name) < std::tie(b.number, b.stage, b.name);
    }
  };
  struct Cached {
    std::filesystem::path path;
    std::optional<FileStamp> stamp;                  // none: parse it again on the next pass
    std::optional<pipeline::ItemSnapshot> snapshot;  // none: the file does not load
  };

  // Parses the entry (or keeps `known`, when its stamp says it has not changed).
  Cached load(const StageStore& store, const StageStore::Entry& entry, const Cached* known,
              std::int64_t settled_before, std::size_t& parsed) const;
  using Entries = std::map<Key, Cached>;
  // The Read that a full scan would give, from the mirror and its two indexes.
  Read answer(std::size_t parsed) const;
  // Rebuilds the indexes' keys for [first, last), a run of whole numbers whose keys the
  // indexes no longer hold.
  void index(Entries::const_iterator first, Entries::const_iterator last);
  // Drops and rebuilds the indexes' keys of one number, after its files changed.
  void reindex(long number);

  std::chrono::nanoseconds settled_;
  bool primed_ = false;
  Entries entries_;                                        // every valid item file name
  std::map<std::filesystem::path, std::string> problems_;  // other .md files: path -> stem
  // Kept in step with entries_, so that a pass walks only what it answers with, never every
  // finished item: the loaded files in 1_backlog to 4_merge, and the files that are problems
  // (they do not load, or are the later file of a number used twice) with their stems.
  std::map<Key, const Cached*> open_;
  std::map<Key, std::string> unreadable_;
};

}  // namespace stork::engine
