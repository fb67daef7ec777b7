// `stork status`: the server's view of the pipeline: each stage's items with their flags, the
// agents working on them and what they have cost, then the merge queue. Without a running
// server, the same view (ops/board_view.hpp) from the item files and state.db, read-only: no
// agents run then and no merge is queued.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/usd.hpp"
#include "cli/client_commands.hpp"
#include "cli/local_usage.hpp"
#include "cli/server_call.hpp"
#include "ops/board_view.hpp"

namespace stork::cli {
namespace json = boost::json;
namespace {

std::string flags_of(const json::object& flags) {
  std::string text;
  auto add = [&text](std::string_view flag) {
    text += (text.empty() ? "" : ",") + std::string(flag);
  };
  if (flags.at("blocked").as_bool()) add("blocked");
  if (flags.at("review_hold").as_bool()) add("review_hold");
  if (flags.contains("merge_failure")) add("merge_failure");
  if (auto retries = flags.at("retry_count").as_int64(); retries > 0)
    add("retries=" + std::to_string(retries));
  return text;
}

std::string agents_of(const json::array& runs) {
  std::string text;
  for (const auto& run : runs) {
    const auto& info = run.as_object();
    text += (text.empty() ? "" : ", ") + std::string(info.at("agent").as_string()) + " " +
            std::string(info.at("status").as_string());
  }
  return text;
}

void print_status(CliContext& context, const json::object& pipeline, const json::object& merge) {
  const auto& stages = pipeline.at("stages").as_object();
  for (const char* stage : {"backlog", "current", "qa", "merge", "done"}) {
    const auto& items = stages.at(stage).as_array();
    context.out << fmt::format("{} ({})\n", stage, items.size());
    for (const auto& entry : items) {
      const auto& item = entry.as_object();
      std::string extra;
      auto flags = flags_of(item.at("flags").as_object());
      if (!flags.empty()) extra += "  [" + flags + "]";
      auto agents = agents_of(item.at("agents").as_array());
      if (!agents.empty()) extra += "  " + agents;
      const auto& cost = item.at("cost_usd");
      if (cost.is_number() && cost.to_number<double>() > 0)
        extra += "  " + format_usd(cost.to_number<double>());
      context.out << fmt::format("  {}  {}{}\n", std::string(item.at("id").as_string()),
                                 std::string(item.at("name").as_string()), extra);
    }
  }
  const auto archived = stages.at("archived").as_array().size();
  if (archived > 0) context.out << fmt::format("archived ({})\n", archived);
  const auto& running = merge.at("running");
  if (running.is_object()) {
    context.out << fmt::format("merging: {} ({})\n",
                               std::string(running.as_object().at("story").as_string()),
                               std::string(running.as_object().at("step").as_string()));
  }
  const auto& queued = merge.at("queued").as_array();
  if (!queued.empty()) {
    std::string names;
    for (const auto& story : queued)
      names += (names.empty() ? "" : ", ") + std::string(story.as_string());
    context.out << "merge queue: " << names << "\n";
  }
  for (const auto& problem : pipeline.at("problems").as_array())
    context.warn(std::string(problem.as_string()));
}

// The board as `stork serve` would render it, with no runs active.
json::object local_pipeline(const std::filesystem::path& root) {
  return ops::board_json(ops::read_board(root, read_local_usage(root)), root, {});
}

}  // namespace

void add_status_command(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<ServerArgs>();
  auto* status = app.add_subcommand(
      "status", "The pipeline: stages, items, active runs, costs (no server: from the files)");
  add_server_options(status, *args);
  status->callback([&context, args] {
    std::optional<std::filesystem::path> local_root;
    auto client = open_client_or_local(context, *args, local_root);
    if (!client && local_root) {
      const json::object pipeline = local_pipeline(*local_root);
      const json::object merge{{"running", nullptr}, {"queued", json::array{}}};
      if (args->json) {
        context.out << json::serialize(json::object{
                           {"pipeline", pipeline}, {"merge", merge}, {"server", false}})
                    << "\n";
        return;
      }
      print_status(context, pipeline, merge);
      context.out << "(no server running: read from the item files and state.db)\n";
      return;
    }
    if (!client) return;
    auto pipeline = call_server(context, *client, "GET", "/api/pipeline");
    if (!pipeline) return;
    auto merge = call_server(context, *client, "GET", "/api/merge");
    if (!merge) return;
    if (args->json) {
      context.out << json::serialize(
                         json::object{{"pipeline", *pipeline}, {"merge", *merge}, {"server", true}})
                  << "\n";
      return;
    }
    print_status(context, pipeline->as_object(), merge->as_object());
  });
}

}  // namespace stork::cli
