#include "ops/usage_report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include <boost/json/array.hpp>

#include "work/story_id.hpp"

namespace stork::ops {

std::optional<UsageGrouping> parse_usage_grouping(std::string_view text) {
  if (text == "item") return UsageGrouping::Item;
  if (text == "agent") return UsageGrouping::Agent;
  if (text == "model") return UsageGrouping::Model;
  if (text == "day") return UsageGrouping::Day;
  return std::nullopt;
}

std::string_view to_string(UsageGrouping grouping) {
  switch (grouping) {
    case UsageGrouping::Item:
      return "item";
    case UsageGrouping::Agent:
      return "agent";
    case UsageGrouping::Model:
      return "model";
    case UsageGrouping::Day:
      return "day";
  }
  return "item";
}

std::string utc_day(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(unix_ms)));
  const year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

namespace {

std::string key_of(const state::TokenUsageRecord& record, UsageGrouping grouping) {
  switch (grouping) {
    case UsageGrouping::Item:
      return record.story;
    case UsageGrouping::Agent:
      return record.agent;
    case UsageGrouping::Model:
      return record.model;
    case UsageGrouping::Day:
      return utc_day(record.recorded_at_ms);
  }
  return record.story;
}

void add(UsageTotals& totals, const state::TokenUsageRecord& record) {
  totals.input_tokens += record.input_tokens;
  totals.output_tokens += record.output_tokens;
  totals.cache_creation_input_tokens += record.cache_creation_input_tokens;
  totals.cache_read_input_tokens += record.cache_read_input_tokens;
  totals.cost_usd += record.cost_usd;
  ++totals.records;
}

// Items sort by their number (so 10 comes after 9), then by id.
bool item_order(const UsageTotals& a, const UsageTotals& b) {
  auto number = [](const std::string& id) {
    auto parsed = parse_story_id(id);
    return parsed.ok() ? parsed.value().number : 0L;
  };
  const long left = number(a.key);
  const long right = number(b.key);
  return left != right ? left < right : a.key < b.key;
}

}  // namespace

UsageReport summarize_usage(const std::vector<state::TokenUsageRecord>& records,
                            UsageGrouping grouping) {
  std::map<std::string, UsageTotals> groups;
  std::map<std::string, std::set<std::int64_t>> runs;
  std::set<std::int64_t> all_runs;
  UsageReport report;
  for (const auto& record : records) {
    auto key = key_of(record, grouping);
    auto& totals = groups[key];
    totals.key = key;
    add(totals, record);
    runs[key].insert(record.run_id);
    add(report.total, record);
    all_runs.insert(record.run_id);
  }
  for (auto& [key, totals] : groups) {
    totals.runs = static_cast<std::int64_t>(runs[key].size());
    report.rows.push_back(std::move(totals));
  }
  report.total.runs = static_cast<std::int64_t>(all_runs.size());
  if (grouping == UsageGrouping::Item)
    std::sort(report.rows.begin(), report.rows.end(), item_order);
  return report;
}

namespace {

boost::json::object totals_json(const UsageTotals& totals) {
  return boost::json::object{{"key", totals.key},
                             {"input_tokens", totals.input_tokens},
                             {"output_tokens", totals.output_tokens},
                             {"cache_creation_input_tokens", totals.cache_creation_input_tokens},
                             {"cache_read_input_tokens", totals.cache_read_input_tokens},
                             {"cost_usd", totals.cost_usd},
                             {"runs", totals.runs},
                             {"records", totals.records}};
}

}  // namespace

boost::json::object usage_report_json(const UsageReport& report, UsageGrouping grouping) {
  boost::json::array rows;
  for (const auto& row : report.rows)
    rows.push_back(totals_json(row));
  boost::json::object total = totals_json(report.total);
  total.erase("key");
  return boost::json::object{
      {"by", to_string(grouping)}, {"rows", std::move(rows)}, {"total", std::move(total)}};
}

}  // namespace stork::ops
