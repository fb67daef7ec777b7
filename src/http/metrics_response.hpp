// The response for a /metrics route: Metrics::render() as Prometheus text format 0.0.4.
#pragma once

#include "http/metrics.hpp"
#include "http/response.hpp"

namespace stork::http {

Response metrics_response(const Metrics& metrics);

}  // namespace stork::http
