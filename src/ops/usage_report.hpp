// Token usage summed by item, agent, model or day (UTC), with a total: what GET /api/usage and
// `stork cost` report. Pure: it only adds up the records it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "state/records.hpp"

namespace stork::ops {

enum class UsageGrouping { Item, Agent, Model, Day };

std::optional<UsageGrouping> parse_usage_grouping(std::string_view text);  // item|agent|model|day
std::string_view to_string(UsageGrouping grouping);

struct UsageTotals {
  std::string key;  // the item id, agent, model ("" when unknown) or "YYYY-MM-DD"; "" for total
  std::int64_t input_tokens = 0, output_tokens = 0, cache_creation_input_tokens = 0,
               cache_read_input_tokens = 0;
  double cost_usd = 0;
  std::int64_t runs = 0;     // distinct runs
  std::int64_t records = 0;  // usage records (a run resumed after a limit has several)
};

struct UsageReport {
  std::vector<UsageTotals> rows;  // items by number, days oldest first, others by name
  UsageTotals total;
};

UsageReport summarize_usage(const std::vector<state::TokenUsageRecord>& records,
                            UsageGrouping grouping);

// {"by", "rows": [totals...], "total"} as GET /api/usage answers and `stork cost --json` prints.
boost::json::object usage_report_json(const UsageReport& report, UsageGrouping grouping);

// "2026-11-21" for a Unix time in milliseconds, in UTC.
std::string utc_day(std::int64_t unix_ms);

}  // namespace stork::ops
