#include "engine/disk_changes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/array.hpp>

#include "engine/pipeline_context.hpp"
#include "git/work_commits.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

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

void DiskChanges::request() {
  if (!started_ || context_.stopping) return;
  auto anchor = context_.anchor();
  if (!anchor) return;
  asio::co_spawn(
      context_.strand, [anchor, this] { return scan(); }, asio::detached);
}

asio::awaitable<void> DiskChanges::scan() {
  if (running_) {
    again_ = true;
    co_return;
  }
  running_ = true;
  auto task = context_.tasks.add();
  do {
    again_ = false;
    co_await scan_once();
  } while (again_ && started_ && !context_.stopping);
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
  for (const auto& change : changes) {
    if (change.type == "moved") commit_if_left_git(change);
  }
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

// A move the pipeline did not make itself (the pool starting a backlog item, a person's `mv`)
// out of a tracked stage into an untracked one leaves a deletion in the user's checkout: record
// it through the one commit queue.
void DiskChanges::commit_if_left_git(const WorkChange& change) {
  const auto* from = change.payload.if_contains("from");
  const auto* to = change.payload.if_contains("to");
  if (from == nullptr || to == nullptr || !from->is_string() || !to->is_string()) return;
  auto from_stage = parse_stage(from->as_string());
  auto to_stage = parse_stage(to->as_string());
  if (from_stage && to_stage) commit_if_left_git(change.story, *from_stage, *to_stage);
}

void DiskChanges::commit_if_left_git(const std::string& story, Stage from, Stage to) {
  auto id = parse_story_id(story);
  if (!id.ok() || !stage_is_tracked_by_git(from) || stage_is_tracked_by_git(to)) return;
  auto anchor = context_.anchor();
  if (!anchor) return;
  asio::co_spawn(
      context_.strand,
      [anchor, this, id = id.value()]() -> asio::awaitable<void> {
        auto task = context_.tasks.add();
        auto failed = co_await context_.commit_item(id, WorkEvent::Start);
        if (failed) context_.emit(id.str(), "commit_failed", {{"reason", *failed}});
      },
      asio::detached);
}

void DiskChanges::refresh(const std::string& story) {
  touched_.insert(story);
  auto item = context_.store.load(story);
  if (item.ok()) {
    // A move announced by an event (or seen here first) may still have left git's copy behind.
    auto known = index_.find(item.value().id.str());
    if (known != index_.end() && known->second.stage != item.value().stage)
      commit_if_left_git(item.value().id.str(), known->second.stage, item.value().stage);
    index_.insert_or_assign(item.value().id.str(), index_item(item.value()));
  } else if (item.error().kind == WorkErrorKind::NotFound) {
    index_.erase(story);
  }
}

}  // namespace stork::engine
