// `stork agent start|stop|say|list|runs|logs`: the server's agent pool from the shell. `list` is
// the roster (each agent and what it does now); `runs` the runs themselves, newest first, with
// each run's own cost; `logs` one run's events (the newest on an item, or any by --run); `say`
// tells a running agent something (or queues it for its next start).
#include <chrono>
#include <thread>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "agents/event_summary.hpp"
#include "base/usd.hpp"
#include "cli/client_commands.hpp"
#include "cli/server_call.hpp"

namespace stork::cli {
namespace json = boost::json;
namespace {

struct AgentArgs {
  ServerArgs server;
  std::string id;
  std::string agent;
  bool follow = false;
  int poll_ms = 500;
  std::int64_t run = 0;  // logs --run: this run, whatever its item
  int limit = 50;        // runs --limit
  std::string text;      // say
};

std::string text_of(const json::value* value) {
  if (value == nullptr || value->is_null()) return "-";
  if (value->is_string()) return std::string(value->as_string());
  return json::serialize(*value);
}

std::string field(const json::object& object, std::string_view key) {
  return text_of(object.if_contains(key));
}

void print_json(CliContext& context, const json::value& value) {
  context.out << json::serialize(value) << "\n";
}

void run_start(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  json::object body{{"story_id", args.id}};
  if (!args.agent.empty()) body["agent"] = args.agent;
  auto run = call_server(context, *client, "POST", "/api/agents/start", json::serialize(body));
  if (!run) return;
  if (args.server.json) return print_json(context, *run);
  const auto& info = run->as_object();
  context.out << fmt::format("started {} on {} (run {}, {})\n", field(info, "agent"),
                             field(info, "story_id"), field(info, "run_id"), field(info, "status"));
}

void run_stop(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  json::object body{{"story_id", args.id}, {"agent", args.agent}};
  auto run = call_server(context, *client, "POST", "/api/agents/stop", json::serialize(body));
  if (!run) return;
  if (args.server.json) return print_json(context, *run);
  const auto& info = run->as_object();
  context.out << fmt::format("stopped {} on {} (run {}, {})\n", field(info, "agent"),
                             field(info, "story_id"), field(info, "run_id"), field(info, "status"));
}

void run_say(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  json::object body{{"story_id", args.id}, {"text", args.text}};
  if (!args.agent.empty()) body["agent"] = args.agent;
  auto receipt = call_server(context, *client, "POST", "/api/agents/say", json::serialize(body));
  if (!receipt) return;
  if (args.server.json) return print_json(context, *receipt);
  const auto& info = receipt->as_object();
  if (field(info, "delivery") == "live") {
    context.out << fmt::format("told {} on {} (run {}): delivered to the live session\n",
                               field(info, "agent"), field(info, "story_id"),
                               field(info, "run_id"));
  } else {
    context.out << fmt::format("queued for {} on {} (run {}): {}; it is given at the next start\n",
                               field(info, "agent"), field(info, "story_id"), field(info, "run_id"),
                               field(info, "reason"));
  }
}

void run_list(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  auto roster = call_server(context, *client, "GET", "/api/agents");
  if (!roster) return;
  if (args.server.json) return print_json(context, *roster);
  const auto& agents = roster->as_object().at("agents").as_array();
  if (agents.empty()) {
    context.out << "no agents configured\n";
    return;
  }
  std::size_t name_width = 4;
  std::size_t item_width = 4;
  for (const auto& agent : agents) {
    name_width = std::max(name_width, field(agent.as_object(), "name").size());
    item_width = std::max(item_width, field(agent.as_object(), "story_id").size());
  }
  const auto row = [&](std::string_view name, std::string_view stage, std::string_view status,
                       std::string_view item, std::string_view model, std::string_view runtime) {
    context.out << fmt::format("{:<{}}  {:<11}  {:<9}  {:<{}}  {:<16}  {}\n", name, name_width,
                               stage, status, item, item_width, model, runtime);
  };
  row("NAME", "STAGE", "STATUS", "ITEM", "MODEL", "RUNTIME");
  for (const auto& agent : agents) {
    const auto& info = agent.as_object();
    auto model = field(info, "model");
    row(field(info, "name"), field(info, "stage"), field(info, "status"), field(info, "story_id"),
        model.empty() ? "-" : model, field(info, "runtime"));
  }
}

std::string cost_of(const json::object& run) {
  const auto* cost = run.if_contains("cost_usd");
  return cost != nullptr && cost->is_number() ? format_usd(cost->to_number<double>()) : "-";
}

void run_runs(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  std::string target = "/api/runs?limit=" + std::to_string(args.limit);
  if (!args.id.empty()) target += "&story=" + url_component(args.id);
  auto answer = call_server(context, *client, "GET", target);
  if (!answer) return;
  if (args.server.json) return print_json(context, *answer);
  const auto& runs = answer->as_object().at("runs").as_array();
  if (runs.empty()) {
    context.out << (args.id.empty() ? "no runs yet\n" : "no runs on " + args.id + "\n");
    return;
  }
  const auto row = [&](std::string_view run, std::string_view item, std::string_view agent,
                       std::string_view status, std::string_view model, std::string_view cost,
                       std::string_view session) {
    context.out << fmt::format("{:<5}  {:<24}  {:<14}  {:<11}  {:<18}  {:>8}  {}\n", run, item,
                               agent, status, model, cost, session);
  };
  row("RUN", "ITEM", "AGENT", "STATUS", "MODEL", "COST", "SESSION");
  for (const auto& entry : runs) {
    const auto& run = entry.as_object();
    auto model = field(run, "model");
    auto resumes = field(run, "resumes_run");
    auto session = field(run, "session_id");
    if (resumes != "-") session += " (resumes run " + resumes + ")";
    row(field(run, "id"), field(run, "story_id"), field(run, "agent"), field(run, "status"),
        model.empty() ? "-" : model, cost_of(run), session);
  }
}

// The newest run of `agent` (any agent when empty) on the item, from GET /api/runs.
std::optional<std::int64_t> find_run(CliContext& context, const ApiClient& client,
                                     const AgentArgs& args) {
  auto runs =
      call_server(context, client, "GET", "/api/runs?limit=1000&story=" + url_component(args.id));
  if (!runs) return std::nullopt;
  for (const auto& run : runs->as_object().at("runs").as_array()) {
    const auto& info = run.as_object();
    if (args.agent.empty() || info.at("agent").as_string() == args.agent)
      return info.at("id").as_int64();
  }
  context.fail(kExitFailure,
               "no runs of " + (args.agent.empty() ? "any agent" : args.agent) + " on " + args.id);
  return std::nullopt;
}

agents::AgentEvent event_of(const json::object& event, std::int64_t run) {
  agents::AgentEvent out;
  out.run_id = run;
  out.seq = event.at("seq").as_int64();
  out.time_ms = event.at("time_ms").as_int64();
  out.type = std::string(event.at("type").as_string());
  out.payload = json::serialize(event.at("payload"));
  return out;
}

void run_logs(CliContext& context, const AgentArgs& args) {
  auto client = open_client(context, args.server);
  if (!client) return;
  auto run =
      args.run > 0 ? std::optional<std::int64_t>(args.run) : find_run(context, *client, args);
  if (!run) return;
  std::int64_t after = 0;
  for (;;) {
    auto page = call_server(
        context, *client, "GET",
        "/api/runs/" + std::to_string(*run) + "/events?limit=1000&after=" + std::to_string(after));
    if (!page) return;
    const auto& answer = page->as_object();
    const auto& events = answer.at("events").as_array();
    for (const auto& event : events) {
      if (args.server.json) {
        print_json(context, event);
      } else {
        context.out << agents::summarize(event_of(event.as_object(), *run)) << "\n";
      }
    }
    context.out.flush();
    after = answer.at("last_seq").as_int64();
    if (answer.at("complete").as_bool()) return;
    if (events.size() >= 1000) continue;  // more is already there
    if (!args.follow) return;
    // Polling, not synchronisation: new events are looked for twice a second.
    std::this_thread::sleep_for(std::chrono::milliseconds(args.poll_ms));
  }
}

}  // namespace

void add_agent_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<AgentArgs>();
  auto* agent = app.add_subcommand("agent", "Start, stop, list and follow agents of the server");
  agent->require_subcommand(1);

  auto* start = agent->add_subcommand("start", "Start an agent on an item");
  start->add_option("ID", args->id, "Item id or number")->required();
  start->add_option("--agent", args->agent, "Which agent (default: a free coder)");
  add_server_options(start, args->server);
  start->callback([&context, args] { run_start(context, *args); });

  auto* stop = agent->add_subcommand("stop", "Stop an agent's run (its worktree is kept)");
  stop->add_option("ID", args->id, "Item id or number")->required();
  stop->add_option("AGENT", args->agent, "The agent's name")->required();
  add_server_options(stop, args->server);
  stop->callback([&context, args] { run_stop(context, *args); });

  auto* say = agent->add_subcommand("say", "Tell a running agent something (or its next start)");
  say->add_option("ID", args->id, "Item id or number")->required();
  say->add_option("TEXT", args->text, "The message")->required();
  say->add_option("--agent", args->agent, "Which agent (default: the one running on the item)");
  add_server_options(say, args->server);
  say->callback([&context, args] { run_say(context, *args); });

  auto* list = agent->add_subcommand("list", "Every configured agent and what it is doing");
  add_server_options(list, args->server);
  list->callback([&context, args] { run_list(context, *args); });

  auto* runs = agent->add_subcommand("runs", "List runs, newest first, with each run's cost");
  runs->add_option("ID", args->id, "Only this item's runs (id or number)");
  runs->add_option("--limit", args->limit, "At most this many runs")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  add_server_options(runs, args->server);
  runs->callback([&context, args] { run_runs(context, *args); });

  auto* logs = agent->add_subcommand(
      "logs", "Print the events of the latest run on an item (or of any run with --run)");
  auto* item = logs->add_option("ID", args->id, "Item id or number");
  logs->add_option("--run", args->run, "This run (an id from `stork agent runs`) instead")
      ->check(CLI::PositiveNumber)
      ->excludes(item);
  logs->add_option("--agent", args->agent, "Which agent's run (default: the newest run)");
  logs->add_flag("--follow,-f", args->follow, "Keep printing new events until the run ends");
  add_server_options(logs, args->server);
  logs->callback([&context, args] {
    if (args->id.empty() && args->run == 0)
      return context.fail(kExitUsage, "agent logs: give an item ID or --run RUN");
    run_logs(context, *args);
  });
}

}  // namespace stork::cli
