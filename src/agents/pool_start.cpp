// start_agent in five named steps, all in one strand handler: locate the item, choose the agent
// (named, or picked for the item's stage), check the stage and concurrency rules against the
// pool's own runs, move the item if the rules say so, and register the run (whose worktree
// and launch then follow in the background, pool_launch.cpp).
#include <spdlog/spdlog.h>

#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"
#include "agents/runtime/event_translation.hpp"
#include "pipeline/agent_selection.hpp"
#include "pipeline/stage_rules.hpp"
#include "pipeline/start_checks.hpp"

namespace stork::agents {

std::string model_of(const AgentConfig& agent, const ProjectConfig& config) {
  if (agent.model) return *agent.model;
  if (agent.stage == AgentStage::Coder && config.default_coder_model) {
    return *config.default_coder_model;
  }
  return "";
}

PoolResult<AgentInfo> AgentPool::Impl::start(const StartRequest& request) {
  if (shutting_down_) return fail(pool_errors::shutting_down());
  auto config = config_;
  auto located = store_.locate(request.story);
  if (!located.ok()) {
    return fail(pool_errors::unknown_story(request.story, located.error().render()));
  }
  StageStore::Entry item = located.value();
  const pipeline::Runs runs = snapshot();
  auto agent_name = choose_agent(request, item, *config, runs);
  if (!agent_name.ok()) return fail(std::move(agent_name).take_error());
  auto allowed = check_rules(agent_name.value(), item, *config, runs);
  if (!allowed.ok()) return fail(std::move(allowed).take_error());
  return register_run(item.id, agent_name.value(),
                      RunRequest{config, request.resume_context, request.resume_session, {}});
}

PoolResult<std::string> AgentPool::Impl::choose_agent(const StartRequest& request,
                                                      StageStore::Entry& item,
                                                      const ProjectConfig& config,
                                                      const pipeline::Runs& runs) {
  if (!request.agent) return choose_stage_agent(item, config, runs);
  auto configured = pipeline::find_configured_agent(config, *request.agent);
  if (!configured.ok()) {
    auto error = pool_errors::unknown_agent(configured.error());
    error.story = item.id.str();
    return fail(std::move(error));
  }
  return *request.agent;
}

// No agent named: a coder by the coder rules, else a free agent of the stage the item is in.
PoolResult<std::string> AgentPool::Impl::choose_stage_agent(StageStore::Entry& item,
                                                            const ProjectConfig& config,
                                                            const pipeline::Runs& runs) {
  auto required = pipeline::required_agent_stage(item.stage);
  if (!required) return fail(pool_errors::no_agent_for_stage(item.id, item.stage));
  if (*required == AgentStage::Coder && item.stage == Stage::Backlog) {
    // storkit moves the item before choosing a coder, so that with every coder busy it
    // still waits in 2_current where auto-assign finds it.
    auto moved = move_to_current(item.id);
    if (!moved.ok()) return fail(pool_errors::unknown_story(item.id.str(), moved.error().render()));
    item.stage = Stage::Current;
    item.path = moved.value().path;
  }
  auto loaded = store_.load_entry(item);
  std::optional<std::string> preferred;
  if (loaded.ok()) preferred = loaded.value().agent();
  if (*required == AgentStage::Coder) {
    auto selected = pipeline::select_coder(item.id, preferred, config, runs);
    if (!selected.ok()) return fail(pool_errors::from_selection(selected.error(), item.stage));
    return selected.value();
  }
  auto pick = pipeline::pick_agent(config, *required, preferred, pipeline::busy_agents(runs));
  if (pick.kind != pipeline::AgentPick::Kind::Picked) {
    return fail(pool_errors::from_pick(pick, *required, item.id, item.stage));
  }
  return pick.agent;
}

PoolResult<void> AgentPool::Impl::check_rules(const std::string& agent_name,
                                              const StageStore::Entry& item,
                                              const ProjectConfig& config,
                                              const pipeline::Runs& runs) {
  const AgentStage agent_stage = pipeline::agent_stage_of(config, agent_name);
  auto attach = pipeline::check_attach(agent_name, agent_stage, item.id, item.stage);
  if (!attach.ok()) return fail(pool_errors::from_mismatch(attach.error()));
  auto conflicts = pipeline::check_start_conflicts(item.id, agent_name, config, runs);
  if (!conflicts.ok()) {
    auto error = pool_errors::from_conflict(conflicts.error());
    error.stage = item.stage;
    const std::string& holder_story = error.busy_on.empty() ? error.story : error.busy_on;
    if (auto holder = find(holder_story, error.holder)) {
      error.holder_run = holder->info.run_id;
      error.holder_status = holder->info.status;
    }
    return fail(std::move(error));
  }
  if (attach.value() == pipeline::AttachAction::MoveToCurrentThenAttach) {
    auto moved = move_to_current(item.id);
    if (!moved.ok()) return fail(pool_errors::unknown_story(item.id.str(), moved.error().render()));
  }
  return {};
}

PoolResult<AgentInfo> AgentPool::Impl::register_run(const StoryId& story,
                                                    const std::string& agent_name,
                                                    RunRequest request) {
  const AgentConfig* agent = request.config->find_agent(agent_name);
  if (agent == nullptr) return fail(pool_errors::unknown_agent({agent_name, {}}));
  auto entry = std::make_shared<RunEntry>();
  entry->config = request.config;
  entry->resume_context = std::move(request.resume_context);
  entry->resume_session = request.resume_session;
  AgentInfo& info = entry->info;
  info.story_id = story.str();
  info.agent_name = agent_name;
  info.runtime = agent->runtime;
  info.model = model_of(*agent, *request.config);
  info.started_at_ms = now_ms();

  state::NewRun new_run{info.story_id, info.agent_name, info.model,
                        info.runtime,  std::nullopt,    request.resumes_run};
  if (request.resumes_run && new_run.model.empty()) {
    // The model the resumed run learned (the roster names none); info.model stays the
    // roster's, which is what sessions are remembered under.
    auto resumed = state_->run(*request.resumes_run);
    if (resumed.ok() && resumed.value()) new_run.model = resumed.value()->model;
  }
  auto created = state_->create_run(new_run, info.started_at_ms);
  if (!created.ok()) {
    return fail(pool_errors::state("cannot record the run: " + created.error().message));
  }
  info.run_id = created.value();
  auto& slot = entries_[{info.story_id, info.agent_name}];
  if (slot) wake(*slot);  // waiters on the run this one replaces follow to it
  slot = entry;

  std::vector<RuntimeEvent> events{status_event("pending")};
  emit(*entry, events);
  prepare_worktree(entry);
  return info;
}

}  // namespace stork::agents
