// A real project for pool tests: a git repository with .storkit/, a roster of `command` agents
// (shell snippets run by /bin/sh), items in chosen stages, and an AgentPool on an io_context
// that runs on its own threads. Operations are awaited synchronously with run().
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "agents/agent_pool.hpp"
#include "agents/awaitable_result.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"
#include "work/stage.hpp"

namespace stork::testing {

// One `[[agent]]` on the command runtime running `script` with /bin/sh -c.
struct TestAgent {
  std::string name;
  std::string stage;  // coder | qa | mergemaster | other
  std::string script = "exit 0";
  int inactivity_timeout_secs = 300;
  std::string command = "/bin/sh";  // anything else runs without the script
};

class PoolTest : public ::testing::Test {
 protected:
  PoolTest();
  ~PoolTest() override;

  std::filesystem::path root() const { return dir_.path(); }

  // Writes project.toml with `agents` (plus `extra` top-level TOML) and opens the pool.
  void open_pool(const std::vector<TestAgent>& agents, const std::string& extra = "",
                 int io_threads = 1);
  // Writes .storkit/work/<stage>/<id>.md with a name.
  void add_item(Stage stage, const std::string& id, const std::string& front_matter = "");
  std::optional<Stage> stage_of(const std::string& id) const;

  // Starts `operation` on the io_context; the future holds its result.
  template <class T>
  std::future<std::optional<T>> spawn(boost::asio::awaitable<T> operation) {
    return boost::asio::co_spawn(io_, agents::as_optional(std::move(operation)),
                                 boost::asio::use_future);
  }

  template <class T>
  T run(boost::asio::awaitable<T> operation) {
    return agents::run_blocking(io_, std::move(operation));
  }

  agents::PoolResult<agents::AgentInfo> start(const std::string& story,
                                              std::optional<std::string> agent = std::nullopt);
  agents::AgentInfo wait(const std::string& story, const std::string& agent,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // The app's shared workers, for a test that gives them to what it opens.
  boost::asio::thread_pool& use_shared_workers(std::size_t threads);

  TempDir dir_;
  // Declared before io_, so they outlive it: a handler still queued on io_ when it is destroyed
  // may hold the last reference to something with a strand on these workers (a pipeline).
  std::optional<boost::asio::thread_pool> shared_workers_;
  boost::asio::io_context io_;
  // open_pool starts from these (project_root and stop_grace are set there).
  agents::PoolOptions pool_options_;
  std::unique_ptr<agents::AgentPool> pool_;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace stork::testing
