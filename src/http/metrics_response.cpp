#include "http/metrics_response.hpp"

namespace stork::http {

Response metrics_response(const Metrics& metrics) {
  return Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace stork::http
