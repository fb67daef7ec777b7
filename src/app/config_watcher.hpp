// ConfigWatcher: reloads .storkit/project.toml when it changes on disk, so an edited roster,
// limit or gate applies to the runs that start after, without a restart (issue 15). inotify on
// the .storkit directory (an editor's save is often a rename onto the file, which a watch on
// the file itself would lose), filtered to project.toml, debounced; `on_change` runs on the
// executor. A reload whose file has errors reports them and keeps the running configuration
// (App::Impl::reload_config).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "base/result.hpp"

namespace stork::app {

class ConfigWatcher {
 public:
  static Result<std::unique_ptr<ConfigWatcher>, std::string> start(
      const boost::asio::any_io_executor& executor, const std::filesystem::path& config_file,
      std::chrono::milliseconds debounce, std::function<void()> on_change);

  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // No callback runs after it returns (when called on the executor).
  void stop();

 private:
  class Impl;
  explicit ConfigWatcher(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::app
