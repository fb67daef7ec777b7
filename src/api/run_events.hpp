// Reading a run's events from the state database without missing the newest: the pool fans
// events out at once but writes them to SQLite in batches (every few milliseconds), so a
// reader first asks the pool to flush (flush_pool_events), then reads.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "api/api_error.hpp"
#include "state/records.hpp"

namespace stork::agents {
class AgentPool;
}

namespace stork::api {

// After this returns, every event the pool had fanned out for any run before the call is in
// the state database. `story` and `agent` name a run the pool may know (when it knows none of
// theirs, nothing of theirs is pending and nothing needs flushing).
boost::asio::awaitable<void> flush_pool_events(agents::AgentPool& pool, const std::string& story,
                                               const std::string& agent);

class ApiContext;

// The run's record from the state database, on the shared workers; not_found "no run N".
boost::asio::awaitable<ApiResult<state::RunRecord>> read_run_record(ApiContext& context,
                                                                    std::int64_t run);

}  // namespace stork::api
