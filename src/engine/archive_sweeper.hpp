// ArchiveSweeper: every sweep_interval, moves items done for longer than archive_after_hours
// to 6_archived (committed), and prunes the worktrees and feature branches archived items left
// behind. Owned by Pipeline::Impl, on the pipeline's strand; the file scan and git run on the
// workers. It never touches an item that is not done or archived.
#pragma once

#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stork::engine {

class PipelineContext;

class ArchiveSweeper {
 public:
  explicit ArchiveSweeper(PipelineContext& context);

  boost::asio::awaitable<void> sweep();
  // The next sweep after sweep_interval (none once the pipeline stops).
  void schedule();
  void cancel() { timer_.cancel(); }

 private:
  boost::asio::awaitable<void> prune(const std::set<std::string>& archived);

  PipelineContext& context_;
  boost::asio::steady_timer timer_;
};

}  // namespace stork::engine
