// The composition root: what the graph holds for `stork run` and for `stork serve`, that its
// tools reach the shared workers, and that it leaves no thread behind.
#include "app/object_graph.hpp"

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/agent_pool.hpp"
#include "config/config_loader.hpp"
#include "engine/pipeline.hpp"
#include "mcp/server.hpp"
#include "mcp/tool_registry.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::app {
namespace {
namespace asio = boost::asio;
using ::testing::HasSubstr;

std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++count;
  return count;
}

class ObjectGraphTest : public ::testing::Test {
 protected:
  ObjectGraphTest() {
    stork::testing::init_repo(dir_.path());
    stork::testing::write_text(dir_ / ".gitignore",
                               ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n");
    stork::testing::git(dir_.path(), {"add", ".gitignore"});
    stork::testing::git(dir_.path(), {"commit", "-qm", "ignore stork state"});
    const auto toml = dir_ / ".storkit/project.toml";
    stork::testing::write_text(toml,
                               "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\nruntime = "
                               "\"command\"\ncommand = \"true\"\n");
    auto loaded = load_project_config(toml);
    EXPECT_TRUE(loaded.ok());
    if (loaded.ok()) config_ = std::make_shared<const ProjectConfig>(loaded.value().config);
  }

  GraphOptions options(bool with_pipeline) const {
    GraphOptions made;
    made.project_root = dir_.path();
    made.config = [config = config_] { return config; };
    made.with_pipeline = with_pipeline;
    return made;
  }

  // Calls an MCP tool in-process with the io_context served by a thread of its own, which has
  // ended when this returns.
  mcp::ToolResult call_tool(asio::io_context& io, ObjectGraph& graph, const std::string& name) {
    auto guard = asio::make_work_guard(io);
    std::thread thread([&io] { io.run(); });
    auto future =
        asio::co_spawn(io, graph.mcp->call_tool(name, boost::json::object{}), asio::use_future);
    const bool ready = future.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    guard.reset();
    io.stop();
    thread.join();
    io.restart();
    if (!ready) {
      ADD_FAILURE() << name << " did not answer";
      return mcp::ToolResult::error("timeout");
    }
    return future.get();
  }

  stork::testing::TempDir dir_;
  std::shared_ptr<const ProjectConfig> config_;
};

TEST_F(ObjectGraphTest, ForRunWithoutPipeline_HasThePoolAndNoStorkitTools) {
  asio::io_context io;
  auto graph = build_object_graph(io.get_executor(), options(false));
  ASSERT_TRUE(graph.ok()) << graph.error();
  EXPECT_EQ(graph.value()->base_branch, "main");
  EXPECT_TRUE(graph.value()->pool);
  EXPECT_TRUE(graph.value()->mcp);
  EXPECT_FALSE(graph.value()->pipeline);
  // storkit's tools write items through the pipeline: without one there are none.
  EXPECT_TRUE(graph.value()->tools->snapshot().empty());
}

TEST_F(ObjectGraphTest, ForServe_RegistersStorkitToolsThatRunOnTheSharedWorkers) {
  asio::io_context io;
  auto built = build_object_graph(io.get_executor(), options(true));
  ASSERT_TRUE(built.ok()) << built.error();
  ObjectGraph& graph = *built.value();
  ASSERT_TRUE(graph.pipeline);
  EXPECT_NE(graph.tools->find("create_worktree"), nullptr);
  EXPECT_NE(graph.tools->find("list_upcoming"), nullptr);

  // list_worktrees runs git on the shared workers and answers on the io thread.
  auto listed = call_tool(io, graph, "list_worktrees");
  EXPECT_FALSE(listed.is_error) << (listed.text.empty() ? "" : listed.text.front());
  // Without a reload function (`stork run`), the tool says it cannot reload.
  auto reload = call_tool(io, graph, "reload_agent_config");
  EXPECT_TRUE(reload.is_error);
  ASSERT_FALSE(reload.text.empty());
  EXPECT_THAT(reload.text.front(), HasSubstr("cannot reload"));
}

TEST_F(ObjectGraphTest, TearsDownWithoutLeavingAThreadBehind) {
  const auto before = thread_count();
  {
    asio::io_context io;
    GraphOptions made = options(true);
    made.worker_threads = 3;
    auto built = build_object_graph(io.get_executor(), std::move(made));
    ASSERT_TRUE(built.ok()) << built.error();
    EXPECT_GE(thread_count(), before + 3);  // the shared workers, at least
    (void)call_tool(io, *built.value(), "list_upcoming");
  }
  EXPECT_EQ(thread_count(), before);
}

TEST_F(ObjectGraphTest, ReportsWhatCannotBeOpened) {
  std::filesystem::remove_all(dir_ / ".git");
  asio::io_context io;
  auto graph = build_object_graph(io.get_executor(), options(true));
  ASSERT_FALSE(graph.ok());
  EXPECT_FALSE(graph.error().empty());
}

}  // namespace
}  // namespace stork::app
