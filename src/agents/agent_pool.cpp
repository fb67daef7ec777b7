// AgentPool's public operations: each one is a call_on (base/strand_call.hpp) into the pool's
// strand, where the logic of pool_impl*.cpp runs; the caller resumes on its own executor.
#include "agents/agent_pool.hpp"

#include <boost/asio/post.hpp>

#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"
#include "base/strand_call.hpp"
#include "git/base_branch.hpp"

namespace stork::agents {
namespace asio = boost::asio;
using std::chrono::steady_clock;

Result<std::unique_ptr<AgentPool>, std::string> AgentPool::open(
    const asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
    PoolOptions options) {
  auto state = state::StateStore::open(options.project_root);
  if (!state.ok()) return fail(state.error().message);
  auto base = resolve_base_branch(options.project_root, config->base_branch);
  if (!base.ok()) return fail(base.error().message);
  WorktreeSettings settings{options.project_root, base.value(), options.mcp_url, options.mcp_token,
                            config->components};
  auto impl = std::make_shared<Impl>(executor, std::move(config), std::move(options),
                                     std::move(state.value()), std::move(settings));
  return std::unique_ptr<AgentPool>(new AgentPool(std::move(impl)));
}

AgentPool::AgentPool(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
AgentPool::~AgentPool() = default;

asio::awaitable<PoolResult<AgentInfo>> AgentPool::start_agent(StartRequest request) {
  return call_on<PoolResult<AgentInfo>>(impl_->strand, [impl = impl_, request = std::move(request)](
                                                           Done<PoolResult<AgentInfo>> done) {
    auto started = std::make_shared<PoolResult<AgentInfo>>(impl->start(request));
    // Answered once the move it made (if any) is in git: see start_agent's contract.
    impl->record_moves([started, done] { done(std::move(*started)); });
  });
}

asio::awaitable<void> AgentPool::set_move_recorder(MoveRecorder recorder) {
  return call_on_void(impl_->strand,
                      [impl = impl_, recorder = std::move(recorder)](std::function<void()> done) {
                        impl->set_move_recorder(recorder);
                        done();
                      });
}

asio::awaitable<PoolResult<AgentInfo>> AgentPool::stop_agent(std::string story, std::string agent,
                                                             std::string reason) {
  return call_on<PoolResult<AgentInfo>>(
      impl_->strand, [impl = impl_, story, agent, reason](Done<PoolResult<AgentInfo>> done) {
        auto stopped = impl->request_stop(story, agent, reason);
        auto entry = stopped.ok() ? impl->find(story, agent) : nullptr;
        if (!entry) return done(std::move(stopped));
        // The process gets SIGKILL after the grace; give the exit a moment beyond that.
        const auto deadline = steady_clock::now() + impl->stop_grace() + std::chrono::seconds(5);
        // A run stopped while Pending may still have its worktree being made on the git lane:
        // the stop has taken effect once that is over too (a remove_worktree may follow).
        impl->wait_while(
            entry, [](const RunEntry& e) { return e.run != nullptr; }, deadline,
            [impl, entry, done] { impl->after_git_lane([entry, done] { done(entry->info); }); });
      });
}

asio::awaitable<PoolResult<AgentInfo>> AgentPool::wait_for_agent(
    std::string story, std::string agent, std::chrono::milliseconds timeout) {
  return call_on<PoolResult<AgentInfo>>(
      impl_->strand, [impl = impl_, story, agent, timeout](Done<PoolResult<AgentInfo>> done) {
        impl->wait_finished(story, agent, steady_clock::now() + timeout, timeout, std::move(done));
      });
}

asio::awaitable<std::vector<AgentInfo>> AgentPool::list_agents() {
  return call_on<std::vector<AgentInfo>>(
      impl_->strand, [impl = impl_](Done<std::vector<AgentInfo>> done) { done(impl->list()); });
}

asio::awaitable<PoolResult<std::vector<AgentEvent>>> AgentPool::drain_events(
    std::string story, std::string agent, std::int64_t after_seq) {
  return call_on<PoolResult<std::vector<AgentEvent>>>(
      impl_->strand,
      [impl = impl_, story, agent, after_seq](Done<PoolResult<std::vector<AgentEvent>>> done) {
        auto entry = impl->find(story, agent);
        if (!entry) return done(fail(pool_errors::not_found(story, agent)));
        done(impl->events_of(*entry, after_seq));
      });
}

asio::awaitable<std::vector<std::string>> AgentPool::available_agents_for_stage(AgentStage stage) {
  return call_on<std::vector<std::string>>(
      impl_->strand, [impl = impl_, stage](Done<std::vector<std::string>> done) {
        done(impl->available_for_stage(stage));
      });
}

asio::awaitable<PoolResult<CreatedWorktree>> AgentPool::create_worktree_for(std::string story) {
  return call_on<PoolResult<CreatedWorktree>>(
      impl_->strand, [impl = impl_, story](Done<PoolResult<CreatedWorktree>> done) {
        impl->create_worktree(story, std::move(done));
      });
}

asio::awaitable<PoolResult<std::vector<StepOutput>>> AgentPool::remove_worktree_for(
    std::string story) {
  return call_on<PoolResult<std::vector<StepOutput>>>(
      impl_->strand, [impl = impl_, story](Done<PoolResult<std::vector<StepOutput>>> done) {
        impl->remove_worktree(story, std::move(done));
      });
}

asio::awaitable<std::size_t> AgentPool::remove_agents_for_story(std::string story) {
  return call_on<std::size_t>(impl_->strand, [impl = impl_, story](Done<std::size_t> done) {
    done(impl->remove_story(story));
  });
}

asio::awaitable<std::vector<AgentInfo>> AgentPool::recover() {
  return call_on<std::vector<AgentInfo>>(
      impl_->strand, [impl = impl_](Done<std::vector<AgentInfo>> done) { done(impl->recover()); });
}

asio::awaitable<void> AgentPool::shutdown() {
  return call_on_void(impl_->strand, [impl = impl_](std::function<void()> done) {
    auto live = impl->kill_all_for_shutdown();
    const auto deadline = steady_clock::now() + std::chrono::seconds(5);
    // Wait for the processes one after the other; each wait ends at the shared deadline.
    auto wait_next = std::make_shared<std::function<void(std::size_t)>>();
    *wait_next = [impl, live, deadline, done, wait_next](std::size_t index) {
      if (index == live.size()) {
        done();
        *wait_next = nullptr;  // breaks the self-reference
        return;
      }
      impl->wait_while(
          live[index], [](const RunEntry& e) { return e.run != nullptr; }, deadline,
          [wait_next, index] { (*wait_next)(index + 1); });
    };
    (*wait_next)(0);
  });
}

asio::awaitable<std::uint64_t> AgentPool::subscribe(PoolListener listener) {
  return call_on<std::uint64_t>(impl_->strand, [impl = impl_, listener = std::move(listener)](
                                                   Done<std::uint64_t> done) mutable {
    done(impl->add_listener(std::move(listener)));
  });
}

std::uint64_t AgentPool::runs_version() const {
  return impl_->runs_version.load();
}

asio::awaitable<void> AgentPool::unsubscribe(std::uint64_t id) {
  return call_on_void(impl_->strand, [impl = impl_, id](std::function<void()> done) {
    impl->remove_listener(id);
    done();
  });
}

void AgentPool::on_run_finished(std::function<void(const AgentInfo&)> handler) {
  asio::post(impl_->strand, [impl = impl_, handler = std::move(handler)]() mutable {
    impl->add_finished_handler(std::move(handler));
  });
}

asio::awaitable<void> AgentPool::set_config(std::shared_ptr<const ProjectConfig> config) {
  return call_on_void(impl_->strand,
                      [impl = impl_, config = std::move(config)](std::function<void()> done) {
                        impl->replace_config(config);
                        done();
                      });
}

}  // namespace stork::agents
