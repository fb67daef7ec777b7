#include "state/token_usage_line.hpp"

#include <ctime>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace stork::state {

std::string utc_timestamp(std::int64_t unix_ms) {
  // Floor division, so a time before 1970 still rounds down to its second.
  std::int64_t seconds = unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0);
  auto time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, size);
}

std::string token_usage_line(const TokenUsageRecord& usage) {
  // boost::json::object keeps insertion order: the keys come out in storkit's order.
  boost::json::object counts;
  counts["input_tokens"] = usage.input_tokens;
  counts["output_tokens"] = usage.output_tokens;
  counts["cache_creation_input_tokens"] = usage.cache_creation_input_tokens;
  counts["cache_read_input_tokens"] = usage.cache_read_input_tokens;
  counts["total_cost_usd"] = usage.cost_usd;

  boost::json::object line;
  line["timestamp"] = utc_timestamp(usage.recorded_at_ms);
  line["story_id"] = usage.story;
  line["agent_name"] = usage.agent;
  line["model"] = usage.model;
  if (usage.session_id) {
    line["session_id"] = *usage.session_id;
  } else {
    line["session_id"] = nullptr;
  }
  line["usage"] = std::move(counts);
  return boost::json::serialize(line) + "\n";
}

}  // namespace stork::state
