// AgentPool's public operations: each one hops onto the pool's strand (co_spawn on the strand,
// awaited by the caller) and runs there; see pool_impl.cpp for the logic.
#include "agents/agent_pool.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agents/pool_impl.hpp"
#include "git/base_branch.hpp"

namespace stork::agents {
namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

template <class T>
using Done = std::function<void(T)>;

// Runs `start` on the pool's strand and completes the caller's co_await with the value it
// passes to its `done` callback, which may be called later (after a wait). Built on
// async_initiate rather than nested coroutines: no coroutine frame per call, and none of
// GCC 12's coroutine temporaries bugs.
template <class T, class Start>
asio::awaitable<T> on_strand(const std::shared_ptr<AgentPool::Impl>& impl, Start start) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(T)>(
      [strand = impl->strand, start = std::move(start)](auto handler) mutable {
        asio::dispatch(strand, [start = std::move(start), handler = std::move(handler)]() mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          start(Done<T>([shared](T value) {
            auto executor = asio::get_associated_executor(*shared);
            asio::post(executor, [shared, value = std::move(value)]() mutable {
              std::move (*shared)(std::move(value));
            });
          }));
        });
      },
      asio::use_awaitable);
}

asio::awaitable<void> on_strand_void(const std::shared_ptr<AgentPool::Impl>& impl,
                                     std::function<void(std::function<void()>)> start) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [strand = impl->strand, start = std::move(start)](auto handler) mutable {
        asio::dispatch(strand, [start = std::move(start), handler = std::move(handler)]() mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          start([shared] {
            auto executor = asio::get_associated_executor(*shared);
            asio::post(executor, [shared]() mutable { std::move (*shared)(); });
          });
        });
      },
      asio::use_awaitable);
}

}  // namespace

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
                                     std::move(state.value()), WorktreeManager(std::move(settings)),
                                     base.value());
  return std::unique_ptr<AgentPool>(new AgentPool(std::move(impl)));
}

AgentPool::AgentPool(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
AgentPool::~AgentPool() = default;

asio::awaitable<PoolResult<AgentInfo>> AgentPool::start_agent(StartRequest request) {
  return on_strand<PoolResult<AgentInfo>>(
      impl_, [impl = impl_, request = std::move(request)](Done<PoolResult<AgentInfo>> done) {
        done(impl->start(request));
      });
}

asio::awaitable<PoolResult<AgentInfo>> AgentPool::stop_agent(std::string story, std::string agent) {
  return on_strand<PoolResult<AgentInfo>>(
      impl_, [impl = impl_, story, agent](Done<PoolResult<AgentInfo>> done) {
        auto stopped = impl->request_stop(story, agent);
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
  return on_strand<PoolResult<AgentInfo>>(
      impl_, [impl = impl_, story, agent, timeout](Done<PoolResult<AgentInfo>> done) {
        impl->wait_finished(story, agent, steady_clock::now() + timeout, timeout, std::move(done));
      });
}

asio::awaitable<std::vector<AgentInfo>> AgentPool::list_agents() {
  return on_strand<std::vector<AgentInfo>>(
      impl_, [impl = impl_](Done<std::vector<AgentInfo>> done) { done(impl->list()); });
}

asio::awaitable<PoolResult<std::vector<AgentEvent>>> AgentPool::drain_events(
    std::string story, std::string agent, std::int64_t after_seq) {
  return on_strand<PoolResult<std::vector<AgentEvent>>>(
      impl_,
      [impl = impl_, story, agent, after_seq](Done<PoolResult<std::vector<AgentEvent>>> done) {
        auto entry = impl->find(story, agent);
        if (!entry) {
          return done(fail(PoolError{PoolError::Kind::NotFound,
                                     "no run of agent '" + agent + "' on '" + story + "'"}));
        }
        done(impl->events_of(*entry, after_seq));
      });
}

asio::awaitable<std::vector<std::string>> AgentPool::available_agents_for_stage(AgentStage stage) {
  return on_strand<std::vector<std::string>>(
      impl_, [impl = impl_, stage](Done<std::vector<std::string>> done) {
        done(impl->available_for_stage(stage));
      });
}

asio::awaitable<std::size_t> AgentPool::remove_agents_for_story(std::string story) {
  return on_strand<std::size_t>(
      impl_, [impl = impl_, story](Done<std::size_t> done) { done(impl->remove_story(story)); });
}

asio::awaitable<std::vector<AgentInfo>> AgentPool::recover() {
  return on_strand<std::vector<AgentInfo>>(
      impl_, [impl = impl_](Done<std::vector<AgentInfo>> done) { done(impl->recover()); });
}

asio::awaitable<void> AgentPool::shutdown() {
  return on_strand_void(impl_, [impl = impl_](std::function<void()> done) {
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
  return on_strand<std::uint64_t>(
      impl_, [impl = impl_, listener = std::move(listener)](Done<std::uint64_t> done) mutable {
        done(impl->add_listener(std::move(listener)));
      });
}

std::uint64_t AgentPool::runs_version() const {
  return impl_->runs_version.load();
}

asio::awaitable<void> AgentPool::unsubscribe(std::uint64_t id) {
  return on_strand_void(impl_, [impl = impl_, id](std::function<void()> done) {
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
  return on_strand_void(impl_,
                        [impl = impl_, config = std::move(config)](std::function<void()> done) {
                          impl->replace_config(config);
                          done();
                        });
}

}  // namespace stork::agents
