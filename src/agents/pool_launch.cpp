// A registered run's way to its process: the worktree is made on the git lane (a worker
// thread, one git operation at a time), then, back on the strand, the run's log is opened, its
// LaunchContext built once, and the agent's runtime started with an observer tied to the entry.
#include <boost/asio/post.hpp>

#include "agents/agent_prompt.hpp"
#include "agents/pool_impl.hpp"

namespace stork::agents {
namespace asio = boost::asio;
namespace {

// Forwards a run's reports to the pool. It holds its own entry, so a newer run of the same
// agent on the same item never receives an older process's output.
class EntryObserver final : public RunObserver {
 public:
  EntryObserver(std::weak_ptr<AgentPool::Impl> pool, std::shared_ptr<RunEntry> entry)
      : pool_(std::move(pool)), entry_(std::move(entry)) {}
  void on_started(std::optional<pid_t> pid) override {
    if (auto pool = pool_.lock()) pool->on_started(entry_, pid);
  }
  void on_output(std::vector<std::string>& raw_lines, std::vector<RuntimeEvent>& events) override {
    if (auto pool = pool_.lock()) pool->on_output(entry_, raw_lines, events);
  }
  void on_exit(const RunExit& exit) override {
    if (auto pool = pool_.lock()) pool->on_exit(entry_, exit);
  }

 private:
  std::weak_ptr<AgentPool::Impl> pool_;
  std::shared_ptr<RunEntry> entry_;
};

}  // namespace

void AgentPool::Impl::prepare_worktree(const std::shared_ptr<RunEntry>& entry) {
  auto story = parse_story_id(entry->info.story_id).value();
  // The worker holds no reference to the pool: if the pool goes away meanwhile, the result
  // is dropped, and the pool is never destroyed on one of its own worker threads.
  asio::post(git_lane_,
             [worktrees = worktrees_, strand = strand, pool = weak_from_this(), entry, story] {
               auto created = worktrees.create(story);
               asio::post(strand, [pool, entry, created = std::move(created)]() mutable {
                 if (auto self = pool.lock()) self->launch(entry, std::move(created));
               });
             });
}

void AgentPool::Impl::after_git_lane(std::function<void()> then) {
  asio::post(git_lane_, [strand = strand, then = std::move(then)]() mutable {
    asio::post(strand, std::move(then));
  });
}

void AgentPool::Impl::launch(const std::shared_ptr<RunEntry>& entry,
                             Result<CreatedWorktree, WorktreeError> worktree) {
  AgentInfo& info = entry->info;
  if (info.status != AgentStatus::Pending) return;  // stopped or interrupted meanwhile
  if (!worktree.ok()) {
    fail_setup(entry, "the worktree cannot be made: " + worktree.error().message);
    return;
  }
  start_process(entry, worktree.value().info.path);
}

void AgentPool::Impl::start_process(const std::shared_ptr<RunEntry>& entry,
                                    const std::filesystem::path& workdir) {
  AgentInfo& info = entry->info;
  info.worktree_path = workdir;
  const AgentConfig* agent = entry->config->find_agent(info.agent_name);
  auto runtime = make_runtime(agent->runtime);
  if (!runtime.ok()) {
    fail_setup(entry, runtime.error().message);
    return;
  }
  auto session = open_run_log(*entry);
  if (session) {
    // The run continues that session: its record says so now (a resumed CLI announces the
    // same id, which note_session would not record again).
    info.session_id = session;
    entry->resumed_session = true;
    if (auto saved = state_->set_session_id(info.run_id, *session); !saved.ok())
      note_state_error(*entry, saved.error().message);
  }
  LaunchContext context = launch_context(*entry, *agent, workdir, session);
  auto observer = std::make_shared<EntryObserver>(weak_from_this(), entry);
  auto run = runtime.value()->start(context, strand, observer);
  if (!run.ok()) {
    fail_setup(entry, run.error().message);
    return;
  }
  entry->run = run.value();
}

void AgentPool::Impl::fail_setup(const std::shared_ptr<RunEntry>& entry, const std::string& cause) {
  entry->info.setup_failure = true;
  finish(entry, AgentStatus::Failed, "setup: " + cause);
}

// Opens the run's log, named after the session it resumes (if it resumes one); returns that.
std::optional<std::string> AgentPool::Impl::open_run_log(RunEntry& entry) {
  const AgentInfo& info = entry.info;
  std::optional<std::string> session;
  if (entry.resume_session) {
    auto last = state_->last_session(info.story_id, info.agent_name, info.model);
    if (last.ok()) session = last.value();
  }
  auto log = state::RunLog::open(options_.project_root, info.story_id, info.agent_name,
                                 session ? *session : "run-" + std::to_string(info.run_id));
  if (log.ok()) {
    entry.log = std::make_unique<state::RunLog>(std::move(log.value()));
  } else {
    note_state_error(entry, log.error().message);
  }
  return session;
}

LaunchContext AgentPool::Impl::launch_context(RunEntry& entry, const AgentConfig& agent,
                                              const std::filesystem::path& workdir,
                                              const std::optional<std::string>& session) {
  const AgentInfo& info = entry.info;
  LaunchContext context;
  context.agent = &agent;
  context.project = entry.config.get();
  context.story_id = info.story_id;
  context.worktree = workdir;
  if (entry.chat_prompt) {
    context.mcp_config = write_chat_mcp_config(entry);
    context.prompt = *entry.chat_prompt;
  } else {
    PromptInput prompt_input{
        info.story_id,        workdir.string(),          base_branch_,       "",
        entry.resume_context, take_recent_events(entry), session.has_value()};
    if (auto item = store_.load(info.story_id); item.ok())
      prompt_input.item_text = item.value().document.text();
    context.mcp_config = workdir / ".mcp.json";
    context.prompt = build_prompt(agent, prompt_input);
  }
  context.mcp_url = options_.mcp_url;
  context.mcp_token = options_.mcp_token;
  context.resume_session = session;
  context.stop_grace = options_.stop_grace;
  context.project_root = options_.project_root;
  context.tool_host = options_.tool_host;
  context.permission_host = options_.permission_host;
  context.api = options_.api;
  context.workers = workers_;
  return context;
}

}  // namespace stork::agents
