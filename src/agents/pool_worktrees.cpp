// Worktrees made or removed for a person or a tool, not for a run. The check against the runs
// and the queueing on the git lane happen in one strand handler, so no run can start preparing
// the same worktree in between; the git lane then runs them one at a time with the runs' own
// worktree work. Results come back to the strand.
#include <boost/asio/post.hpp>

#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"

namespace stork::agents {
namespace asio = boost::asio;
namespace {

// Runs `work` on the git lane and hands its result, mapped to a PoolResult, to `done` on the
// strand (dropped if the pool is gone by then).
template <class T, class Work>
void on_git_lane(asio::strand<asio::any_io_executor>& lane, const AgentPool::Impl::Strand& strand,
                 std::weak_ptr<AgentPool::Impl> pool, Work work,
                 std::function<void(PoolResult<T>)> done) {
  asio::post(lane, [strand, pool, work = std::move(work), done = std::move(done)]() mutable {
    auto result = work();
    asio::post(strand, [pool, result = std::move(result), done = std::move(done)]() mutable {
      if (!pool.lock()) return;
      if (!result.ok()) return done(fail(pool_errors::worktree_failed(result.error())));
      done(std::move(result.value()));
    });
  });
}

}  // namespace

void AgentPool::Impl::create_worktree(const std::string& story,
                                      std::function<void(PoolResult<CreatedWorktree>)> done) {
  if (shutting_down_) return done(fail(pool_errors::shutting_down()));
  auto located = store_.locate(story);
  if (!located.ok()) return done(fail(pool_errors::unknown_story(story, located.error().render())));
  const StoryId id = located.value().id;
  for (const auto& [key, entry] : entries_) {
    if (key.first == id.str() && entry->info.status == AgentStatus::Pending)
      return done(fail(pool_errors::worktree_in_use(entry->info)));
  }
  auto create = [worktrees = worktrees_, id] { return worktrees.create(id); };
  on_git_lane<CreatedWorktree>(git_lane_, strand, weak_from_this(), std::move(create),
                               std::move(done));
}

void AgentPool::Impl::remove_worktree(
    const std::string& story, std::function<void(PoolResult<std::vector<StepOutput>>)> done) {
  if (shutting_down_) return done(fail(pool_errors::shutting_down()));
  // A worktree may outlive its item (archived and swept, or deleted by hand): a full id that
  // parses is enough; a bare number must name an item.
  auto located = store_.locate(story);
  auto parsed = parse_story_id(story);
  if (!located.ok() && !parsed.ok()) {
    return done(fail(pool_errors::unknown_story(story, located.error().render())));
  }
  const StoryId id = located.ok() ? located.value().id : parsed.value();
  for (const auto& [key, entry] : entries_) {
    if (key.first == id.str() && is_active(entry->info.status))
      return done(fail(pool_errors::run_active(entry->info)));
  }
  auto remove = [worktrees = worktrees_, id] { return worktrees.remove(id); };
  on_git_lane<std::vector<StepOutput>>(git_lane_, strand, weak_from_this(), std::move(remove),
                                       std::move(done));
}

}  // namespace stork::agents
