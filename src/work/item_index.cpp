#include "work/item_index.hpp"

#include <string>
#include <utility>

namespace stork {
namespace {

// The attached indexes, by the root path as the server spells it (lexically normal, so
// "/p/" and "/p" agree). Weak: an index lives as long as the server part that attached it.
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<ItemIndex>> indexes;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string key_of(const std::filesystem::path& root) {
  auto normal = root.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/')
    normal.pop_back();
  return normal;
}

}  // namespace

std::shared_ptr<ItemIndex> ItemIndex::attach(const std::filesystem::path& project_root) {
  auto& known = registry();
  std::lock_guard lock(known.mutex);
  auto& slot = known.indexes[key_of(project_root)];
  if (auto existing = slot.lock()) return existing;
  auto made = std::make_shared<ItemIndex>();
  slot = made;
  return made;
}

std::shared_ptr<ItemIndex> ItemIndex::find(const std::filesystem::path& project_root) {
  auto& known = registry();
  std::lock_guard lock(known.mutex);
  if (known.indexes.empty()) return nullptr;  // the CLI: nothing attached, nothing to build
  auto found = known.indexes.find(key_of(project_root));
  if (found == known.indexes.end()) return nullptr;
  auto index = found->second.lock();
  if (!index) known.indexes.erase(found);
  return index;
}

bool ItemIndex::filled() const {
  std::lock_guard lock(mutex_);
  return filled_;
}

std::uint64_t ItemIndex::scans() const {
  std::lock_guard lock(mutex_);
  return scans_;
}

void ItemIndex::replace(const std::vector<Location>& locations) {
  std::multimap<long, Location> fresh;
  for (const auto& location : locations)
    fresh.emplace(location.id.number, location);
  std::lock_guard lock(mutex_);
  by_number_ = std::move(fresh);
  filled_ = true;
  ++scans_;
}

std::vector<ItemIndex::Location> ItemIndex::with_number(long number) const {
  std::lock_guard lock(mutex_);
  std::vector<Location> found;
  auto [first, last] = by_number_.equal_range(number);
  for (auto it = first; it != last; ++it)
    found.push_back(it->second);
  return found;
}

void ItemIndex::put(const Location& location) {
  std::lock_guard lock(mutex_);
  auto [first, last] = by_number_.equal_range(location.id.number);
  for (auto it = first; it != last; ++it) {
    if (it->second.id == location.id) {
      it->second = location;
      return;
    }
  }
  by_number_.emplace(location.id.number, location);
}

void ItemIndex::note_written(std::string file_name) {
  std::lock_guard lock(mutex_);
  written_.insert(std::move(file_name));
}

std::set<std::string> ItemIndex::take_written() {
  std::lock_guard lock(mutex_);
  return std::exchange(written_, {});
}

}  // namespace stork
