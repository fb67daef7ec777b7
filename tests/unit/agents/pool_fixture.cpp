#include "pool_fixture.hpp"

#include "config/config_loader.hpp"
#include "support/git_fixture.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {

PoolTest::PoolTest() : guard_(boost::asio::make_work_guard(io_)) {
  init_repo(dir_.path());
  write_text(dir_ / ".gitignore", ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n");
  git(dir_.path(), {"add", ".gitignore"});
  git(dir_.path(), {"commit", "-qm", "ignore stork state"});
}

PoolTest::~PoolTest() {
  if (pool_) run(pool_->shutdown());
  // The io threads end before the pool goes: nothing still queued on them (a pipeline
  // coroutine, say) can then reach a destroyed pool.
  guard_.reset();
  io_.stop();
  for (auto& thread : threads_)
    thread.join();
  // Only now: until the io threads ended, their handlers could still post work to these.
  if (shared_workers_) shared_workers_->join();
  pool_.reset();
}

boost::asio::thread_pool& PoolTest::use_shared_workers(std::size_t threads) {
  shared_workers_.emplace(threads);
  return *shared_workers_;
}

void PoolTest::open_pool(const std::vector<TestAgent>& agents, const std::string& extra,
                         int io_threads) {
  std::string toml = extra + "\n";
  for (const auto& agent : agents) {
    toml += "[[agent]]\nname = \"" + agent.name + "\"\nstage = \"" + agent.stage +
            "\"\nruntime = \"command\"\ncommand = \"" + agent.command + "\"\n";
    if (agent.command == "/bin/sh") toml += "args = [\"-c\", '''" + agent.script + "''']\n";
    toml += "inactivity_timeout_secs = " + std::to_string(agent.inactivity_timeout_secs) + "\n";
  }
  const auto path = dir_ / ".storkit/project.toml";
  write_text(path, toml);
  auto loaded = load_project_config(path);
  ASSERT_TRUE(loaded.ok()) << "project.toml:\n" << toml;
  agents::PoolOptions options = pool_options_;
  options.project_root = dir_.path();
  options.stop_grace = std::chrono::milliseconds(500);
  auto config = std::make_shared<const ProjectConfig>(loaded.value().config);
  auto pool = agents::AgentPool::open(io_.get_executor(), config, options);
  ASSERT_TRUE(pool.ok()) << pool.error();
  pool_ = std::move(pool.value());
  for (int i = 0; i < io_threads; ++i)
    threads_.emplace_back([this] { io_.run(); });
}

void PoolTest::add_item(Stage stage, const std::string& id, const std::string& front_matter) {
  write_text(dir_ / ".storkit/work" / std::string(stage_dir_name(stage)) / (id + ".md"),
             "---\nname: " + id + "\n" + front_matter + "---\n\n# " + id + "\n");
}

std::optional<Stage> PoolTest::stage_of(const std::string& id) const {
  auto located = StageStore(dir_.path()).locate(id);
  if (!located.ok()) return std::nullopt;
  return located.value().stage;
}

agents::PoolResult<agents::AgentInfo> PoolTest::start(const std::string& story,
                                                      std::optional<std::string> agent) {
  agents::StartRequest request;
  request.story = story;
  request.agent = std::move(agent);
  return run(pool_->start_agent(request));
}

agents::AgentInfo PoolTest::wait(const std::string& story, const std::string& agent,
                                 std::chrono::milliseconds timeout) {
  auto info = run(pool_->wait_for_agent(story, agent, timeout));
  EXPECT_TRUE(info.ok()) << info.error().message;
  return info.ok() ? info.value() : agents::AgentInfo{};
}

}  // namespace stork::testing
