// ItemOps::timeline: reads an item's journal events, runs and run events from the state
// database on the app's workers (connections of its own, opened per call: the pipeline's and
// the pool's stay on their strands; WAL lets them all read at once) and builds the timeline.
#include "base/offload.hpp"
#include "ops/item_ops.hpp"
#include "ops/item_timeline.hpp"
#include "pipeline/stage_rules.hpp"
#include "state/journal.hpp"
#include "state/run_store.hpp"

namespace stork::ops {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxRuns = 200;
constexpr std::size_t kMaxRunEvents = 5000;  // per run, for its summary

OpError state_failure(const state::StateError& error) {
  return OpError(OpError::Kind::Failed, "state database: " + error.message);
}

OpResult<std::vector<RunActivity>> read_runs(state::StateStore& store, const std::string& story,
                                             const ProjectConfig* config) {
  auto runs = store.runs(story, kMaxRuns);
  if (!runs.ok()) return fail(state_failure(runs.error()));
  std::vector<RunActivity> out;
  for (auto& run : runs.value()) {
    auto events = store.events_after(run.id, 0, kMaxRunEvents);
    if (!events.ok()) return fail(state_failure(events.error()));
    RunActivity activity{std::move(run), std::move(events.value()), AgentStage::Coder};
    if (config != nullptr) activity.stage = pipeline::agent_stage_of(*config, activity.run.agent);
    out.push_back(std::move(activity));
  }
  return out;
}

OpResult<ItemTimeline> read_timeline(const std::filesystem::path& root, const std::string& story,
                                     const ProjectConfig* config) {
  auto journal = state::Journal::open(root);
  if (!journal.ok()) return fail(state_failure(journal.error()));
  auto events = journal.value()->events_of(story);
  if (!events.ok()) return fail(state_failure(events.error()));
  auto store = state::StateStore::open(root);
  if (!store.ok()) return fail(state_failure(store.error()));
  auto runs = read_runs(*store.value(), story, config);
  if (!runs.ok()) return fail(runs.error());
  return build_timeline(story, events.value(), runs.value());
}

}  // namespace

asio::awaitable<OpResult<ItemTimeline>> ItemOps::timeline(std::string text) {
  auto story = co_await resolve(text);
  if (!story.ok()) co_return fail(story.error());
  auto config = services_.config ? services_.config() : nullptr;
  auto read = [root = services_.project_root, id = story.value(), config] {
    return read_timeline(root, id, config.get());
  };
  auto timeline = co_await offload(services_.workers, read);
  co_return timeline;
}

}  // namespace stork::ops
