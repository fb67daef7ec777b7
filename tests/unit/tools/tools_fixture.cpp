#include "tools_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include "config/config_loader.hpp"
#include "support/git_fixture.hpp"

namespace stork::testing {

ToolsTest::~ToolsTest() {
  // The server and the tools (with their worker thread) go before the pipeline and the pool.
  server_.reset();
  registry_.reset();
}

TestAgent ToolsTest::sleeper(const std::string& name) {
  return TestAgent{name, "coder", "sleep 30"};
}

void ToolsTest::open_tools(std::vector<TestAgent> agents, const std::string& extra) {
  if (agents.empty()) agents.push_back(TestAgent{"helper", "other", "sleep 30"});
  // The pool writes each worktree's .mcp.json (create_worktree is its operation): the URL the
  // tools' services name too.
  pool_options_.mcp_url = "http://127.0.0.1:3999/mcp";
  open_pipeline(agents, extra);
  auto loaded = load_project_config(dir_ / ".storkit/project.toml");
  ASSERT_TRUE(loaded.ok());
  config_ = std::make_shared<const ProjectConfig>(loaded.value().config);
  services_.project_root = dir_.path();
  services_.base_branch = "main";
  services_.mcp_url = "http://127.0.0.1:3999/mcp";
  services_.pool = pool_.get();
  services_.pipeline = pipeline_.get();
  services_.workers = workers_.get_executor();
  services_.config = [this] { return config_; };
  services_.reload_config = [this]() -> Result<std::shared_ptr<const ProjectConfig>, std::string> {
    auto reloaded = load_project_config(dir_ / ".storkit/project.toml");
    if (!reloaded.ok()) return fail(std::string("project.toml is invalid"));
    config_ = std::make_shared<const ProjectConfig>(reloaded.value().config);
    boost::asio::co_spawn(io_, pool_->set_config(config_), boost::asio::detached);
    return config_;
  };
  items_ = std::make_shared<ops::ItemOps>(services_);  // its OpsServices part
  services_.items = items_;
  registry_ = std::make_shared<mcp::ToolRegistry>();
  tools::register_storkit_tools(*registry_, services_);
  server_ = std::make_unique<mcp::Server>(io_.get_executor(), mcp::ServerInfo{}, registry_);
}

mcp::ToolResult ToolsTest::call(const std::string& tool, const std::string& arguments) {
  return run(server_->call_tool(tool, boost::json::parse(arguments)));
}

boost::json::object ToolsTest::ok(const std::string& tool, const std::string& arguments) {
  auto result = call(tool, arguments);
  EXPECT_FALSE(result.is_error) << tool << " " << arguments << ": "
                                << (result.text.empty() ? "" : result.text.front());
  if (result.is_error || result.text.empty()) return {};
  auto parsed = boost::json::parse(result.text.front());
  return parsed.is_object() ? parsed.as_object() : boost::json::object{};
}

std::string ToolsTest::error(const std::string& tool, const std::string& arguments) {
  auto result = call(tool, arguments);
  EXPECT_TRUE(result.is_error) << tool << " " << arguments << " succeeded: "
                               << (result.text.empty() ? "" : result.text.front());
  return result.text.empty() ? "" : result.text.front();
}

void ToolsTest::add_story(Stage stage, const std::string& id,
                          const std::vector<std::string>& criteria,
                          const std::string& front_matter) {
  std::string body =
      "---\nname: " + id + "\n" + front_matter + "---\n# " + id + "\n\n## Acceptance Criteria\n\n";
  for (const auto& criterion : criteria)
    body += "- [ ] " + criterion + "\n";
  write_text(dir_ / ".storkit/work" / std::string(stage_dir_name(stage)) / (id + ".md"), body);
}

std::filesystem::path ToolsTest::commit_in_worktree(const std::string& id,
                                                    const std::string& file) {
  auto created = ok("create_worktree", R"({"story_id": ")" + id + R"("})");
  std::filesystem::path worktree(std::string(created["path"].as_string()));
  write_text(worktree / file, "work of " + id + "\n");
  git(worktree, {"add", file});
  git(worktree, {"commit", "-qm", "work on " + id});
  return worktree;
}

}  // namespace stork::testing
