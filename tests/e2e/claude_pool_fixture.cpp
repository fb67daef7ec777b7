#include "claude_pool_fixture.hpp"

#include <cstdlib>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/config_loader.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"

extern char** environ;

namespace stork::testing {
namespace {

using namespace std::chrono_literals;

// An unsigned JWT with "aud": "claude-gateway" (header {"alg": "none", "typ": "JWT"}), as
// claude_gateway_token in tests/e2e/claude_env.sh prints it. As ANTHROPIC_AUTH_TOKEN with a
// base URL that is not api.anthropic.com it makes the CLI a gateway client, which reads the
// anthropic-ratelimit-unified-* headers (docs/claude-code.md "Rate limits").
constexpr const char* kGatewayToken =
    "eyJhbGciOiAibm9uZSIsICJ0eXAiOiAiSldUIn0.eyJhdWQiOiAiY2xhdWRlLWdhdGV3YXkifQ.unsigned";

// A loopback port nothing listens on (bound, read, closed): the worktree's .mcp.json points
// there, so no MCP server another test or helper runs on 3000 answers our agents. The CLI
// marks an unreachable MCP server "failed" in its init line and runs on.
int unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 9;  // discard: nothing listens there either, should the dance below fail
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

// Variables of the caller that would change what the CLI does (tests may themselves run
// inside Claude Code, or behind a proxy that cannot reach loopback).
bool inherited_claude_setting(const std::string& name) {
  for (const char* prefix : {"ANTHROPIC_", "CLAUDE", "API_TIMEOUT_MS"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  for (const char* proxy :
       {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}) {
    if (name == proxy) return true;
  }
  return false;
}

}  // namespace

ScopedEnvironment::~ScopedEnvironment() {
  // Newest first, so a variable changed twice ends with its original value.
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    if (it->second) {
      ::setenv(it->first.c_str(), it->second->c_str(), 1);
    } else {
      ::unsetenv(it->first.c_str());
    }
  }
}

void ScopedEnvironment::remember(const std::string& name) {
  const char* old = std::getenv(name.c_str());
  saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
}

void ScopedEnvironment::set(const std::string& name, const std::string& value) {
  remember(name);
  ::setenv(name.c_str(), value.c_str(), 1);
}

void ScopedEnvironment::unset(const std::string& name) {
  remember(name);
  ::unsetenv(name.c_str());
}

ClaudePoolTest::ClaudePoolTest() : guard_(boost::asio::make_work_guard(io_)) {
  init_repo(dir_.path());
  write_text(dir_ / ".gitignore", ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n");
  git(dir_.path(), {"add", ".gitignore"});
  git(dir_.path(), {"commit", "-qm", "ignore stork state"});
}

ClaudePoolTest::~ClaudePoolTest() {
  if (pool_) run(pool_->shutdown());
  pool_.reset();
  guard_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
  server_.reset();
  // env_ is restored after this body, once no agent can be spawned any more.
}

void ClaudePoolTest::SetUp() {
  ASSERT_EQ(::access(STORK_CLAUDE_CLI, X_OK), 0)
      << "The Claude Code CLI is missing at " << STORK_CLAUDE_CLI
      << ": run scripts/setup (it installs the pinned npm package into tests/e2e/node_modules), "
         "or point the CMake cache variable STORK_CLAUDE_CLI at the binary.";
}

void ClaudePoolTest::open_project(const ClaudeProject& project) {
  const auto scenario =
      std::filesystem::path(STORK_TEST_DATA_DIR) / project.scenario_dir / project.scenario;
  server_ =
      std::make_unique<ScriptedServer>(STORK_SCRIPTED_ANTHROPIC, scenario, server_dir_.path());
  ASSERT_FALSE(server_->failed()) << server_->error();

  // The recipe of docs/claude-code.md, applied to this process: the pool's agents inherit it.
  std::vector<std::string> inherited;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string name(*entry);
    name = name.substr(0, name.find('='));
    if (inherited_claude_setting(name)) inherited.push_back(name);
  }
  for (const auto& name : inherited)
    env_.unset(name);
  env_.set("HOME", home_.path().string());
  env_.set("ANTHROPIC_BASE_URL", server_->base_url());
  if (project.auth == ClaudeAuth::Gateway) {
    env_.set("ANTHROPIC_AUTH_TOKEN", kGatewayToken);
  } else {
    env_.set("ANTHROPIC_API_KEY", "sk-ant-scripted-test");
  }
  env_.set("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
  env_.set("IS_SANDBOX", "1");  // root may use --dangerously-skip-permissions
  // No automatic retries: a rejected request ends the run at once (the pool resumes it), and
  // an unexpected API error fails the test fast instead of backing off for a minute.
  env_.set("CLAUDE_CODE_MAX_RETRIES", "0");

  std::ostringstream toml;
  toml << "[[agent]]\n"
       << "name = \"" << kAgent << "\"\n"
       << "stage = \"coder\"\n";
  if (project.agent_lines.empty()) {
    toml << "runtime = \"claude-code\"\n"
         << "command = '" << STORK_CLAUDE_CLI << "'\n"
         << "args = [\"--dangerously-skip-permissions\"]\n";
  } else {
    toml << project.agent_lines;
  }
  toml << "model = \"" << kModel << "\"\n"
       << "inactivity_timeout_secs = " << project.inactivity_timeout_secs << "\n";
  open_pool(toml.str());
}

void ClaudePoolTest::open_pool(const std::string& toml) {
  const auto path = dir_ / ".storkit/project.toml";
  write_text(path, toml);
  auto loaded = load_project_config(path);
  ASSERT_TRUE(loaded.ok()) << "project.toml:\n" << toml;

  agents::PoolOptions options;
  options.project_root = dir_.path();
  options.mcp_url = "http://127.0.0.1:" + std::to_string(unused_loopback_port()) + "/mcp";
  options.stop_grace = 1s;
  auto config = std::make_shared<const ProjectConfig>(loaded.value().config);
  auto pool = agents::AgentPool::open(io_.get_executor(), config, options);
  ASSERT_TRUE(pool.ok()) << pool.error();
  pool_ = std::move(pool.value());
  io_thread_ = std::thread([this] { io_.run(); });
}

void ClaudePoolTest::add_story(const std::string& id) {
  write_text(dir_ / ".storkit/work/2_current" / (id + ".md"),
             "---\nname: " + id + "\n---\n\n# " + id + "\n\nCreate hello.txt and commit it.\n");
}

agents::PoolResult<agents::AgentInfo> ClaudePoolTest::start(const std::string& story) {
  agents::StartRequest request;
  request.story = story;
  request.agent = kAgent;
  return run(pool_->start_agent(request));
}

agents::AgentInfo ClaudePoolTest::wait(const std::string& story,
                                       std::chrono::milliseconds timeout) {
  auto info = run(pool_->wait_for_agent(story, kAgent, timeout));
  EXPECT_TRUE(info.ok()) << info.error().message << "\n" << diagnostics(story);
  return info.ok() ? info.value() : agents::AgentInfo{};
}

std::optional<agents::AgentInfo> ClaudePoolTest::listed(const std::string& story) {
  for (auto& info : run(pool_->list_agents())) {
    if (info.story_id == story && info.agent_name == kAgent) return info;
  }
  return std::nullopt;
}

std::vector<agents::AgentEvent> ClaudePoolTest::events(const std::string& story) {
  auto drained = run(pool_->drain_events(story, kAgent));
  EXPECT_TRUE(drained.ok()) << (drained.ok() ? "" : drained.error().message);
  return drained.ok() ? drained.value() : std::vector<agents::AgentEvent>{};
}

std::optional<agents::AgentInfo> ClaudePoolTest::wait_blocked(const std::string& story,
                                                              std::chrono::milliseconds timeout) {
  std::optional<agents::AgentInfo> blocked;
  eventually(
      [&] {
        auto info = listed(story);
        if (info && info->status == agents::AgentStatus::Blocked) blocked = info;
        return blocked.has_value() || (info && agents::is_finished(info->status));
      },
      timeout);
  return blocked;
}

std::string ClaudePoolTest::diagnostics(const std::string& story) {
  std::ostringstream out;
  out << "events of the latest run of " << kAgent << " on " << story << ":\n";
  auto drained = run(pool_->drain_events(story, kAgent));
  if (drained.ok()) {
    for (const auto& event : drained.value())
      out << "  " << event.seq << " " << event.type << " " << event.payload.substr(0, 300) << "\n";
  }
  out << "requests to the scripted server:\n";
  for (const auto& line : server_->request_lines())
    out << "  " << line.substr(0, 200) << "\n";
  return out.str();
}

}  // namespace stork::testing
