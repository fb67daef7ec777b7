// What the operations act on. The app's composition root fills this in once, for `stork serve`
// and `stork run` alike; every surface (REST, MCP, chat) then calls the same operations.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "config/project_config.hpp"

namespace stork::agents {
class AgentPool;
}
namespace stork::engine {
class Pipeline;
}
namespace stork::notify {
class Notifier;
}

namespace stork::ops {

struct OpsServices {
  std::filesystem::path project_root;
  engine::Pipeline* pipeline = nullptr;  // serialises every item write with its own
  agents::AgentPool* pool = nullptr;
  std::function<std::shared_ptr<const ProjectConfig>()> config;  // the configuration in force
  boost::asio::any_io_executor workers;  // the app's shared pool, for file scans and reads
  notify::Notifier* notifier = nullptr;  // notifications; null where none runs (`stork run`)
};

}  // namespace stork::ops
