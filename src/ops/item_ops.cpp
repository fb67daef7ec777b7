#include "ops/item_ops.hpp"

#include <memory>

#include "base/offload.hpp"
#include "engine/pipeline.hpp"
#include "git/work_commits.hpp"
#include "ops/item_lookup.hpp"
#include "work/item_file.hpp"

namespace stork::ops {
namespace asio = boost::asio;

ItemOps::ItemOps(OpsServices services) : services_(std::move(services)) {}

asio::awaitable<OpResult<std::string>> ItemOps::resolve(std::string text) {
  auto locate = [root = services_.project_root, text]() -> OpResult<std::string> {
    auto entry = locate_item(root, text);
    if (!entry.ok()) return fail(entry.error());
    return entry.value().id.str();
  };
  auto id = co_await offload(services_.workers, locate);
  co_return id;
}

asio::awaitable<OpResult<ItemView>> ItemOps::show(std::string text) {
  auto load = [root = services_.project_root, text]() -> OpResult<ItemView> {
    auto item = load_item(root, text);
    if (!item.ok()) return fail(item.error());
    return view_of(item.value(), root);
  };
  auto view = co_await offload(services_.workers, load);
  co_return view;
}

asio::awaitable<ItemListing> ItemOps::list(std::optional<Stage> only, ViewDepth depth) {
  auto config = services_.config ? services_.config() : nullptr;
  const auto max_bytes = config ? config->limits.item_file_bytes : kDefaultMaxItemBytes;
  auto read = [root = services_.project_root, only, depth, max_bytes] {
    StageStore store(root);
    store.set_max_item_bytes(max_bytes);
    auto loaded = store.load_all(only);
    ItemListing listing;
    listing.items.reserve(loaded.items.size());
    for (const auto& item : loaded.items)
      listing.items.push_back(view_of(item, root, depth));
    listing.problems = std::move(loaded.problems);
    return listing;
  };
  auto listing = co_await offload(services_.workers, read);
  co_return listing;
}

asio::awaitable<OpResult<ItemView>> ItemOps::create(NewItem item) {
  if (auto named = check_item_name(item.name); !named.ok()) co_return fail(named.error());
  auto config = services_.config ? services_.config() : nullptr;
  if (item.agent) {
    if (auto known = check_agent(config.get(), "agent", *item.agent); !known.ok())
      co_return fail(known.error());
  }
  // Checked before anything is written, beside the dependencies (one trip to the workers).
  auto resolve_all = [root = services_.project_root,
                      wanted = item.depends_on]() -> OpResult<std::vector<std::string>> {
    if (auto refusal = refuse_item_before_first_commit(root))
      return fail(OpError(OpError::Kind::Conflict, *refusal));
    return resolve_dependencies(root, {}, wanted);
  };
  auto dependencies = co_await offload(services_.workers, resolve_all);
  if (!dependencies.ok()) co_return fail(dependencies.error());
  item.depends_on = std::move(dependencies.value());
  auto created = co_await services_.pipeline->create_item(item);
  if (!created.ok()) co_return fail(from_pipeline(created.error()));
  co_return view_of(created.value(), services_.project_root);
}

asio::awaitable<OpResult<ItemView>> ItemOps::edit(std::string text,
                                                  std::function<OpResult<void>(WorkItem&)> edit) {
  auto story = co_await resolve(text);
  if (!story.ok()) co_return fail(story.error());
  // The pipeline takes a text refusal; the typed one travels beside it.
  auto refusal = std::make_shared<std::optional<OpError>>();
  std::function<Result<void, std::string>(WorkItem&)> apply =
      [edit = std::move(edit), refusal](WorkItem& item) -> Result<void, std::string> {
    auto done = edit(item);
    if (done.ok()) return {};
    *refusal = done.error();
    return fail(done.error().message);
  };
  auto edited = co_await services_.pipeline->edit_item(story.value(), apply);
  if (*refusal) co_return fail(std::move(**refusal));
  if (!edited.ok()) co_return fail(from_pipeline(edited.error(), story.value()));
  co_return view_of(edited.value(), services_.project_root);
}

asio::awaitable<OpResult<ItemView>> ItemOps::update(std::string text, UpdateRequest request) {
  if (request.patch.empty() && !request.depends_on) {
    co_return fail(invalid_input(
        "", "nothing to change: give at least one of name, agent, qa, depends_on, manual_qa"));
  }
  if (request.patch.name && *request.patch.name) {
    if (auto named = check_item_name(**request.patch.name); !named.ok())
      co_return fail(named.error());
  }
  auto config = services_.config ? services_.config() : nullptr;
  if (request.patch.agent && *request.patch.agent) {
    auto known = check_agent(config.get(), "agent", **request.patch.agent);
    if (!known.ok()) co_return fail(known.error());
  }
  auto story = co_await resolve(text);
  if (!story.ok()) co_return fail(story.error());
  if (request.depends_on) {
    auto resolve_all = [root = services_.project_root, self = story.value(),
                        wanted = *request.depends_on] {
      return resolve_dependencies(root, self, wanted);
    };
    auto dependencies = co_await offload(services_.workers, resolve_all);
    if (!dependencies.ok()) co_return fail(dependencies.error());
    request.patch.depends_on = std::move(dependencies.value());
  }
  std::function<OpResult<void>(WorkItem&)> apply =
      [patch = request.patch](WorkItem& item) -> OpResult<void> {
    patch.apply(item);
    return {};
  };
  auto edited = co_await edit(story.value(), apply);
  co_return edited;
}

asio::awaitable<OpResult<ItemView>> ItemOps::check_criterion(std::string text, std::size_t index,
                                                             bool checked) {
  std::function<OpResult<void>(WorkItem&)> apply = [index, checked](WorkItem& item) {
    return set_criterion(item, index, checked);
  };
  auto edited = co_await edit(text, apply);
  co_return edited;
}

asio::awaitable<OpResult<TestResults>> ItemOps::record_tests(std::string text, std::int64_t passed,
                                                             std::int64_t failed,
                                                             std::optional<std::string> summary) {
  auto written = std::make_shared<std::string>();
  std::function<OpResult<void>(WorkItem&)> apply = [=](WorkItem& item) -> OpResult<void> {
    *written = record_test_results(item, passed, failed, summary);
    return {};
  };
  auto edited = co_await edit(text, apply);
  if (!edited.ok()) co_return fail(edited.error());
  co_return TestResults{edited.value().id, *written, failed == 0};
}

}  // namespace stork::ops
