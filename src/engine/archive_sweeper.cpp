#include "engine/archive_sweeper.hpp"

#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "agents/agent_pool.hpp"
#include "engine/pipeline_context.hpp"
#include "git/branch_ops.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

// When the file entered its stage: a rename updates the inode's ctime, and so does a checkout
// that writes it, which errs on the side of archiving later.
std::optional<std::int64_t> stage_entered_ms(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<std::int64_t>(info.st_ctim.tv_sec) * 1000 + info.st_ctim.tv_nsec / 1000000;
}

}  // namespace

ArchiveSweeper::ArchiveSweeper(PipelineContext& context)
    : context_(context), timer_(context.strand) {}

void ArchiveSweeper::schedule() {
  if (context_.stopping) return;
  timer_.expires_after(context_.options.sweep_interval);
  timer_.async_wait([owner = context_.owner, this](boost::system::error_code ec) {
    if (ec) return;
    auto anchor = owner.lock();
    if (!anchor || context_.stopping) return;
    asio::co_spawn(
        context_.strand,
        [anchor, this]() -> asio::awaitable<void> {
          co_await sweep();
          schedule();
        },
        asio::detached);
  });
}

asio::awaitable<void> ArchiveSweeper::sweep() {
  if (context_.stopping) co_return;
  auto task = context_.tasks.add();
  const auto max_age_ms =
      static_cast<std::int64_t>(context_.config->archive_after_hours * 3600 * 1000);
  const auto now = now_ms();
  std::set<std::string> archived;
  auto scan_items = [this] { return context_.store.scan(); };
  const auto scanned = co_await context_.blocking(scan_items);
  for (const auto& entry : scanned.entries) {
    if (entry.stage == Stage::Archived) archived.insert(entry.id.str());
    if (entry.stage != Stage::Done) continue;
    auto entered = stage_entered_ms(entry.path);
    if (!entered || now - *entered < max_age_ms) continue;
    const auto story = entry.id.str();
    const std::string reason = "done for longer than archive_after_hours";
    auto moved = co_await context_.move_item(story, Stage::Archived, reason);
    if (!moved.ok()) {
      spdlog::error("pipeline: cannot archive {}: {}", story, moved.error().message);
      continue;
    }
    archived.insert(story);
    if (context_.stopping) co_return;
    (void)co_await context_.pool.remove_agents_for_story(story);
  }
  co_await prune(archived);
}

// Leftovers of archived items: worktrees and branches a crash or a person left behind.
asio::awaitable<void> ArchiveSweeper::prune(const std::set<std::string>& archived) {
  auto prune_work = [this, archived, root = context_.options.project_root] {
    std::vector<std::string> removed;
    auto listed = context_.worktrees.list();
    if (listed.ok()) {
      for (const auto& worktree : listed.value()) {
        if (!archived.contains(worktree.story.str())) continue;
        if (context_.worktrees.remove(worktree.story).ok())
          removed.push_back(worktree.path.string());
      }
    }
    auto branches = list_branches(root, "feature/story-");
    if (branches.ok()) {
      for (const auto& branch : branches.value()) {
        auto story = branch.substr(std::string_view("feature/story-").size());
        if (archived.contains(story) && delete_branch(root, branch).ok()) removed.push_back(branch);
      }
    }
    return removed;
  };
  auto pruned = co_await context_.blocking(prune_work);
  for (const auto& what : pruned)
    context_.emit("", "pruned", {{"what", what}});
}

}  // namespace stork::engine
