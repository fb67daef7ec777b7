// What the REST API and the WebSocket event stream act on. The app fills this in once.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "config/project_config.hpp"

namespace stork::agents {
class AgentPool;
}
namespace stork::engine {
class Pipeline;
}
namespace stork::ops {
class ItemOps;
}
namespace stork::http {
class Router;
class Metrics;
}  // namespace stork::http

namespace stork::api {

struct ApiServices {
  std::filesystem::path project_root;
  std::string base_branch;
  agents::AgentPool* pool = nullptr;
  engine::Pipeline* pipeline = nullptr;
  std::function<std::shared_ptr<const ProjectConfig>()> config;  // the configuration in force
  std::shared_ptr<http::Metrics> metrics;
  std::shared_ptr<ops::ItemOps> items;  // every item operation (ops/item_ops.hpp)
  // The app's shared worker pool: handlers offload() item files, git and SQLite reads onto it.
  boost::asio::any_io_executor workers;
};

// Every route under /api (docs/api.md), and a JSON 404 for unknown /api paths.
void add_rest_routes(http::Router& router, const ApiServices& services);

}  // namespace stork::api
