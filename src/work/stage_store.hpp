// StageStore: the work items of one project, as files under .storkit/work/<stage>/. It is the
// only code that writes those files. Creation allocates N = max over all stages + 1 under an
// exclusive lock on the work directory; moves are single renames that refuse to overwrite, so
// a file is always in exactly one place, even across a crash; rewrites are atomic
// (temp file + rename). It does not talk to git (see git/work_commits.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"
#include "work/work_error.hpp"
#include "work/work_item.hpp"

namespace stork {

template <class T>
using WorkResult = Result<T, WorkError>;

class StageStore {
 public:
  // `project_root` is the directory that contains `.storkit/`.
  explicit StageStore(std::filesystem::path project_root);

  const std::filesystem::path& project_root() const { return root_; }
  // Item files over this size are problems, never loaded (project.toml [limits]).
  void set_max_item_bytes(std::uint64_t bytes) { max_item_bytes_ = bytes; }
  std::filesystem::path work_dir() const;
  std::filesystem::path stage_dir(Stage stage) const;

  // An item file found by name alone (no parsing): cheap enough for every lookup.
  struct Entry {
    StoryId id;
    Stage stage = Stage::Backlog;
    std::filesystem::path path;
  };
  struct Scan {
    std::vector<Entry> entries;       // sorted by number, then stage
    std::vector<WorkError> problems;  // unusable file names, ids found twice
  };
  Scan scan() const;
  // What scan() would find of these file names ("42_story_login.md"), in every stage, without
  // listing the directories: one lstat per stage and name. No "used twice" problems (the
  // caller sees only part of the work directory) and the ItemIndex is left as it is.
  Scan scan_names(const std::set<std::string>& file_names) const;

  // `id` is a full id ("42_story_login") or just its number ("42").
  WorkResult<Entry> locate(std::string_view id) const;
  WorkResult<WorkItem> load(std::string_view id) const;
  WorkResult<WorkItem> load_entry(const Entry& entry) const;

  struct Listing {
    std::vector<WorkItem> items;
    std::vector<WorkError> problems;  // files that could not be read or parsed are skipped here
  };
  // Reads and parses every item file on the calling thread (it starts none of its own): a
  // caller on an io thread or a strand runs it on the workers (stork::offload).
  Listing load_all(std::optional<Stage> only = std::nullopt) const;

  // Writes a new item into 1_backlog. Dependencies are resolved to full ids and must exist.
  WorkResult<WorkItem> create(NewItem item);

  struct Move {
    StoryId id;
    Stage from = Stage::Backlog;
    Stage to = Stage::Backlog;
    std::filesystem::path path;  // where the file is now
    bool changed() const { return from != to; }
  };
  // Moving to the stage the item is already in succeeds and changes nothing.
  WorkResult<Move> move(std::string_view id, Stage to);

  // Rewrites the item's file with its document's text; fails if the file has been moved away.
  // Only for a caller that owns the whole text (a new item, a test): an edit of an existing
  // item goes through update(), or it may revert what another writer saved meanwhile.
  WorkResult<void> save(const WorkItem& item);

  // The one read-modify-write of an item, for the server and the CLI alike: the work
  // directory's lock (flock, so across processes) is held from the read through `edit` to the
  // rename, so no other writer's change made in between is lost. A failed `edit` writes
  // nothing and comes back as it is; an edit that changes nothing writes nothing.
  using Edit = std::function<WorkResult<void>(WorkItem&)>;
  WorkResult<WorkItem> update(std::string_view id, const Edit& edit);

 private:
  void classify(Stage stage, const std::filesystem::path& path, Scan& into) const;
  // Tells the attached ItemIndex (if any) that this process rewrote, created or moved a file.
  void note_written(const std::filesystem::path& path) const;

  std::filesystem::path root_;
  std::uint64_t max_item_bytes_ = std::uint64_t{1}
                                  << 20;  // kDefaultMaxItemBytes (work/item_file.hpp)
};

}  // namespace stork
