// One line of storkit's .storkit/token_usage.jsonl for a finished run's usage (the format is
// documented in run_store.hpp). Serialised with Boost.JSON, so any story id or model name
// is escaped correctly.
#pragma once

#include <cstdint>
#include <string>

#include "state/records.hpp"

namespace stork::state {

// The JSON object followed by '\n'.
std::string token_usage_line(const TokenUsageRecord& usage);

// "2026-11-21T10:00:00Z": unix milliseconds as UTC, to the second.
std::string utc_timestamp(std::int64_t unix_ms);

}  // namespace stork::state
