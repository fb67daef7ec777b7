// The pool's start moves a coder's item 1_backlog → 2_current: git tracks the first stage and
// not the second, so the move is committed (storkit: start <id>) before start_agent answers,
// never left as a deletion in the user's checkout. Done here, in the move's own path, rather
// than by whoever notices the file moved later (a watcher's scan races the event announcing it).
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "agents/pool_impl.hpp"
#include "git/work_commits.hpp"

namespace stork::agents {
namespace asio = boost::asio;

WorkResult<StageStore::Move> AgentPool::Impl::move_to_current(const StoryId& story) {
  auto moved = store_.move(story.str(), Stage::Current);
  if (moved.ok() && moved.value().changed() && stage_is_tracked_by_git(moved.value().from)) {
    moves_to_record_.push_back(moved.value().id);
  }
  return moved;
}

void AgentPool::Impl::record_moves(std::function<void()> then) {
  auto moves = std::exchange(moves_to_record_, {});
  if (moves.empty()) return then();
  auto left = std::make_shared<std::size_t>(moves.size());
  auto one_done = [left, then = std::move(then), strand = strand] {
    asio::post(strand, [left, then] {
      if (--*left == 0) then();
    });
  };
  for (const auto& story : moves)
    record_move(story, one_done);
}

void AgentPool::Impl::record_move(const StoryId& story, std::function<void()> done) {
  if (move_recorder_) return move_recorder_(story, std::move(done));
  // No pipeline runs (`stork run` without --pipeline): nothing else commits to the checkout,
  // and the git lane already serialises this process's git work.
  asio::post(git_lane_, [root = options_.project_root, story, done = std::move(done)] {
    auto repo = GitRepo::open(root);
    const StageStore store(root);
    if (!repo.ok()) {
      spdlog::warn("pool: {} moved to 2_current, but not committed: {}", story.str(),
                   repo.error().message());
    } else if (auto committed = commit_work_event(repo.value(), store, story, WorkEvent::Start);
               !committed.ok()) {
      spdlog::warn("pool: {} moved to 2_current, but not committed: {}", story.str(),
                   committed.error().message());
    }
    done();
  });
}

}  // namespace stork::agents
