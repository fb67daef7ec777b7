#include "engine/pipeline_context.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/pipeline_errors.hpp"
#include "git/work_commits.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

WorktreeSettings worktree_settings(const std::filesystem::path& root, const std::string& base,
                                   const ProjectConfig& config) {
  WorktreeSettings settings;
  settings.project_root = root;
  settings.base_branch = base;
  settings.components = config.components;
  return settings;
}

}  // namespace

PipelineContext::PipelineContext(const asio::any_io_executor& executor,
                                 std::shared_ptr<const ProjectConfig> project_config,
                                 agents::AgentPool& agent_pool, PipelineOptions pipeline_options,
                                 std::unique_ptr<state::Journal> pipeline_journal, std::string base)
    : strand(asio::make_strand(executor)),
      config(std::move(project_config)),
      pool(agent_pool),
      options(std::move(pipeline_options)),
      store(options.project_root),
      journal(std::move(pipeline_journal)),
      base_branch(std::move(base)),
      worktrees(worktree_settings(options.project_root, base_branch, *config)),
      workspace(MergeWorkspaceSettings{options.project_root, base_branch}),
      events(*journal) {
  if (options.workers) {
    workers_ = options.workers;
  } else {
    own_workers_.emplace(std::max<std::size_t>(1, options.worker_threads));
    workers_ = own_workers_->get_executor();
  }
}

asio::awaitable<void> PipelineContext::stop_workers() {
  // From now on jobs run on the strand; those in flight finish now, while the io_context they
  // report to is still running (a job is one git command or one file scan: it ends).
  workers_stopped_ = true;
  co_await jobs_.wait();
  if (own_workers_) own_workers_->join();
}

void PipelineContext::record_job_step(std::int64_t job, std::string_view step,
                                      std::string_view detail) {
  if (auto recorded = journal->set_step(job, step, now_ms(), detail); !recorded.ok())
    spdlog::error("pipeline journal: {}", recorded.error().message);
}

PipelineResult<WorkItem> PipelineContext::load(const std::string& story) {
  auto item = store.load(story);
  if (item.ok()) return std::move(item.value());
  return fail(from_work_error(story, item.error()));
}

PipelineResult<void> PipelineContext::save(const WorkItem& item) {
  auto saved = store.save(item);
  if (!saved.ok()) return fail(failed(item.id.str(), saved.error().render()));
  return {};
}

asio::awaitable<PipelineResult<StageStore::Move>> PipelineContext::move_item(
    const std::string& story, Stage to, const std::string& reason) {
  auto moved = store.move(story, to);
  if (!moved.ok()) co_return fail(from_work_error(story, moved.error()));
  StageStore::Move move = moved.value();
  if (!move.changed()) co_return move;
  auto in_flight = writes_in_flight.insert(move.id.str());
  if (auto event = event_for_move(to)) {
    auto commit_move = [root = options.project_root, id = move.id, event = *event, this] {
      auto repo = GitRepo::open(root);
      if (!repo.ok()) return std::optional<std::string>(repo.error().message());
      auto commit = commit_work_event(repo.value(), store, id, event);
      if (!commit.ok()) return std::optional<std::string>(commit.error().message());
      return std::optional<std::string>();
    };
    auto committed = co_await blocking(commit_move);
    if (committed) spdlog::warn("pipeline: {} moved, but not committed: {}", story, *committed);
  }
  writes_in_flight.erase(in_flight);
  emit(move.id.str(), "moved",
       {{"from", stage_name(move.from)}, {"to", stage_name(move.to)}, {"reason", reason}});
  co_return move;
}

GateSpec PipelineContext::gate_spec(std::filesystem::path cwd, const std::string& story,
                                    std::string_view what) const {
  GateSpec spec;
  spec.command = config->gate_command;
  spec.cwd = std::move(cwd);
  spec.timeout = std::chrono::seconds(config->gate_timeout_secs);
  spec.log_file = options.project_root / ".storkit" / "logs" / story /
                  (std::string(what) + "-" + std::to_string(now_ms()) + ".log");
  spec.set_env = {{"STORK_STORY_ID", story}, {"STORK_GATE", std::string(what)}};
  spec.kill_point = std::string(what) + ":gate";
  return spec;
}

asio::awaitable<GateResult> PipelineContext::gate(const GateSpec& spec) {
  return run_gate(strand, spec);
}

}  // namespace stork::engine
