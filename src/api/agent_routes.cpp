// Agents: GET /api/agents (the roster with what each agent is doing), POST /api/agents/start and
// POST /api/agents/stop, through the agent operations (ops/agent_ops.hpp); a refusal comes back
// typed and is rendered here.
#include <set>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/agent_ops.hpp"
#include "ops/run_json.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

json::value optional_int(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// The run an agent is busy with (the newest active one), and its latest run of any kind.
struct AgentRuns {
  const agents::AgentInfo* active = nullptr;
  const agents::AgentInfo* latest = nullptr;
};

AgentRuns runs_of(const std::string& agent, const std::vector<agents::AgentInfo>& runs) {
  AgentRuns found;
  for (const auto& run : runs) {
    if (run.agent_name != agent) continue;
    if (found.latest == nullptr || run.started_at_ms >= found.latest->started_at_ms)
      found.latest = &run;
    if (agents::is_active(run.status) &&
        (found.active == nullptr || run.started_at_ms >= found.active->started_at_ms))
      found.active = &run;
  }
  return found;
}

json::object roster_entry(const std::string& name, const AgentConfig* config,
                          const ProjectConfig* project, const AgentRuns& runs) {
  std::string model;
  if (runs.active != nullptr) {
    model = runs.active->model;
  } else if (config != nullptr && config->model) {
    model = *config->model;
  } else if (config != nullptr && config->stage == AgentStage::Coder && project != nullptr &&
             project->default_coder_model) {
    model = *project->default_coder_model;
  }
  json::object entry{
      {"name", name},
      {"configured", config != nullptr},
      {"stage", config ? json::value(to_string(config->stage)) : json::value(nullptr)},
      {"role", config ? json::value(config->role) : json::value("")},
      {"runtime", config ? json::value(config->runtime)
                         : json::value(runs.latest ? runs.latest->runtime : "")},
      {"model", model},
      {"status",
       runs.active ? json::value(agents::to_string(runs.active->status)) : json::value("idle")},
      {"story_id", runs.active ? json::value(runs.active->story_id) : json::value(nullptr)},
      {"run_id", runs.active ? json::value(runs.active->run_id) : json::value(nullptr)},
      {"started_at_ms",
       runs.active ? json::value(runs.active->started_at_ms) : json::value(nullptr)},
      {"blocked_until_ms",
       runs.active ? optional_int(runs.active->blocked_until_ms) : json::value(nullptr)}};
  entry["last_run"] = runs.latest ? json::value(ops::run_json(*runs.latest)) : json::value(nullptr);
  return entry;
}

asio::awaitable<http::Response> list_agents(ContextPtr context) {
  const auto runs = co_await context->services().pool->list_agents();
  const auto config = context->config();
  json::array roster;
  std::set<std::string> listed;
  if (config) {
    for (const auto& agent : config->agents) {
      roster.push_back(roster_entry(agent.name, &agent, config.get(), runs_of(agent.name, runs)));
      listed.insert(agent.name);
    }
  }
  // Agents removed from project.toml whose runs the pool still knows.
  for (const auto& run : runs) {
    if (!listed.insert(run.agent_name).second) continue;
    roster.push_back(
        roster_entry(run.agent_name, nullptr, config.get(), runs_of(run.agent_name, runs)));
  }
  co_return json_response(200, json::object{{"agents", std::move(roster)}});
}

http::Response agent_op_failure(const ops::AgentOpError& error) {
  if (const auto* lookup = std::get_if<ops::OpError>(&error.cause)) return op_failure(*lookup);
  return to_response(from_pool(std::get<agents::PoolError>(error.cause)));
}

// {story_id, agent}: what start and stop read; stop needs the agent, start may pick one.
struct AgentRequest {
  std::string story;
  std::optional<std::string> agent;
};

ApiResult<AgentRequest> read_agent_request(const http::Request& request, bool agent_required) {
  auto body = JsonBody::parse(request);
  if (!body.ok()) return fail(body.error());
  if (auto known = body.value().only({"story_id", "agent"}); !known.ok())
    return fail(known.error());
  auto story = body.value().required_string("story_id");
  if (!story.ok()) return fail(story.error());
  if (agent_required) {
    auto agent = body.value().required_string("agent");
    if (!agent.ok()) return fail(agent.error());
    return AgentRequest{story.value(), agent.value()};
  }
  auto agent = body.value().string("agent");
  if (!agent.ok()) return fail(agent.error());
  return AgentRequest{story.value(), agent.value()};
}

asio::awaitable<http::Response> start_agent(ContextPtr context, http::Request& request) {
  auto read = read_agent_request(request, false);
  if (!read.ok()) co_return to_response(read.error());
  ops::AgentOps agents(*context->services().items);
  auto started = co_await agents.start(read.value().story, read.value().agent);
  if (!started.ok()) co_return agent_op_failure(started.error());
  co_return json_response(201, ops::run_json(started.value()));
}

asio::awaitable<http::Response> stop_agent(ContextPtr context, http::Request& request) {
  auto read = read_agent_request(request, true);
  if (!read.ok()) co_return to_response(read.error());
  ops::AgentOps agents(*context->services().items);
  auto stopped = co_await agents.stop(read.value().story, *read.value().agent);
  if (!stopped.ok()) co_return agent_op_failure(stopped.error());
  co_return json_response(200, ops::run_json(stopped.value()));
}

}  // namespace

void add_agent_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/agents", [context](http::Request&) { return list_agents(context); }, "agents");
  router.add(
      "POST", "/api/agents/start",
      [context](http::Request& request) { return start_agent(context, request); }, "agents_start");
  router.add(
      "POST", "/api/agents/stop",
      [context](http::Request& request) { return stop_agent(context, request); }, "agents_stop");
}

}  // namespace stork::api
