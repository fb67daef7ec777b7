#include "engine/item_operations.hpp"

#include <spdlog/spdlog.h>

#include "engine/merge_queue.hpp"
#include "engine/pipeline_context.hpp"
#include "engine/pipeline_errors.hpp"
#include "git/work_commits.hpp"
#include "pipeline/transitions.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

// storkit writes the reviewer's notes into the item so the coder reads them on its next run.
void append_qa_notes(WorkItem& item, const std::string& notes) {
  const auto& body = item.document.body();
  std::string section = (body.empty() || body.back() == '\n') ? "" : "\n";
  section += "\n## QA Notes\n\n" + notes + "\n";
  item.document.replace_in_body(body.size(), 0, section);
}

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

asio::awaitable<PipelineResult<void>> ItemOperations::request_qa(std::string story) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  if (item.value().stage != Stage::Current)
    co_return fail(wrong_stage(item.value(), "2_current", "only a coder's item goes to QA"));
  const auto id = item.value().id.str();
  const std::string reason = "QA requested";
  auto moved = co_await context_.move_item(id, Stage::Qa, reason);
  if (!moved.ok()) co_return fail(moved.error());
  context_.request_reconcile();  // a QA agent, if the item's mode wants one
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<void>> ItemOperations::approve_qa(std::string story) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  if (item.value().stage != Stage::Qa)
    co_return fail(wrong_stage(item.value(), "3_qa", "only an item in QA can be approved"));
  const auto id = item.value().id.str();
  if (item.value().review_hold()) {
    auto saved = context_.update(id, [](WorkItem& fresh) { fresh.set_review_hold(false); });
    if (!saved.ok()) co_return fail(saved.error());
  }
  context_.emit(id, "qa_approved");
  if (item.value().id.type == ItemType::Spike) {
    // A spike's findings were for a person, who has read them: done, committed, never merged.
    const std::string reason = "spike approved: findings read; spikes never merge";
    auto done = co_await context_.move_item(id, Stage::Done, reason);
    if (!done.ok()) co_return fail(done.error());
    co_return PipelineResult<void>{};
  }
  const std::string reason = "QA approved";
  auto moved = co_await context_.move_item(id, Stage::Merge, reason);
  if (!moved.ok()) co_return fail(moved.error());
  merges_.enqueue(id);
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<void>> ItemOperations::reject_qa(std::string story,
                                                                std::string notes) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  if (item.value().stage != Stage::Qa)
    co_return fail(wrong_stage(item.value(), "3_qa", "only an item in QA can be rejected"));
  if (blank(notes)) {
    co_return fail(invalid_input(item.value().id.str(), "notes",
                                 "a rejection needs notes that tell the coder what to change"));
  }
  const auto id = item.value().id.str();
  auto saved = context_.update(id, [&notes](WorkItem& fresh) {
    fresh.set_review_hold(false);
    append_qa_notes(fresh, notes);
  });
  if (!saved.ok()) co_return fail(saved.error());
  context_.emit(id, "qa_rejected", {{"notes", notes}});
  const std::string reason = "QA rejected";
  auto moved = co_await context_.move_item(id, Stage::Current, reason);
  if (!moved.ok()) co_return fail(moved.error());
  context_.request_reconcile();  // a coder picks it up again, with the notes in the item
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<std::size_t>> ItemOperations::merge(std::string story) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  const auto id = item.value().id.str();
  if (item.value().id.type == ItemType::Spike) {
    co_return fail(invalid_input(id, "story", "'" + id + "' is a spike: spikes never merge"));
  }
  if (item.value().stage != Stage::Merge) {
    auto legal = pipeline::check_item_move(item.value().id.type, item.value().stage, Stage::Merge);
    if (!legal.ok()) co_return fail(wrong_stage(id, item.value().stage, legal.error().message()));
  }
  if (item.value().merge_failure() || item.value().blocked()) {
    auto saved = context_.update(id, [](WorkItem& fresh) {
      fresh.set_merge_failure(std::nullopt);
      fresh.set_blocked(false);
    });
    if (!saved.ok()) co_return fail(saved.error());
  }
  if (item.value().stage != Stage::Merge) {
    const std::string reason = "merge requested";
    auto moved = co_await context_.move_item(id, Stage::Merge, reason);
    if (!moved.ok()) co_return fail(moved.error());
  }
  co_return merges_.enqueue(id);
}

asio::awaitable<PipelineResult<void>> ItemOperations::report_merge_failure(std::string story,
                                                                           std::string reason) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  if (item.value().stage != Stage::Merge)
    co_return fail(wrong_stage(item.value(), "4_merge", "only a merge can fail"));
  if (blank(reason))
    co_return fail(invalid_input(item.value().id.str(), "reason", "say why the merge failed"));
  auto saved = context_.update(item.value().id.str(),
                               [&reason](WorkItem& fresh) { fresh.set_merge_failure(reason); });
  if (!saved.ok()) co_return fail(saved.error());
  context_.emit(item.value().id.str(), "merge_failed", {{"reason", reason}, {"reported", true}});
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<void>> ItemOperations::unblock(std::string story) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  bool was_held = false;
  auto saved = context_.update(item.value().id.str(), [&was_held](WorkItem& fresh) {
    was_held = fresh.blocked() || fresh.merge_failure().has_value();
    fresh.set_blocked(false);
    fresh.set_merge_failure(std::nullopt);
    fresh.set_retry_count(0);
  });
  if (!saved.ok()) co_return fail(saved.error());
  context_.emit(item.value().id.str(), "unblocked", {{"was_held", was_held}});
  context_.request_reconcile();  // back to auto-assign and the merge queue
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<void>> ItemOperations::block(std::string story, std::string reason) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  auto saved = context_.update(item.value().id.str(), [&reason](WorkItem& fresh) {
    fresh.set_blocked(true, reason.empty() ? std::optional<std::string>() : reason);
  });
  if (!saved.ok()) co_return fail(saved.error());
  context_.emit(item.value().id.str(), "blocked", {{"reason", reason}, {"manual", true}});
  co_return PipelineResult<void>{};
}

asio::awaitable<PipelineResult<Stage>> ItemOperations::move(std::string story, Stage to) {
  auto item = context_.load(story);
  if (!item.ok()) co_return fail(item.error());
  auto legal = pipeline::check_item_move(item.value().id.type, item.value().stage, to);
  const auto id = item.value().id.str();
  if (!legal.ok()) co_return fail(wrong_stage(id, item.value().stage, legal.error().message()));
  const std::string reason = "moved by hand";
  auto moved = co_await context_.move_item(id, to, reason);
  if (!moved.ok()) co_return fail(moved.error());
  if (to == Stage::Merge) merges_.enqueue(item.value().id.str());
  context_.request_reconcile();
  co_return to;
}

asio::awaitable<PipelineResult<WorkItem>> ItemOperations::edit_item(
    std::string story, std::function<Result<void, std::string>(WorkItem&)> edit) {
  std::optional<std::string> refused;
  auto item = context_.store.update(story, [&](WorkItem& fresh) -> WorkResult<void> {
    auto edited = edit(fresh);
    if (edited.ok()) return {};
    refused = edited.error();
    return fail(WorkError{WorkErrorKind::InvalidInput, edited.error()});
  });
  if (refused) co_return fail(invalid_input(story, "edit", *refused));
  if (!item.ok()) co_return fail(from_work_error(story, item.error()));
  context_.emit(item.value().id.str(), "item_changed");
  context_.request_reconcile();
  co_return std::move(item.value());
}

asio::awaitable<PipelineResult<WorkItem>> ItemOperations::create_item(NewItem new_item) {
  auto created = context_.store.create(std::move(new_item));
  if (!created.ok()) {
    const auto& error = created.error();
    if (error.kind == WorkErrorKind::Io) co_return fail(failed("", error.render()));
    // The name is checked first; the other refusals are about a dependency.
    const auto* field = error.kind == WorkErrorKind::InvalidInput ? "name" : "depends_on";
    co_return fail(invalid_input("", field, error.render()));
  }
  auto id = created.value().id;
  creating_.insert(id.str());
  auto in_flight = context_.writes_in_flight.insert(id.str());
  auto committed = co_await context_.commit_item(id, WorkEvent::Create);
  creating_.erase(id.str());
  context_.writes_in_flight.erase(in_flight);
  context_.emit(id.str(), "created", {{"name", created.value().name()}});
  context_.request_reconcile();  // it may depend on done items only
  if (committed) {
    co_return fail(failed(id.str(), id.str() + " was created in " + created.value().path.string() +
                                        ", but git refused to commit it: " + *committed));
  }
  co_return std::move(created.value());
}

}  // namespace stork::engine
