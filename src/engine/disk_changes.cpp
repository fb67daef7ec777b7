#include "engine/disk_changes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/array.hpp>

#include "engine/pipeline_context.hpp"

namespace stork::engine {
namespace asio = boost::asio;

asio::awaitable<void> DiskChanges::start() {
  auto load_all = [this] { return context_.store.load_all(); };
  auto listing = co_await context_.blocking(load_all);
  index_ = build_index(listing.items);
  listener_ = context_.events.subscribe([this](const PipelineEvent& event) {
    if (!event.story.empty()) refresh(event.story);
  });
  started_ = true;
}

void DiskChanges::stop() {
  if (started_) context_.events.unsubscribe(listener_);
  started_ = false;
}

void DiskChanges::request(const WorkWatcher::Burst& burst) {
  if (!started_ || context_.stopping) return;
  pending_.everything = pending_.everything || burst.everything;
  pending_.files.insert(burst.files.begin(), burst.files.end());
  auto anchor = context_.anchor();
  if (!anchor) return;
  asio::co_spawn(
      context_.strand, [anchor, this] { return scan(); }, asio::detached);
}

asio::awaitable<void> DiskChanges::scan() {
  if (running_) co_return;  // the running loop reads what is pending when it is done
  running_ = true;
  auto task = context_.tasks.add();
  while ((pending_.everything || !pending_.files.empty()) && started_ && !context_.stopping) {
    auto burst = std::move(pending_);
    pending_ = {};
    if (burst.everything) {
      co_await scan_once();
    } else {
      co_await scan_files(burst.files);
    }
  }
  running_ = false;
}

asio::awaitable<void> DiskChanges::scan_once() {
  touched_.clear();
  auto load_all = [this] { return context_.store.load_all(); };
  auto listing = co_await context_.blocking(load_all);
  if (!started_ || context_.stopping) co_return;
  WorkIndex after = build_index(listing.items);
  // A file that does not parse right now (an editor's half-written save) keeps what we knew.
  for (const auto& problem : listing.problems) {
    auto known = index_.find(problem.path.stem().string());
    if (known != index_.end()) after.insert_or_assign(known->first, known->second);
  }
  // What the pipeline announced (or is in the middle of writing) while the files were read is
  // already known; the read may predate it.
  touched_.insert(context_.writes_in_flight.begin(), context_.writes_in_flight.end());
  for (const auto& story : touched_) {
    auto known = index_.find(story);
    if (known == index_.end()) {
      after.erase(story);
    } else {
      after.insert_or_assign(story, known->second);
    }
  }
  announce(after);
}

void DiskChanges::announce(const WorkIndex& after) {
  auto changes = diff_index(index_, after);
  index_ = after;
  emit_changes(std::move(changes));
}

void DiskChanges::emit_changes(std::vector<WorkChange> changes) {
  if (changes.empty()) return;
  if (changes.size() > kMaxChangeEvents) {
    boost::json::array stories;
    for (const auto& change : changes)
      stories.emplace_back(change.story);
    context_.emit("", "work_reloaded",
                  {{"changes", changes.size()}, {"stories", std::move(stories)}});
    return;
  }
  for (auto& change : changes)
    context_.emit(change.story, change.type, std::move(change.payload));
}

void DiskChanges::refresh(const std::string& story) {
  touched_.insert(story);
  auto item = context_.store.load(story);
  if (item.ok()) {
    index_.insert_or_assign(item.value().id.str(), index_item(item.value()));
  } else if (item.error().kind == WorkErrorKind::NotFound) {
    index_.erase(story);
  }
}

}  // namespace stork::engine
