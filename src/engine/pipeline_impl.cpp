#include "engine/pipeline_impl.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "engine/idle_agent_events.hpp"

namespace stork::engine {
namespace asio = boost::asio;

Pipeline::Impl::Impl(const asio::any_io_executor& executor,
                     std::shared_ptr<const ProjectConfig> config, agents::AgentPool& pool,
                     PipelineOptions options, std::unique_ptr<state::Journal> journal,
                     std::string base_branch)
    : context(executor, std::move(config), pool, std::move(options), std::move(journal),
              std::move(base_branch)),
      merges(context),
      completion(context, merges),
      items(context, merges),
      reconciler(context, merges, completion, items),
      sweeper(context),
      disk(context) {
  context.reconcile_hook = [this] { reconciler.request(); };
  // What happens to an item reaches its idle agents at their next start (<recent-events>).
  context.events.subscribe([&pool](const PipelineEvent& event) {
    if (auto text = idle_agent_text(event)) pool.note_item_event(event.story, event.type, *text);
  });
}

asio::awaitable<void> Pipeline::Impl::start() {
  if (context.started) co_return;
  context.started = true;
  context.owner = weak_from_this();
  for (auto stage : kAllStages) {
    std::error_code ignored;  // a directory that cannot be made shows up as a watch warning
    std::filesystem::create_directories(context.store.stage_dir(stage), ignored);
  }
  auto recorder = move_recorder();
  auto installing = context.pool.set_move_recorder(recorder);
  co_await std::move(installing);
  co_await recover();
  if (context.options.watch) {
    co_await disk.start();
    watch();
  }
  co_await sweeper.sweep();
  sweeper.schedule();
  co_await reconciler.reconcile();
}

// The pool's start moves an item out of the backlog: its commit goes through the one commit
// queue for the main checkout, with the pipeline's other commits, and the start answers after.
agents::AgentPool::MoveRecorder Pipeline::Impl::move_recorder() {
  std::weak_ptr<Impl> weak = shared_from_this();
  return [weak](const StoryId& story, std::function<void()> done) {
    auto self = weak.lock();
    if (!self) return done();
    auto record = [self, story, done]() -> asio::awaitable<void> {
      auto task = self->context.tasks.add();
      auto failed = co_await self->context.commit_item(story, WorkEvent::Start);
      if (failed) {
        spdlog::warn("pipeline: {} moved to 2_current, but not committed: {}", story.str(),
                     *failed);
        self->context.emit(story.str(), "commit_failed", {{"to", "current"}, {"reason", *failed}});
      }
      done();
    };
    asio::co_spawn(self->context.strand, std::move(record), asio::detached);
  };
}

void Pipeline::Impl::watch() {
  std::weak_ptr<Impl> weak = shared_from_this();
  auto watcher =
      WorkWatcher::start(context.strand, context.store.work_dir(), context.options.watch_debounce,
                         [weak](const WorkWatcher::Burst& burst) {
                           if (auto self = weak.lock()) {
                             // Maybe a hand edit that no event announces.
                             self->context.events.touch();
                             self->disk.request(burst);
                             self->reconciler.note(burst);
                             self->reconciler.request();
                           }
                         });
  if (watcher.ok()) {
    watcher_ = std::move(watcher.value());
    reconciler.set_watching(true);
    return;
  }
  spdlog::warn(
      "pipeline: not watching {} ({}); changes made by hand are seen at the next pipeline "
      "change",
      context.store.work_dir().string(), watcher.error());
}

asio::awaitable<void> Pipeline::Impl::stop(std::chrono::milliseconds grace) {
  context.stopping = true;
  // Starts from now on commit their moves on the pool's own git lane.
  auto uninstalling = context.pool.set_move_recorder(nullptr);
  co_await std::move(uninstalling);
  if (watcher_) watcher_->stop();
  disk.stop();
  sweeper.cancel();
  merges.clear();
  (void)co_await context.tasks.wait_for(grace);
  co_await context.stop_workers();
}

asio::awaitable<void> Pipeline::Impl::recover() {
  auto open = context.journal->open_jobs();
  if (!open.ok()) {
    spdlog::error("pipeline journal: {}", open.error().message);
    co_return;
  }
  bool merge_open = false;
  for (const auto& job : open.value()) {
    if (job.kind == state::JobKind::Merge) {
      if (!merge_open) {
        merge_open = true;
        auto reset_workspace = [this] { return context.workspace.reset(); };
        auto reset = co_await context.blocking(reset_workspace);
        if (!reset.ok()) spdlog::error("pipeline: merge workspace: {}", reset.error().message());
      }
      co_await merges.recover(job);
      continue;
    }
    // A completion check cut short: its verdict was never acted on, so it runs again.
    context.record_job_step(job.id, state::kJobFailed,
                            "interrupted at '" + job.step + "' by a restart");
    context.emit(job.story, "completion_interrupted", {{"agent", job.agent}, {"step", job.step}});
    auto item = context.store.load(job.story);
    if (item.ok() && item.value().stage == Stage::Current && !item.value().blocked())
      completion.start(job.story, job.agent, CompletionCheck::Trigger::Recovery);
  }
}

}  // namespace stork::engine
