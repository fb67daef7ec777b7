// `stork cost [--by item|agent|model|day]`: token usage and cost from the server, per group;
// without a running server, the same report (ops/usage_report.hpp) from state.db, read-only.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/client_commands.hpp"
#include "cli/local_usage.hpp"
#include "cli/server_call.hpp"
#include "ops/usage_report.hpp"

namespace stork::cli {
namespace json = boost::json;

namespace {

std::optional<json::value> local_usage(CliContext& context, const std::filesystem::path& root,
                                       const std::string& by) {
  auto records = read_local_usage(root);
  if (!records.ok()) {
    context.fail(kExitFailure, records.error());
    return std::nullopt;
  }
  const auto grouping = ops::parse_usage_grouping(by).value_or(ops::UsageGrouping::Item);
  return ops::usage_report_json(ops::summarize_usage(records.value(), grouping), grouping);
}

}  // namespace

void add_cost_command(CLI::App& app, CliContext& context) {
  struct CostArgs {
    ServerArgs server;
    std::string by = "item";
  };
  auto args = std::make_shared<CostArgs>();
  auto* cost = app.add_subcommand("cost", "Token usage and cost of the agents' runs");
  cost->add_option("--by", args->by, "Group by item, agent, model or day (UTC)")
      ->check(CLI::IsMember({"item", "agent", "model", "day"}))
      ->capture_default_str();
  add_server_options(cost, args->server);
  cost->callback([&context, args] {
    std::optional<std::filesystem::path> local_root;
    auto client = open_client_or_local(context, args->server, local_root);
    std::optional<json::value> usage;
    if (client) {
      usage = call_server(context, *client, "GET", "/api/usage?by=" + url_component(args->by));
    } else if (local_root) {
      usage = local_usage(context, *local_root, args->by);
    }
    if (!usage) return;
    if (args->server.json) {
      context.out << json::serialize(*usage) << "\n";
      return;
    }
    const auto& rows = usage->as_object().at("rows").as_array();
    std::size_t key_width = 5;
    for (const auto& row : rows)
      key_width = std::max(key_width, row.as_object().at("key").as_string().size());
    const auto line = [&](std::string_view key, const json::object& totals) {
      context.out << fmt::format(
          "{:<{}}  {:>10}  {:>10}  {:>11}  {:>10}  {:>4}  {:>9.4f}\n", key, key_width,
          totals.at("input_tokens").as_int64(), totals.at("output_tokens").as_int64(),
          totals.at("cache_creation_input_tokens").as_int64(),
          totals.at("cache_read_input_tokens").as_int64(), totals.at("runs").as_int64(),
          totals.at("cost_usd").to_number<double>());
    };
    std::string heading = args->by;
    for (auto& c : heading)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    context.out << fmt::format("{:<{}}  {:>10}  {:>10}  {:>11}  {:>10}  {:>4}  {:>9}\n", heading,
                               key_width, "INPUT", "OUTPUT", "CACHE_WRITE", "CACHE_READ", "RUNS",
                               "COST_USD");
    for (const auto& row : rows) {
      const auto& totals = row.as_object();
      const auto key = std::string(totals.at("key").as_string());
      line(key.empty() ? "(unknown)" : key, totals);
    }
    line("TOTAL", usage->as_object().at("total").as_object());
  });
}

}  // namespace stork::cli
