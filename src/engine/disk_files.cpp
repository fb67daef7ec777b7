// DiskChanges::scan_files: the re-read after a burst whose files the watcher named. Only those
// items are read and diffed against what was announced, so the cost of one write (ours, a
// CLI's, an editor's) does not grow with the backlog. It announces what a full re-read would:
// a file that is there but does not load (half-written, replaced by a symlink) keeps what was
// known, and a number found twice sends the burst to the full re-read, which sees it as such.
#include <filesystem>
#include <optional>
#include <vector>

#include "engine/disk_changes.hpp"
#include "engine/pipeline_context.hpp"
#include "work/item_index.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

// What one named file says now.
struct FileState {
  std::string story;
  std::optional<IndexedItem> item;  // empty: no such item any more (unless `keep`)
  bool keep = false;                // an entry is there but does not load: keep what we knew
};

// Whether any stage directory has an entry of this name, of any kind (lstat, not followed).
bool any_entry_named(const StageStore& store, const std::string& name) {
  for (Stage stage : kAllStages) {
    std::error_code error;
    const auto status = std::filesystem::symlink_status(store.stage_dir(stage) / name, error);
    if (!error && status.type() != std::filesystem::file_type::not_found) return true;
  }
  return false;
}

// Empty when a number is used twice, or the burst is too big for single reads to pay: only a
// full re-read answers those.
std::optional<std::vector<FileState>> read_files(const StageStore& store,
                                                 const std::set<std::string>& files) {
  // More than the events a burst may send: it becomes one work_reloaded anyway (a git pull),
  // and one full read costs less than a lookup per file.
  if (files.size() > DiskChanges::kMaxChangeEvents) return std::nullopt;
  // Files the index does not know (new ones) would each cost the lookup a scan: one for all.
  auto index = ItemIndex::find(store.project_root());
  bool unknown = index == nullptr;
  for (const auto& name : files) {
    auto id = parse_story_id(std::filesystem::path(name).stem().string());
    if (id.ok() && index && index->with_number(id.value().number).empty()) unknown = true;
  }
  if (unknown) (void)store.scan();
  std::vector<FileState> states;
  for (const auto& name : files) {
    auto id = parse_story_id(std::filesystem::path(name).stem().string());
    if (!id.ok()) continue;  // not an item's name: a full scan would not list it either
    FileState state{id.value().str(), std::nullopt, false};
    auto item = store.load(state.story);
    if (item.ok()) {
      state.item = index_item(item.value());
    } else if (item.error().kind == WorkErrorKind::Ambiguous) {
      return std::nullopt;
    } else {
      state.keep = item.error().kind != WorkErrorKind::NotFound || any_entry_named(store, name);
    }
    states.push_back(std::move(state));
  }
  return states;
}

}  // namespace

asio::awaitable<void> DiskChanges::scan_files(const std::set<std::string>& files) {
  touched_.clear();
  auto read = [this, files] { return read_files(context_.store, files); };
  auto states = co_await context_.blocking(read);
  if (!started_ || context_.stopping) co_return;
  if (!states) {
    co_await scan_once();
    co_return;
  }
  // As in scan_once: what the pipeline announced, or is writing, while we read is known.
  touched_.insert(context_.writes_in_flight.begin(), context_.writes_in_flight.end());
  WorkIndex before;
  WorkIndex after;
  for (auto& state : *states) {
    if (touched_.contains(state.story)) continue;
    auto known = index_.find(state.story);
    if (known != index_.end()) before.emplace(known->first, known->second);
    if (state.keep) {
      if (known != index_.end()) after.emplace(known->first, known->second);
    } else if (state.item) {
      after.emplace(state.story, std::move(*state.item));
    }
  }
  auto changes = diff_index(before, after);
  for (const auto& [story, item] : before) {
    if (!after.contains(story)) index_.erase(story);
  }
  for (auto& [story, item] : after)
    index_.insert_or_assign(story, std::move(item));
  emit_changes(std::move(changes));
}

}  // namespace stork::engine
