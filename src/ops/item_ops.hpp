// ItemOps: every user-level operation on work items, once, for every surface: show, list,
// create, update, move, block, unblock, check a criterion, record test results, approve or
// reject QA, merge. Reads run on the app's worker pool; writes go through the pipeline, which
// serialises them with its own edits. Each answer is a typed result (an ItemView or the facts
// of the outcome) or an OpError; rendering is the caller's job.
//
// Arguments are taken by value and should be passed as named lvalues (GCC 12: no temporary
// with a destructor in a co_await expression).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/pipeline.hpp"
#include "ops/item_edits.hpp"
#include "ops/item_timeline.hpp"
#include "ops/item_view.hpp"
#include "ops/op_error.hpp"
#include "ops/ops_services.hpp"
#include "work/work_error.hpp"

namespace stork::ops {

struct ItemListing {
  std::vector<ItemView> items;      // oldest first within each stage, stages in order
  std::vector<WorkError> problems;  // files that are not usable items
};

struct MoveOutcome {
  std::string story;
  Stage from = Stage::Backlog;
  Stage to = Stage::Backlog;
};

struct MergeQueued {
  std::string story;
  std::size_t position = 0;  // in the merge queue: 0 = running or next
};

struct TestResults {
  std::string story;
  std::string text;  // what front matter `test_results` now says
  bool all_passed = false;
};

// An update as a client asks for it: depends_on as given (ids or numbers), resolved against
// the existing items by update().
struct UpdateRequest {
  ItemPatch patch;
  std::optional<std::vector<std::string>> depends_on;
};

class ItemOps {
 public:
  explicit ItemOps(OpsServices services);

  const OpsServices& services() const { return services_; }

  // The full id of the item `text` names (id or number).
  boost::asio::awaitable<OpResult<std::string>> resolve(std::string text);
  boost::asio::awaitable<OpResult<ItemView>> show(std::string text);
  boost::asio::awaitable<ItemListing> list(std::optional<Stage> only, ViewDepth depth);

  // Checks the agent against the roster and the dependencies against the items, then writes
  // the item into 1_backlog and commits it.
  boost::asio::awaitable<OpResult<ItemView>> create(NewItem item);
  // InvalidInput "nothing to change" for an empty request.
  boost::asio::awaitable<OpResult<ItemView>> update(std::string text, UpdateRequest request);
  boost::asio::awaitable<OpResult<ItemView>> check_criterion(std::string text, std::size_t index,
                                                             bool checked);
  boost::asio::awaitable<OpResult<TestResults>> record_tests(std::string text, std::int64_t passed,
                                                             std::int64_t failed,
                                                             std::optional<std::string> summary);

  boost::asio::awaitable<OpResult<MoveOutcome>> move(std::string text, Stage to);
  boost::asio::awaitable<OpResult<ItemView>> block(std::string text, std::string reason);
  boost::asio::awaitable<OpResult<ItemView>> unblock(std::string text);
  boost::asio::awaitable<OpResult<ItemView>> request_qa(std::string text);
  boost::asio::awaitable<OpResult<ItemView>> approve_qa(std::string text);
  boost::asio::awaitable<OpResult<ItemView>> reject_qa(std::string text, std::string notes);
  // A mergemaster's reason for not merging: written to merge_failure, which keeps the item out
  // of the merge queue until merge() or unblock().
  boost::asio::awaitable<OpResult<ItemView>> report_merge_failure(std::string text,
                                                                  std::string reason);
  // Moves the item to 4_merge (if not there) and queues the merge; clears a merge failure.
  boost::asio::awaitable<OpResult<MergeQueued>> merge(std::string text);

  // What happened to the item, oldest first (ops/item_timeline.hpp), from the journal and the
  // state database. Defined in item_timeline_op.cpp.
  boost::asio::awaitable<OpResult<ItemTimeline>> timeline(std::string text);

 private:
  // One pipeline operation on an item (by full id) that answers nothing but success.
  using PipelineAction = std::function<boost::asio::awaitable<Result<void, engine::PipelineError>>(
      engine::Pipeline&, const std::string&)>;
  // Resolves `text`, runs `action`, answers the item as it is afterwards.
  boost::asio::awaitable<OpResult<ItemView>> act(std::string text, PipelineAction action);
  // Resolves `text`, lets `edit` change the item through the pipeline, answers the item as
  // saved. A typed refusal of `edit` comes back as it is.
  boost::asio::awaitable<OpResult<ItemView>> edit(std::string text,
                                                  std::function<OpResult<void>(WorkItem&)> edit);

  OpsServices services_;
};

}  // namespace stork::ops
