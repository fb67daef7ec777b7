// ItemOps' operations that move an item through the pipeline: move, block, unblock, QA and
// merge. Each resolves the id, asks the pipeline, and answers the item as it is afterwards.
#include "base/offload.hpp"
#include "engine/pipeline.hpp"
#include "ops/item_lookup.hpp"
#include "ops/item_ops.hpp"

namespace stork::ops {
namespace asio = boost::asio;

asio::awaitable<OpResult<MoveOutcome>> ItemOps::move(std::string text, Stage to) {
  auto entry_of = [root = services_.project_root, text] { return locate_item(root, text); };
  auto entry = co_await offload(services_.workers, entry_of);
  if (!entry.ok()) co_return fail(entry.error());
  const std::string story = entry.value().id.str();
  auto moved = co_await services_.pipeline->move(story, to);
  if (!moved.ok()) co_return fail(from_pipeline(moved.error(), story));
  co_return MoveOutcome{story, entry.value().stage, moved.value()};
}

asio::awaitable<OpResult<ItemView>> ItemOps::act(std::string text, PipelineAction action) {
  auto story = co_await resolve(text);
  if (!story.ok()) co_return fail(story.error());
  auto done = co_await action(*services_.pipeline, story.value());
  if (!done.ok()) co_return fail(from_pipeline(done.error(), story.value()));
  auto view = co_await show(story.value());
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::block(std::string text, std::string reason) {
  PipelineAction action = [reason](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.block(story, reason);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::unblock(std::string text) {
  PipelineAction action = [](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.unblock(story);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::request_qa(std::string text) {
  PipelineAction action = [](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.request_qa(story);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::approve_qa(std::string text) {
  PipelineAction action = [](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.approve_qa(story);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::reject_qa(std::string text, std::string notes) {
  PipelineAction action = [notes](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.reject_qa(story, notes);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<ItemView>> ItemOps::report_merge_failure(std::string text,
                                                                  std::string reason) {
  PipelineAction action = [reason](engine::Pipeline& pipeline, const std::string& story) {
    return pipeline.report_merge_failure(story, reason);
  };
  auto view = co_await act(text, action);
  co_return view;
}

asio::awaitable<OpResult<MergeQueued>> ItemOps::merge(std::string text) {
  auto story = co_await resolve(text);
  if (!story.ok()) co_return fail(story.error());
  auto queued = co_await services_.pipeline->merge(story.value());
  if (!queued.ok()) co_return fail(from_pipeline(queued.error(), story.value()));
  co_return MergeQueued{story.value(), queued.value()};
}

}  // namespace stork::ops
