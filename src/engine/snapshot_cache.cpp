#include "engine/snapshot_cache.hpp"

#include <algorithm>
#include <charconv>

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

bool finished(Stage stage) {
  return stage == Stage::Done || stage == Stage::Archived;
}

std::int64_t settled_before(std::chrono::nanoseconds settled) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             (std::chrono::system_clock::now() - settled).time_since_epoch())
      .count();
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

SnapshotCache::Cached SnapshotCache::load(const StageStore& store, const StageStore::Entry& entry,
                                          const Cached* known, std::int64_t settled_before,
                                          std::size_t& parsed) const {
  auto stamp = stamp_of(entry.path);
  const bool settled = stamp && stamp->ctime_ns < settled_before;
  if (known != nullptr && settled && known->stamp == stamp) return *known;
  ++parsed;
  auto loaded = store.load_entry(entry);
  // Stamped before the parse: a change made meanwhile has a newer stamp, parsed next time.
  // Not yet settled: no stamp, so the next full pass parses it again.
  Cached cached{entry.path, settled ? stamp : std::nullopt, std::nullopt};
  if (loaded.ok()) cached.snapshot = snapshot_of(loaded.value());
  return cached;
}

SnapshotCache::Read SnapshotCache::read(const StageStore& store) {
  const auto before = settled_before(settled_);
  auto scan = store.scan();
  std::size_t parsed = 0;
  std::map<Key, Cached> entries;
  for (const auto& entry : scan.entries) {
    Key key{entry.id.number, entry.stage, entry.path.filename().string()};
    auto known = entries_.find(key);
    entries.emplace(
        std::move(key),
        load(store, entry, known == entries_.end() ? nullptr : &known->second, before, parsed));
  }
  std::map<std::filesystem::path, std::string> problems;
  for (const auto& problem : scan.problems) {
    // "Used twice" names an entry; answer() finds those again from the entries.
    if (problem.kind != WorkErrorKind::Ambiguous)
      problems.emplace(problem.path, problem.path.stem().string());
  }
  entries_ = std::move(entries);
  problems_ = std::move(problems);
  open_.clear();
  unreadable_.clear();
  index(entries_.begin(), entries_.end());
  primed_ = true;
  return answer(parsed);
}

SnapshotCache::Read SnapshotCache::read_changed(const StageStore& store,
                                                const std::set<std::string>& file_names) {
  if (!primed_) return read(store);
  const auto before = settled_before(settled_);
  std::set<long> numbers;  // whose files changed: their index keys are rebuilt
  for (const auto& name : file_names) {
    const auto stem = std::filesystem::path(name).stem().string();
    auto id = parse_story_id(stem);
    if (id) numbers.insert(id->number);
    for (Stage stage : kAllStages) {
      if (id) entries_.erase(Key{id->number, stage, name});
      problems_.erase(store.stage_dir(stage) / name);
    }
  }
  std::size_t parsed = 0;
  auto scan = store.scan_names(file_names);
  for (const auto& entry : scan.entries) {
    Key key{entry.id.number, entry.stage, entry.path.filename().string()};
    entries_.emplace(std::move(key), load(store, entry, nullptr, before, parsed));
  }
  for (const auto& problem : scan.problems)
    problems_.emplace(problem.path, problem.path.stem().string());
  for (long number : numbers)
    reindex(number);
  return answer(parsed);
}

void SnapshotCache::index(Entries::const_iterator first, Entries::const_iterator last) {
  const Key* previous = nullptr;
  for (auto it = first; it != last; ++it) {
    const auto& [key, cached] = *it;
    // As StageStore::scan: the later file of a number used twice is a problem.
    const bool twice = previous != nullptr && previous->number == key.number;
    previous = &key;
    if (twice || !cached.snapshot) unreadable_.emplace(key, cached.path.stem().string());
    if (cached.snapshot && !finished(key.stage)) open_.emplace(key, &cached);
  }
}

void SnapshotCache::reindex(long number) {
  const Key from{number, Stage::Backlog, {}};
  const Key to{number + 1, Stage::Backlog, {}};
  open_.erase(open_.lower_bound(from), open_.lower_bound(to));
  unreadable_.erase(unreadable_.lower_bound(from), unreadable_.lower_bound(to));
  index(entries_.lower_bound(from), entries_.lower_bound(to));
}

SnapshotCache::Read SnapshotCache::answer(std::size_t parsed) const {
  Read read;
  read.parsed = parsed;
  read.items.reserve(open_.size());
  for (const auto& [key, cached] : open_)
    read.items.push_back(*cached->snapshot);
  for (const auto& [key, stem] : unreadable_)
    read.unreadable.insert(stem);
  // The finished items an open item depends on, so its dependency check sees them: every file
  // of the number each entry starts with (a superset; the check itself matches exactly).
  std::set<const Cached*> named;
  for (const auto& item : read.items) {
    for (const auto& dependency : item.depends_on) {
      const auto text =
          dependency.substr(std::min(dependency.find_first_not_of(" \t"), dependency.size()));
      long number = 0;
      if (std::from_chars(text.data(), text.data() + text.size(), number).ec != std::errc())
        continue;
      for (auto it = entries_.lower_bound(Key{number, Stage::Backlog, {}});
           it != entries_.end() && it->first.number == number; ++it) {
        if (finished(it->first.stage) && it->second.snapshot) named.insert(&it->second);
      }
    }
  }
  for (const auto* cached : named)
    read.items.push_back(*cached->snapshot);
  if (!named.empty()) {
    std::stable_sort(read.items.begin(), read.items.end(), [](const auto& a, const auto& b) {
      return a.id.number != b.id.number ? a.id.number < b.id.number : a.stage < b.stage;
    });
  }
  for (const auto& [path, stem] : problems_)
    read.unreadable.insert(stem);
  return read;
}

const pipeline::ItemSnapshot* SnapshotCache::find(const StoryId& id) const {
  for (auto it = entries_.lower_bound(Key{id.number, Stage::Backlog, {}});
       it != entries_.end() && it->first.number == id.number; ++it) {
    if (it->second.snapshot && it->second.snapshot->id == id) return &*it->second.snapshot;
  }
  return nullptr;
}

}  // namespace stork::engine
