// Pipeline's public operations: each hops onto the pipeline's strand and runs there (see
// pipeline_impl.hpp for the logic).
#include "engine/pipeline.hpp"

#include <functional>

#include <boost/asio/post.hpp>

#include "base/strand_call.hpp"
#include "engine/pipeline_impl.hpp"
#include "git/base_branch.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

// The operation runs on the pipeline's strand (stork::spawn_on): an exception it throws is
// rethrown in the caller, which never waits forever. The helper owns the operation and the
// impl, so the awaitable a public member returns does not refer to the Pipeline object.
template <class T>
asio::awaitable<T> on_strand(std::shared_ptr<Pipeline::Impl> impl,
                             std::function<asio::awaitable<T>()> operation) {
  auto result = co_await spawn_on<T>(impl->context.strand, operation);
  co_return result;  // stored first: GCC 12 and `co_return co_await` (awaitable_result.hpp)
}

template <>
asio::awaitable<void> on_strand<void>(std::shared_ptr<Pipeline::Impl> impl,
                                      std::function<asio::awaitable<void>()> operation) {
  co_await spawn_on_void(impl->context.strand, operation);
}

}  // namespace

std::string_view to_string(PipelineError::Kind kind) {
  switch (kind) {
    case PipelineError::Kind::NotFound:
      return "not_found";
    case PipelineError::Kind::InvalidInput:
      return "invalid_input";
    case PipelineError::Kind::WrongStage:
      return "wrong_stage";
    case PipelineError::Kind::Busy:
      return "busy";
    case PipelineError::Kind::Failed:
      return "failed";
  }
  return "failed";
}

Result<std::unique_ptr<Pipeline>, std::string> Pipeline::open(
    const asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
    agents::AgentPool& pool, PipelineOptions options) {
  auto journal = state::Journal::open(options.project_root);
  if (!journal.ok()) return fail(journal.error().message);
  auto base = resolve_base_branch(options.project_root, config->base_branch);
  if (!base.ok()) return fail(base.error().message);
  auto impl = std::make_shared<Impl>(executor, std::move(config), pool, std::move(options),
                                     std::move(journal.value()), std::move(base.value()));
  // Registered now, not at start(), so that no run can end unseen in between.
  impl->context.owner = impl;
  std::weak_ptr<Impl> weak = impl;
  pool.on_run_finished([weak](const agents::AgentInfo& info) {
    if (auto self = weak.lock())
      asio::post(self->context.strand, [self, info] { self->completion.on_run_finished(info); });
  });
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

Pipeline::Pipeline(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

asio::awaitable<void> Pipeline::start() {
  return on_strand<void>(impl_, [impl = impl_] { return impl->start(); });
}

asio::awaitable<void> Pipeline::stop(std::chrono::milliseconds grace) {
  return on_strand<void>(impl_, [impl = impl_, grace] { return impl->stop(grace); });
}

asio::awaitable<void> Pipeline::reconcile() {
  return on_strand<void>(impl_, [impl = impl_] { return impl->reconciler.reconcile(); });
}

asio::awaitable<PipelineResult<CompletionOutcome>> Pipeline::report_completion(std::string story,
                                                                               std::string agent) {
  return on_strand<PipelineResult<CompletionOutcome>>(
      impl_, [impl = impl_, story = std::move(story), agent = std::move(agent)] {
        return impl->completion.complete(story, agent, CompletionCheck::Trigger::Reported);
      });
}

asio::awaitable<PipelineResult<void>> Pipeline::request_qa(std::string story) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story)] { return impl->items.request_qa(story); });
}

asio::awaitable<PipelineResult<void>> Pipeline::approve_qa(std::string story) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story)] { return impl->items.approve_qa(story); });
}

asio::awaitable<PipelineResult<void>> Pipeline::reject_qa(std::string story, std::string notes) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story), notes = std::move(notes)] {
        return impl->items.reject_qa(story, notes);
      });
}

asio::awaitable<PipelineResult<std::size_t>> Pipeline::merge(std::string story) {
  return on_strand<PipelineResult<std::size_t>>(
      impl_, [impl = impl_, story = std::move(story)] { return impl->items.merge(story); });
}

asio::awaitable<PipelineResult<void>> Pipeline::report_merge_failure(std::string story,
                                                                     std::string reason) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story), reason = std::move(reason)] {
        return impl->items.report_merge_failure(story, reason);
      });
}

asio::awaitable<PipelineResult<void>> Pipeline::unblock(std::string story) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story)] { return impl->items.unblock(story); });
}

asio::awaitable<PipelineResult<void>> Pipeline::block(std::string story, std::string reason) {
  return on_strand<PipelineResult<void>>(
      impl_, [impl = impl_, story = std::move(story), reason = std::move(reason)] {
        return impl->items.block(story, reason);
      });
}

asio::awaitable<PipelineResult<Stage>> Pipeline::move(std::string story, Stage to) {
  return on_strand<PipelineResult<Stage>>(
      impl_, [impl = impl_, story = std::move(story), to] { return impl->items.move(story, to); });
}

asio::awaitable<PipelineResult<WorkItem>> Pipeline::edit_item(
    std::string story, std::function<Result<void, std::string>(WorkItem&)> edit) {
  return on_strand<PipelineResult<WorkItem>>(
      impl_, [impl = impl_, story = std::move(story), edit = std::move(edit)] {
        return impl->items.edit_item(story, edit);
      });
}

asio::awaitable<PipelineResult<WorkItem>> Pipeline::create_item(NewItem item) {
  return on_strand<PipelineResult<WorkItem>>(
      impl_, [impl = impl_, item = std::move(item)] { return impl->items.create_item(item); });
}

asio::awaitable<PipelineResult<std::string>> Pipeline::commit_paths(std::vector<std::string> paths,
                                                                    std::string message) {
  return on_strand<PipelineResult<std::string>>(
      impl_,
      [impl = impl_, paths = std::move(paths),
       message = std::move(message)]() -> asio::awaitable<PipelineResult<std::string>> {
        auto commit = [root = impl->context.options.project_root, paths,
                       message]() -> PipelineResult<std::string> {
          auto repo = GitRepo::open(root);
          if (!repo.ok())
            return fail(PipelineError(PipelineError::Kind::Failed, repo.error().message()));
          auto committed = commit_paths_retrying(repo.value(), paths, message);
          if (!committed.ok())
            return fail(PipelineError(PipelineError::Kind::Failed, committed.error().message()));
          return std::move(committed.value());
        };
        auto result = co_await impl->context.in_checkout(commit);
        co_return result;
      });
}

asio::awaitable<MergeStatus> Pipeline::merge_status() {
  return on_strand<MergeStatus>(
      impl_, [impl = impl_]() -> asio::awaitable<MergeStatus> { co_return impl->merges.status(); });
}

asio::awaitable<bool> Pipeline::idle() {
  return on_strand<bool>(impl_,
                         [impl = impl_]() -> asio::awaitable<bool> { co_return impl->idle(); });
}

asio::awaitable<std::vector<PipelineEvent>> Pipeline::events_after(std::int64_t seq,
                                                                   std::size_t limit) {
  return on_strand<std::vector<PipelineEvent>>(
      impl_, [impl = impl_, seq, limit]() -> asio::awaitable<std::vector<PipelineEvent>> {
        co_return impl->context.events.after(seq, limit);
      });
}

asio::awaitable<std::uint64_t> Pipeline::subscribe(PipelineListener listener) {
  return on_strand<std::uint64_t>(
      impl_, [impl = impl_, listener = std::move(listener)]() -> asio::awaitable<std::uint64_t> {
        co_return impl->context.events.subscribe(listener);
      });
}

std::uint64_t Pipeline::work_version() const {
  return impl_->context.events.version();
}

asio::awaitable<void> Pipeline::unsubscribe(std::uint64_t id) {
  return on_strand<void>(impl_, [impl = impl_, id]() -> asio::awaitable<void> {
    impl->context.events.unsubscribe(id);
    co_return;
  });
}

asio::awaitable<void> Pipeline::set_config(std::shared_ptr<const ProjectConfig> config) {
  return on_strand<void>(
      impl_, [impl = impl_, config = std::move(config)]() mutable -> asio::awaitable<void> {
        impl->context.config = std::move(config);
        co_return;
      });
}

}  // namespace stork::engine
