// ItemOperations: what people and agents ask of the pipeline through MCP, REST and the CLI:
// QA decisions, merges, blocking, manual moves, edits and new items. Owned by Pipeline::Impl,
// on the pipeline's strand: each checks where the item is, writes what storkit writes into the
// front matter, and emits its event. Errors are typed (PipelineError's fields); none throws.
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/pipeline.hpp"

namespace stork::engine {

class PipelineContext;
class MergeQueue;

class ItemOperations {
 public:
  ItemOperations(PipelineContext& context, MergeQueue& merges)
      : context_(context), merges_(merges) {}

  boost::asio::awaitable<PipelineResult<void>> request_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> approve_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> reject_qa(std::string story, std::string notes);
  boost::asio::awaitable<PipelineResult<std::size_t>> merge(std::string story);
  boost::asio::awaitable<PipelineResult<void>> report_merge_failure(std::string story,
                                                                    std::string reason);
  boost::asio::awaitable<PipelineResult<void>> unblock(std::string story);
  boost::asio::awaitable<PipelineResult<void>> block(std::string story, std::string reason);
  boost::asio::awaitable<PipelineResult<Stage>> move(std::string story, Stage to);
  boost::asio::awaitable<PipelineResult<WorkItem>> edit_item(
      std::string story, std::function<Result<void, std::string>(WorkItem&)> edit);
  boost::asio::awaitable<PipelineResult<WorkItem>> create_item(NewItem item);

  // A new item not yet committed: the reconciler does not promote it yet.
  bool creating(const std::string& story) const { return creating_.contains(story); }

 private:
  PipelineContext& context_;
  MergeQueue& merges_;
  std::set<std::string> creating_;
};

}  // namespace stork::engine
