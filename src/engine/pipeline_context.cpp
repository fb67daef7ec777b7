#include "engine/pipeline_context.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "agents/runtime/runtime.hpp"
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
      item_index(ItemIndex::attach(options.project_root)),
      store(options.project_root),
      journal(std::move(pipeline_journal)),
      base_branch(std::move(base)),
      worktrees(worktree_settings(options.project_root, base_branch, *config)),
      workspace(MergeWorkspaceSettings{options.project_root, base_branch}),
      events(*journal) {
  store.set_max_item_bytes(config->limits.item_file_bytes);
  if (options.workers) {
    workers_ = options.workers;
  } else {
    own_workers_.emplace(std::max<std::size_t>(1, options.worker_threads));
    workers_ = own_workers_->get_executor();
  }
  checkout_queue_ = asio::make_strand(workers_);
}

asio::awaitable<std::optional<std::string>> PipelineContext::commit_item(StoryId id,
                                                                         WorkEvent event) {
  auto commit = [root = options.project_root, id, event, this] {
    auto repo = GitRepo::open(root);
    if (!repo.ok()) return std::optional<std::string>(repo.error().message());
    auto committed = commit_work_event(repo.value(), store, id, event);
    if (!committed.ok()) return std::optional<std::string>(committed.error().message());
    return std::optional<std::string>();
  };
  co_return co_await in_checkout(commit);
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

PipelineResult<WorkItem> PipelineContext::update(const std::string& story,
                                                 const std::function<void(WorkItem&)>& change) {
  auto updated = store.update(story, [&change](WorkItem& item) -> WorkResult<void> {
    change(item);
    return {};
  });
  if (!updated.ok()) return fail(from_work_error(story, updated.error()));
  return std::move(updated.value());
}

asio::awaitable<PipelineResult<StageStore::Move>> PipelineContext::move_item(
    const std::string& story, Stage to, const std::string& reason) {
  auto moved = store.move(story, to);
  if (!moved.ok()) co_return fail(from_work_error(story, moved.error()));
  StageStore::Move move = moved.value();
  if (!move.changed()) co_return move;
  auto in_flight = writes_in_flight.insert(move.id.str());
  if (auto event = event_for_move(move.from, move.to)) {
    auto committed = co_await commit_item(move.id, *event);
    if (committed) {
      // The move stands (the file is where it should be); the board hears that git does not
      // know of it yet, and what git said.
      spdlog::warn("pipeline: {} moved, but not committed: {}", story, *committed);
      emit(move.id.str(), "commit_failed", {{"to", stage_name(to)}, {"reason", *committed}});
    }
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
  spec.max_output_bytes = config->limits.command_output_bytes;
  spec.sandbox = agents::command_sandbox(*config);
  return spec;
}

asio::awaitable<GateResult> PipelineContext::gate(const GateSpec& spec) {
  return run_gate(strand, spec);
}

}  // namespace stork::engine
