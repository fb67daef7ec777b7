#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/subprocess.hpp"
#include "cli_test_support.hpp"
#include "config/config_loader.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
using testing::stork;

std::map<std::string, std::string> snapshot(const std::filesystem::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().string().find("/.git/") != std::string::npos || !entry.is_regular_file())
      continue;
    files[entry.path().lexically_relative(root).string()] = testing::read_text(entry.path());
  }
  return files;
}

TEST(InitCommand, OutsideAGitRepositoryIsExit2WithAClearError) {
  testing::TempDir dir;
  auto run = stork(dir.path(), {"init"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("is not inside a git repository"));
  EXPECT_THAT(run.err, HasSubstr("git init"));
  EXPECT_FALSE(std::filesystem::exists(dir / ".storkit"));
}

TEST(InitCommand, CreatesTheStorkitLayout) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto run = stork(dir.path(), {"init", "--port", "4321"});
  ASSERT_EQ(run.code, 0) << run.err;
  for (auto path :
       {".storkit/project.toml", ".storkit/README.md", ".storkit/specs/00_CONTEXT.md",
        ".storkit/specs/tech/STACK.md", ".storkit/.gitignore", ".mcp.json", "script/test"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / path)) << path;
    EXPECT_THAT(run.out, HasSubstr(std::string("created ") + path));
  }
  for (auto stage : {"1_backlog", "2_current", "3_qa", "4_merge", "5_done", "6_archived"}) {
    EXPECT_TRUE(std::filesystem::is_directory(dir / ".storkit/work" / stage)) << stage;
  }
  auto mcp = boost::json::parse(testing::read_text(dir / ".mcp.json"));
  EXPECT_EQ(mcp.at("mcpServers").at("storkit").at("url").as_string(), "http://127.0.0.1:4321/mcp");
  EXPECT_EQ(mcp.at("mcpServers").at("storkit").at("type").as_string(), "http");
  struct stat info {};
  ASSERT_EQ(::stat((dir / "script/test").c_str(), &info), 0);
  EXPECT_TRUE(info.st_mode & S_IXUSR);
}

TEST(InitCommand, TemplateProjectTomlLoadsWithTheDefaultRoster) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  ASSERT_EQ(stork(dir.path(), {"init"}).code, 0);
  auto config = load_project_config(dir / ".storkit/project.toml");
  ASSERT_TRUE(config.ok()) << render_all(config.error());
  EXPECT_TRUE(config->warnings.empty()) << render_all(config->warnings);
  std::vector<std::pair<std::string, AgentStage>> roster;
  for (const auto& agent : config->config.agents) {
    roster.emplace_back(agent.name, agent.stage);
    EXPECT_EQ(agent.runtime, "claude-code") << agent.name;
    EXPECT_TRUE(agent.prompt.has_value()) << agent.name;
    EXPECT_EQ(agent.sandbox, SandboxKind::Bwrap) << agent.name;  // docs/sandbox.md
  }
  EXPECT_EQ(roster, (std::vector<std::pair<std::string, AgentStage>>{
                        {"coder-1", AgentStage::Coder},
                        {"coder-2", AgentStage::Coder},
                        {"coder-3", AgentStage::Coder},
                        {"qa", AgentStage::Qa},
                        {"mergemaster", AgentStage::Mergemaster},
                        {"supervisor", AgentStage::Other}}));
  EXPECT_EQ(config->config.sandbox, SandboxKind::Bwrap);
  EXPECT_FALSE(config->config.sandbox_network);
  EXPECT_EQ(config->config.max_coders, 3);
  EXPECT_EQ(config->config.max_retries, 2);
}

TEST(InitCommand, GitignoreHidesTheBusyStagesAndServerState) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  ASSERT_EQ(stork(dir.path(), {"init"}).code, 0);
  for (auto path :
       {".storkit/work/2_current/1_story_a.md", ".storkit/work/3_qa/x.md",
        ".storkit/work/4_merge/x.md", ".storkit/worktrees/1_story_a/file", ".storkit/logs/x.log",
        ".storkit/logs/1_story_a/coder-1-s.log", ".storkit/state.db", ".storkit/state.db-wal",
        ".storkit/state.db-shm", ".storkit/token_usage.jsonl"}) {
    EXPECT_EQ(testing::git(dir.path(), {"check-ignore", "-q", "--no-index", path}), "") << path;
  }
  Command check{{"git", "check-ignore", "-q", "--no-index", ".storkit/work/1_backlog/1_story_a.md"},
                dir.path(),
                {},
                {},
                {}};
  auto output = run_command(check);
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->exit_code, 1);  // the backlog is tracked
}

TEST(InitCommand, SecondRunChangesNothingAndSaysSo) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  ASSERT_EQ(stork(dir.path(), {"init"}).code, 0);
  auto before = snapshot(dir.path());
  auto run = stork(dir.path(), {"init"});
  EXPECT_EQ(run.code, 0);
  EXPECT_THAT(run.out, HasSubstr("already initialised; nothing changed"));
  EXPECT_EQ(snapshot(dir.path()), before);
}

TEST(InitCommand, KeepsExistingFilesAndMergesMcpJson) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::write_text(dir / "script/test", "#!/bin/sh\nmake check\n");
  testing::write_text(dir / ".mcp.json",
                      R"({"mcpServers":{"other":{"type":"stdio","command":"x"}}})");
  auto run = stork(dir.path(), {"init"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(testing::read_text(dir / "script/test"), "#!/bin/sh\nmake check\n");
  EXPECT_THAT(run.out, HasSubstr("kept    script/test"));
  auto mcp = boost::json::parse(testing::read_text(dir / ".mcp.json"));
  EXPECT_EQ(mcp.at("mcpServers").at("other").at("command").as_string(), "x");
  EXPECT_EQ(mcp.at("mcpServers").at("storkit").at("url").as_string(), "http://127.0.0.1:3000/mcp");
}

TEST(InitCommand, InvalidMcpJsonIsLeftAloneWithAWarning) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::write_text(dir / ".mcp.json", "{ not json");
  auto run = stork(dir.path(), {"init"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(testing::read_text(dir / ".mcp.json"), "{ not json");
  EXPECT_THAT(run.err, HasSubstr(".mcp.json is not a JSON object"));
}

TEST(InitCommand, RejectsAnOutOfRangePort) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto run = stork(dir.path(), {"init", "--port", "70000"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--port must be between 1 and 65535"));
  EXPECT_FALSE(std::filesystem::exists(dir / ".storkit"));
}

TEST(InitCommand, WorksFromASubdirectoryAndInitialisesTheRepositoryRoot) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  std::filesystem::create_directories(dir / "src/deep");
  ASSERT_EQ(stork(dir / "src/deep", {"init"}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / ".storkit/project.toml"));
  EXPECT_FALSE(std::filesystem::exists(dir / "src/deep/.storkit"));
}

}  // namespace
}  // namespace stork
