// MergeJob: one journaled merge of one item, in the separate merge workspace:
//   squashing → (squashed) → gating → advancing → advanced → finishing → done
// The gate runs on the merged tree; the base moves by compare-and-swap, so a crash anywhere
// leaves the squash commit on the base exactly once or not at all. A failure is written into
// the item (merge_failure) and handed to a mergemaster. Run by MergeQueue, one at a time, on
// the pipeline's strand; it never touches the user's checkout beyond advance_base's update.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/pipeline.hpp"
#include "git/merge_workspace.hpp"
#include "state/journal.hpp"

namespace stork::engine {

class PipelineContext;

class MergeJob {
 public:
  // `view` is the queue's picture of the running job (merge_status), kept current here.
  MergeJob(PipelineContext& context, std::optional<MergeJobView>& view)
      : context_(context), view_(view) {}

  boost::asio::awaitable<void> run(const std::string& story);
  // A job found open at start-up: finished if its commit already landed, else the workspace
  // branch is dropped and the next reconcile queues the item again.
  boost::asio::awaitable<void> recover(const state::JobRecord& job);

 private:
  struct Merge {
    std::int64_t job = 0;
    std::string story;
    StoryId id;
    std::string feature_branch;
    std::string message;  // the squash commit's
  };
  enum class Attempt { Finished, BaseMoved };

  boost::asio::awaitable<Attempt> attempt(const Merge& merge);
  // The squash commit, or nothing when the job failed (already recorded).
  boost::asio::awaitable<std::optional<SquashResult>> squash(const Merge& merge);
  boost::asio::awaitable<bool> gate_merged_tree(const Merge& merge);
  boost::asio::awaitable<Attempt> advance(const Merge& merge, const SquashResult& squash);
  boost::asio::awaitable<void> finish_landed(std::int64_t job, const std::string& story,
                                             const std::string& commit,
                                             const std::string& checkout_note);
  boost::asio::awaitable<void> clean_up_after(const std::string& story);
  boost::asio::awaitable<void> fail(std::int64_t job, const std::string& story,
                                    const std::string& reason,
                                    const std::vector<std::string>& conflicted);
  boost::asio::awaitable<void> start_mergemaster(const std::string& story,
                                                 const std::string& failure);
  void step(const Merge& merge, std::string_view name, const std::string& detail = {});

  PipelineContext& context_;
  std::optional<MergeJobView>& view_;
};

}  // namespace stork::engine
