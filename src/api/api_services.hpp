// What the REST API and the WebSocket event stream act on. The app fills this in once.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "ops/ops_services.hpp"

namespace stork::ops {
class ItemOps;
class PermissionOps;
class WizardOps;
}  // namespace stork::ops
namespace stork::http {
class Router;
class Metrics;
}  // namespace stork::http

namespace stork::api {

// What the operations act on (project root, pipeline, pool, configuration, the shared workers
// that handlers offload() item files, git and SQLite reads onto), plus the API's own.
struct ApiServices : ops::OpsServices {
  std::string base_branch;
  std::shared_ptr<http::Metrics> metrics;
  std::shared_ptr<ops::ItemOps> items;              // every item operation (ops/item_ops.hpp)
  std::shared_ptr<ops::PermissionOps> permissions;  // null: /api/permissions answers 503
  std::shared_ptr<ops::WizardOps> wizard;           // null: no /api/wizard routes
};

// Every route under /api (docs/api.md), and a JSON 404 for unknown /api paths.
void add_rest_routes(http::Router& router, const ApiServices& services);

}  // namespace stork::api
