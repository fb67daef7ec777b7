// Pipeline::Impl: start-up and recovery, events, reconcile (promotions, auto-assign, merge
// queue fill) and the archive sweep.
#include "engine/pipeline_impl.hpp"

#include <algorithm>

#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "agents/agent_status.hpp"
#include "git/branch_ops.hpp"
#include "git/work_commits.hpp"
#include "pipeline/auto_assign.hpp"
#include "pipeline/dependencies.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::engine {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

WorktreeSettings worktree_settings(const std::filesystem::path& root, const std::string& base,
                                   const ProjectConfig& config) {
  WorktreeSettings settings;
  settings.project_root = root;
  settings.base_branch = base;
  settings.components = config.components;
  return settings;
}

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

// When the file entered its stage: a rename updates the inode's ctime, and so does a checkout
// that writes it, which errs on the side of archiving later.
std::optional<std::int64_t> stage_entered_ms(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<std::int64_t>(info.st_ctim.tv_sec) * 1000 + info.st_ctim.tv_nsec / 1000000;
}

}  // namespace

Pipeline::Impl::Impl(const asio::any_io_executor& executor,
                     std::shared_ptr<const ProjectConfig> project_config, agents::AgentPool& pool,
                     PipelineOptions options, std::unique_ptr<state::Journal> journal,
                     std::string base_branch)
    : strand(asio::make_strand(executor)),
      config(std::move(project_config)),
      pool_(pool),
      options_(std::move(options)),
      store_(options_.project_root),
      journal_(std::move(journal)),
      base_branch_(std::move(base_branch)),
      worktrees_(worktree_settings(options_.project_root, base_branch_, *config)),
      workspace_(MergeWorkspaceSettings{options_.project_root, base_branch_}),
      sweep_timer_(strand) {
  if (options_.workers) {
    workers_ = options_.workers;
  } else {
    own_workers_.emplace(std::max<std::size_t>(1, options_.worker_threads));
    workers_ = own_workers_->get_executor();
  }
}

std::int64_t Pipeline::Impl::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Pipeline::Impl::record_job_step(std::int64_t job, std::string_view step,
                                     std::string_view detail) {
  if (auto recorded = journal_->set_step(job, step, now_ms(), detail); !recorded.ok())
    spdlog::error("pipeline journal: {}", recorded.error().message);
}

// ---- events ----

void Pipeline::Impl::emit(const std::string& story, std::string type, json::object payload) {
  state::PipelineEventRecord record{0, now_ms(), story, std::move(type), json::serialize(payload)};
  auto stored = journal_->append_event(record);
  if (!stored.ok()) {
    spdlog::error("pipeline journal: cannot record event {} of {}: {}", record.type, story,
                  stored.error().message);
  } else {
    record = std::move(stored.value());
  }
  spdlog::info("pipeline: {} {} {}", story, record.type, record.payload);
  ++work_version;
  PipelineEvent event{record.seq, record.time_ms, record.story, record.type, record.payload};
  for (const auto& [id, listener] : listeners_)
    listener(event);
}

std::vector<PipelineEvent> Pipeline::Impl::events_after(std::int64_t seq, std::size_t limit) {
  std::vector<PipelineEvent> events;
  auto stored = journal_->events_after(seq, limit);
  if (!stored.ok()) {
    spdlog::error("pipeline journal: {}", stored.error().message);
    return events;
  }
  for (auto& record : stored.value())
    events.push_back(PipelineEvent{record.seq, record.time_ms, std::move(record.story),
                                   std::move(record.type), std::move(record.payload)});
  return events;
}

std::uint64_t Pipeline::Impl::subscribe(PipelineListener listener) {
  auto id = next_listener_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void Pipeline::Impl::unsubscribe(std::uint64_t id) {
  listeners_.erase(id);
}

// ---- items ----

PipelineResult<WorkItem> Pipeline::Impl::load(const std::string& story) {
  auto item = store_.load(story);
  if (item.ok()) return std::move(item.value());
  auto kind =
      item.error().kind == WorkErrorKind::NotFound || item.error().kind == WorkErrorKind::InvalidId
          ? PipelineError::Kind::NotFound
          : PipelineError::Kind::Failed;
  return fail(PipelineError{kind, item.error().render()});
}

PipelineResult<void> Pipeline::Impl::save(const WorkItem& item) {
  auto saved = store_.save(item);
  if (!saved.ok()) return fail(PipelineError{PipelineError::Kind::Failed, saved.error().render()});
  return {};
}

asio::awaitable<GateResult> Pipeline::Impl::gate(const GateSpec& spec) {
  return run_gate(strand, spec);
}

asio::awaitable<PipelineResult<StageStore::Move>> Pipeline::Impl::move_item(
    const std::string& story, Stage to, const std::string& reason) {
  auto moved = store_.move(story, to);
  if (!moved.ok()) {
    auto kind = moved.error().kind == WorkErrorKind::NotFound ? PipelineError::Kind::NotFound
                                                              : PipelineError::Kind::Failed;
    co_return fail(PipelineError{kind, moved.error().render()});
  }
  StageStore::Move move = moved.value();
  if (!move.changed()) co_return move;
  if (auto event = event_for_move(to)) {
    auto root = options_.project_root;
    auto id = move.id;
    auto commit_move = [root, id, event = *event, this] {
      auto repo = GitRepo::open(root);
      if (!repo.ok()) return std::optional<std::string>(repo.error().message());
      auto commit = commit_work_event(repo.value(), store_, id, event);
      if (!commit.ok()) return std::optional<std::string>(commit.error().message());
      return std::optional<std::string>();
    };
    auto committed = co_await blocking(commit_move);
    if (committed) spdlog::warn("pipeline: {} moved, but not committed: {}", story, *committed);
  }
  emit(move.id.str(), "moved",
       {{"from", stage_name(move.from)}, {"to", stage_name(move.to)}, {"reason", reason}});
  co_return move;
}

std::filesystem::path Pipeline::Impl::gate_log(const std::string& story,
                                               std::string_view what) const {
  return options_.project_root / ".storkit" / "logs" / story /
         (std::string(what) + "-" + std::to_string(now_ms()) + ".log");
}

GateSpec Pipeline::Impl::gate_spec(std::filesystem::path cwd, const std::string& story,
                                   std::string_view what) const {
  GateSpec spec;
  spec.command = config->gate_command;
  spec.cwd = std::move(cwd);
  spec.timeout = std::chrono::seconds(config->gate_timeout_secs);
  spec.log_file = gate_log(story, what);
  spec.set_env = {{"STORK_STORY_ID", story}, {"STORK_GATE", std::string(what)}};
  spec.kill_point = std::string(what) + ":gate";
  return spec;
}

// ---- lifecycle ----

asio::awaitable<void> Pipeline::Impl::start() {
  if (started_) co_return;
  started_ = true;
  std::weak_ptr<Impl> weak = shared_from_this();
  for (auto stage : kAllStages) {
    std::error_code ignored;  // a directory that cannot be made shows up as a watch warning
    std::filesystem::create_directories(store_.stage_dir(stage), ignored);
  }
  co_await recover();
  if (options_.watch) {
    auto watcher = WorkWatcher::start(strand, store_.work_dir(), options_.watch_debounce, [weak] {
      if (auto self = weak.lock()) {
        ++self->work_version;  // maybe a hand edit that no event announces
        self->request_reconcile();
      }
    });
    if (watcher.ok()) {
      watcher_ = std::move(watcher.value());
    } else {
      spdlog::warn(
          "pipeline: not watching {} ({}); changes made by hand are seen at the next "
          "pipeline change",
          store_.work_dir().string(), watcher.error());
    }
  }
  co_await sweep();
  schedule_sweep();
  co_await reconcile();
}

asio::awaitable<void> Pipeline::Impl::stop(std::chrono::milliseconds grace) {
  stopping_ = true;
  if (watcher_) watcher_->stop();
  sweep_timer_.cancel();
  merge_queue_.clear();
  (void)co_await tasks_.wait_for(grace);
  // From now on jobs run on the strand; those in flight finish now, while the io_context they
  // report to is still running (a job is one git command or file scan: it ends).
  workers_stopped_ = true;
  co_await jobs_.wait();
  if (own_workers_) own_workers_->join();
}

void Pipeline::Impl::request_reconcile() {
  if (stopping_ || !started_) return;
  asio::co_spawn(
      strand, [self = shared_from_this()] { return self->reconcile(); }, asio::detached);
}

asio::awaitable<void> Pipeline::Impl::recover() {
  auto open = journal_->open_jobs();
  if (!open.ok()) {
    spdlog::error("pipeline journal: {}", open.error().message);
    co_return;
  }
  bool merge_open = false;
  for (const auto& job : open.value()) {
    if (job.kind == state::JobKind::Merge) {
      if (!merge_open) {
        merge_open = true;
        auto reset_workspace = [this] { return workspace_.reset(); };
        auto reset = co_await blocking(reset_workspace);
        if (!reset.ok()) spdlog::error("pipeline: merge workspace: {}", reset.error().message());
      }
      co_await recover_merge_job(job);
      continue;
    }
    // A completion check cut short: its verdict was never acted on, so it runs again.
    record_job_step(job.id, state::kJobFailed, "interrupted at '" + job.step + "' by a restart");
    emit(job.story, "completion_interrupted", {{"agent", job.agent}, {"step", job.step}});
    auto item = store_.load(job.story);
    if (item.ok() && item.value().stage == Stage::Current && !item.value().blocked()) {
      asio::co_spawn(
          strand,
          [self = shared_from_this(), story = job.story,
           agent = job.agent]() -> asio::awaitable<void> {
            (void)co_await self->complete(story, agent, Trigger::Recovery);
          },
          asio::detached);
    }
  }
}

asio::awaitable<void> Pipeline::Impl::reconcile() {
  if (stopping_) co_return;
  if (reconciling_) {
    reconcile_again_ = true;
    co_return;
  }
  reconciling_ = true;
  auto task = tasks_.add();
  do {
    reconcile_again_ = false;
    co_await reconcile_once();
  } while (reconcile_again_ && !stopping_);
  reconciling_ = false;
}

asio::awaitable<void> Pipeline::Impl::reconcile_once() {
  // Parsing every item file takes a while in a large project: never on the strand.
  auto load_all = [this] { return store_.load_all(); };
  auto listing = co_await blocking(load_all);
  std::vector<pipeline::ItemSnapshot> items;
  items.reserve(listing.items.size());
  for (const auto& item : listing.items)
    items.push_back(snapshot_of(item));

  // Backlog items whose dependencies are all done or archived start by themselves.
  auto promotions = pipeline::plan_backlog_promotions(items);
  for (const auto& unknown : promotions.unknown)
    spdlog::warn("pipeline: {}", unknown.message());
  for (const auto& id : promotions.promote) {
    const auto story = id.str();
    // An item being created is promoted once its creation is committed (a move before the
    // commit would leave it out of git: 2_current is not tracked).
    if (creating_.contains(story)) continue;
    const std::string reason = "its dependencies are done";
    auto moved = co_await move_item(story, Stage::Current, reason);
    if (!moved.ok()) {
      spdlog::error("pipeline: cannot promote {}: {}", id.str(), moved.error().message);
      continue;
    }
    for (auto& item : items) {
      if (item.id == id) item.stage = Stage::Current;
    }
  }

  // Items the pipeline itself is busy with are not offered to auto-assign: a coder whose run
  // just ended waits for its completion check (else a second coder would start while the gate
  // runs), a coder a person stopped stays stopped until someone starts it, and merges are the
  // server's own work (a mergemaster is started when a merge fails).
  if (stopping_) co_return;
  const auto agents = co_await pool_.list_agents();
  pipeline::Runs runs;
  std::map<std::string, const agents::AgentInfo*> latest_coder_run;
  for (const auto& info : agents) {
    auto id = parse_story_id(info.story_id);
    if (!id.ok()) continue;
    runs.push_back(
        pipeline::RunSnapshot{id.value(), info.agent_name, agents::to_run_status(info.status)});
    if (pipeline::agent_stage_of(*config, info.agent_name) != AgentStage::Coder) continue;
    auto& latest = latest_coder_run[info.story_id];
    if (latest == nullptr || info.run_id > latest->run_id) latest = &info;
  }
  std::vector<pipeline::ItemSnapshot> offered;
  for (const auto& item : items) {
    const auto id = item.id.str();
    if (item.stage == Stage::Merge) continue;
    if (item.stage == Stage::Current) {
      if (completing_.contains(id)) continue;
      auto latest = latest_coder_run.find(id);
      if (latest != latest_coder_run.end()) {
        const auto status = latest->second->status;
        if (status == agents::AgentStatus::Stopped) continue;
        const bool ended =
            status == agents::AgentStatus::Completed || status == agents::AgentStatus::Failed;
        if (ended && !processed_runs_.contains(latest->second->run_id)) continue;
      }
    }
    offered.push_back(item);
  }
  auto plan = pipeline::plan_auto_assign(offered, *config, runs);
  for (const auto& assignment : plan.assignments) {
    if (stopping_) co_return;
    agents::StartRequest request;
    request.story = assignment.story.str();
    request.agent = assignment.agent;
    auto started = co_await pool_.start_agent(request);
    if (started.ok()) {
      emit(request.story, "assigned",
           {{"agent", assignment.agent}, {"stage", stage_name(assignment.stage)}});
    } else {
      emit(request.story, "assign_failed",
           {{"agent", assignment.agent}, {"message", started.error().message}});
    }
  }

  // Every item in 4_merge that is not held goes through the merge queue, oldest first.
  for (const auto& item : items) {
    if (item.stage != Stage::Merge || item.blocked || item.merge_failure) continue;
    enqueue_merge(item.id.str());
  }
}

// ---- archive sweep ----

void Pipeline::Impl::schedule_sweep() {
  if (stopping_) return;
  sweep_timer_.expires_after(options_.sweep_interval);
  sweep_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->stopping_) return;
    asio::co_spawn(
        self->strand,
        [self]() -> asio::awaitable<void> {
          co_await self->sweep();
          self->schedule_sweep();
        },
        asio::detached);
  });
}

asio::awaitable<void> Pipeline::Impl::sweep() {
  if (stopping_) co_return;
  auto task = tasks_.add();
  const auto max_age_ms = static_cast<std::int64_t>(config->archive_after_hours * 3600 * 1000);
  const auto now = now_ms();
  std::set<std::string> archived;
  auto scan_items = [this] { return store_.scan(); };
  const auto scanned = co_await blocking(scan_items);
  for (const auto& entry : scanned.entries) {
    if (entry.stage == Stage::Archived) archived.insert(entry.id.str());
    if (entry.stage != Stage::Done) continue;
    auto entered = stage_entered_ms(entry.path);
    if (!entered || now - *entered < max_age_ms) continue;
    const auto story = entry.id.str();
    const std::string reason = "done for longer than archive_after_hours";
    auto moved = co_await move_item(story, Stage::Archived, reason);
    if (!moved.ok()) {
      spdlog::error("pipeline: cannot archive {}: {}", entry.id.str(), moved.error().message);
      continue;
    }
    archived.insert(entry.id.str());
    if (stopping_) co_return;
    (void)co_await pool_.remove_agents_for_story(story);
  }
  // Leftovers of archived items: worktrees and branches a crash or a person left behind.
  auto prune = [this, archived] {
    std::vector<std::string> removed;
    auto listed = worktrees_.list();
    if (listed.ok()) {
      for (const auto& worktree : listed.value()) {
        if (!archived.contains(worktree.story.str())) continue;
        if (worktrees_.remove(worktree.story).ok()) removed.push_back(worktree.path.string());
      }
    }
    auto branches = list_branches(options_.project_root, "feature/story-");
    if (branches.ok()) {
      for (const auto& branch : branches.value()) {
        auto story = branch.substr(std::string_view("feature/story-").size());
        if (archived.contains(story) && delete_branch(options_.project_root, branch).ok())
          removed.push_back(branch);
      }
    }
    return removed;
  };
  auto pruned = co_await blocking(prune);
  for (const auto& what : pruned)
    emit("", "pruned", {{"what", what}});
}

}  // namespace stork::engine
