// The real `stork serve` binary on port 0, driven over real sockets: health and metrics, the
// token and host rules, the MCP endpoint's answers to bad input (and that the server keeps
// serving after each), and a SIGTERM while an agent runs: exit 0 within 10 s, the run left
// Interrupted, and resumed by the next serve.
#include <chrono>
#include <functional>
#include <thread>

#include <arpa/inet.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../e2e/scripted_server.hpp"
#include "http_probe.hpp"
#include "serve_process.hpp"
#include "state/run_store.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using testing::eventually;

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using testing::http_call;
using testing::HttpAnswer;
using testing::ServeProcess;

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

json::value parse_json(const std::string& text) {
  std::error_code error;
  auto value = json::parse(text, error);
  return error ? json::value() : value;
}

// A scripted coder: it reports a session and waits; resumed, it leaves a mark and waits.
std::string coder_script(const fs::path& marks) {
  return "if [ -n \"$STORK_RESUME_SESSION\" ]; then touch '" + marks.string() +
         "/resumed-'\"$STORK_RESUME_SESSION\"; exec sleep 300; fi\n"
         "echo '{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s-1\"}'\n"
         "exec sleep 300\n";
}

// A git repository with a stork project: one scripted coder, one backlog item with criteria.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_);
    fs::create_directories(marks_);
    testing::init_repo(root_);
    testing::write_text(root_ / ".gitignore",
                        ".storkit/worktrees/\n.storkit/state.db*\n.storkit/logs/\n"
                        ".storkit/merge_workspace/\n");
    testing::git(root_, {"add", ".gitignore"});
    testing::git(root_, {"commit", "-qm", "ignore"});
    testing::write_text(root_ / ".storkit/project.toml",
                        "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\n"
                        "command = \"/bin/sh\"\nargs = [\"-c\", '''" +
                            coder_script(marks_) + "''']\n");
    testing::write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
                        "---\nname: Greet\n---\n\n## Acceptance Criteria\n\n"
                        "- [ ] prints hello\n- [x] exits zero\n");
  }

  std::unique_ptr<ServeProcess> serve(std::vector<std::string> args = {},
                                      std::vector<std::pair<std::string, std::string>> env = {}) {
    std::vector<std::string> full{"serve", "--port", "0", "--project", root_.string()};
    full.insert(full.end(), args.begin(), args.end());
    return std::make_unique<ServeProcess>(full, root_, dir_ / "logs", std::move(env));
  }

  // Starts a server and waits until it is ready; fails the test otherwise.
  std::unique_ptr<ServeProcess> serving(std::vector<std::string> args = {},
                                        std::vector<std::pair<std::string, std::string>> env = {}) {
    auto server = serve(std::move(args), std::move(env));
    EXPECT_TRUE(server->wait_listening()) << server->output();
    return server;
  }

  static void expect_healthy(unsigned short port, const std::string& after) {
    auto health = http_call(port, "GET", "/healthz");
    EXPECT_EQ(health.status, 200) << "after " << after << ": " << health.error << health.body;
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "repo";
  fs::path marks_ = dir_ / "marks";
};

// ---- MCP over HTTP ----

class McpClient {
 public:
  explicit McpClient(unsigned short port, testing::HeaderList extra = {})
      : port_(port), extra_(std::move(extra)) {}

  HttpAnswer post(const std::string& body, const std::string& accept = "application/json",
                  testing::HeaderList more = {}) const {
    testing::HeaderList headers{{"Content-Type", "application/json"}, {"Accept", accept}};
    if (!session_.empty()) {
      headers.emplace_back("Mcp-Session-Id", session_);
      headers.emplace_back("MCP-Protocol-Version", "2025-11-25");
    }
    headers.insert(headers.end(), extra_.begin(), extra_.end());
    headers.insert(headers.end(), more.begin(), more.end());
    return http_call(port_, "POST", "/mcp", headers, body);
  }

  bool initialize() {
    auto answer = post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{)"
                       R"("protocolVersion":"2025-11-25","capabilities":{},)"
                       R"("clientInfo":{"name":"serve_test","version":"1"}}})");
    session_ = answer.header("mcp-session-id");
    if (answer.status != 200 || session_.empty()) return false;
    return post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").status == 202;
  }

  // The JSON-RPC response of a tools/call (answered as JSON).
  json::value call_tool(const std::string& name, const std::string& arguments, int id = 10) const {
    auto answer = post(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                       R"(,"method":"tools/call","params":{"name":")" + name + R"(","arguments":)" +
                       arguments + "}}");
    return parse_json(answer.body);
  }

  const std::string& session() const { return session_; }

 private:
  unsigned short port_;
  testing::HeaderList extra_;
  std::string session_;
};

std::string tool_text(const json::value& response) {
  const auto* result = response.is_object() ? response.as_object().if_contains("result") : nullptr;
  if (result == nullptr) return {};
  return json::serialize(result->at("content"));
}

bool is_tool_error(const json::value& response) {
  const auto* result = response.is_object() ? response.as_object().if_contains("result") : nullptr;
  return result != nullptr && result->at("isError").as_bool();
}

json::value rpc_error_code(const HttpAnswer& answer) {
  auto body = parse_json(answer.body);
  if (!body.is_object() || !body.as_object().contains("error")) return nullptr;
  return body.at("error").at("code");
}

// ---- tests ----

TEST_F(ServeTest, Healthz_ReportsStatusVersionUptimeAndProject) {
  auto server = serving();
  auto health = http_call(server->port(), "GET", "/healthz");
  ASSERT_EQ(health.status, 200) << health.error;
  EXPECT_THAT(health.header("content-type"), HasSubstr("application/json"));
  auto body = parse_json(health.body);
  ASSERT_TRUE(body.is_object()) << health.body;
  EXPECT_EQ(text_of(body.at("status")), "ok");
  EXPECT_THAT(std::string(body.at("version").as_string()), HasSubstr("0."));
  EXPECT_GE(body.at("uptime_s").as_int64(), 0);
  EXPECT_EQ(text_of(body.at("project")), root_.string());
  EXPECT_THAT(server->err(), HasSubstr("stork serving " + root_.string() + " on http://"));
}

TEST_F(ServeTest, Metrics_HaveStorkSeriesAndTheHttpHistogram) {
  auto server = serving();
  expect_healthy(server->port(), "start");
  auto metrics = http_call(server->port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.error;
  EXPECT_THAT(metrics.header("content-type"), HasSubstr("text/plain"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE stork_runs gauge"));
  EXPECT_THAT(metrics.body, HasSubstr("stork_runs{status=\"running\"} 0"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE stork_agent_events_total counter"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE stork_merge_queue_length gauge"));
  EXPECT_THAT(metrics.body, HasSubstr("stork_merge_queue_length 0"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE stork_http_request_duration_seconds histogram"));
  EXPECT_THAT(metrics.body,
              HasSubstr("stork_http_request_duration_seconds_count{route=\"healthz\""));
}

TEST_F(ServeTest, Sigterm_WithARunningAgentExitsZeroAndTheNextServeResumesTheRun) {
  testing::write_text(root_ / ".storkit/work/2_current/1_story_a.md", "---\nname: A\n---\n");
  auto first = serving();
  // Auto-assign starts coder-1 on the current item; wait until its session is known.
  McpClient mcp(first->port());
  ASSERT_TRUE(mcp.initialize());
  ASSERT_TRUE(eventually(
      [&] {
        auto text = tool_text(mcp.call_tool("list_agents", "{}"));
        return text.find("running") != std::string::npos && text.find("s-1") != std::string::npos;
      },
      20s))
      << tool_text(mcp.call_tool("list_agents", "{}")) << first->output();
  auto metrics = http_call(first->port(), "GET", "/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("stork_runs{status=\"running\"} 1"));
  EXPECT_THAT(metrics.body, Not(HasSubstr("stork_agent_events_total 0\n")));

  const auto signalled = std::chrono::steady_clock::now();
  first->signal(SIGTERM);
  auto code = first->wait_exit(10s);
  ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM\n" << first->output();
  EXPECT_EQ(*code, 0) << first->output();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);

  {
    auto store = state::StateStore::open(root_);
    ASSERT_TRUE(store.ok());
    auto runs = store.value()->runs();
    ASSERT_TRUE(runs.ok());
    ASSERT_EQ(runs.value().size(), 1u);
    EXPECT_EQ(runs.value()[0].state, state::RunState::Interrupted);
    EXPECT_EQ(runs.value()[0].session_id, "s-1");
  }

  // The item is still in current, so coder-1 is given it again and continues its session.
  auto second = serving();
  EXPECT_TRUE(eventually([&] { return fs::exists(marks_ / "resumed-s-1"); }, 20s))
      << second->output();
  second->signal(SIGTERM);
  auto second_code = second->wait_exit(10s);
  ASSERT_TRUE(second_code.has_value()) << second->output();
  EXPECT_EQ(*second_code, 0) << second->output();
}

// An agent on the `openai` runtime under serve: started over REST, it writes a file through
// the worktree tools and ticks a criterion through the server's own MCP dispatch, in-process.
TEST_F(ServeTest, OpenAiAgent_UsesTheWorktreeAndMcpToolsInProcess) {
  testing::TempDir model_dir;
  testing::write_text(
      model_dir / "scenario.json",
      R"([{"tool_calls":[{"name":"write_file","arguments":{"path":"hello.txt","content":"hello\n"}}]},
          {"tool_calls":[{"name":"check_criterion","arguments":{"story_id":"7_story_greet","index":0}}]},
          {"text":"Greeted."}])");
  testing::ScriptedServer model(STORK_SCRIPTED_MODEL_API, model_dir / "scenario.json",
                                model_dir.path(), {"--format", "openai"});
  ASSERT_FALSE(model.failed()) << model.error();
  testing::write_text(root_ / ".storkit/project.toml",
                      "[[agent]]\nname = \"helper-gpt\"\nstage = \"other\"\nruntime = \"openai\"\n"
                      "model = \"gpt-4.1-mini\"\nbase_url = \"" +
                          model.base_url() + "/v1\"\napi_key_env = \"STORK_SERVE_TEST_KEY\"\n");
  auto server = serving({}, {{"STORK_SERVE_TEST_KEY", "sk-scripted"}});
  auto started =
      http_call(server->port(), "POST", "/api/agents/start", {{"Content-Type", "application/json"}},
                R"({"story_id":"7_story_greet","agent":"helper-gpt"})");
  ASSERT_EQ(started.status, 201) << started.body << server->output();
  const auto item = root_ / ".storkit/work/1_backlog/7_story_greet.md";
  EXPECT_TRUE(eventually(
      [&] {
        return testing::read_text(item).find("- [x] prints hello") != std::string::npos &&
               model.request_lines().size() == 3;
      },
      20s))
      << testing::read_text(item) << server->output();
  EXPECT_EQ(testing::read_text(root_ / ".storkit/worktrees/7_story_greet/hello.txt"), "hello\n");
  server->signal(SIGTERM);
  EXPECT_TRUE(server->wait_exit(10s).has_value());
}

TEST_F(ServeTest, Host_NonLoopbackWithoutTokenIsRefusedWithExitTwo) {
  auto refused = testing::run_stork({"serve", "--host", "0.0.0.0", "--port", "0"}, root_);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("not a loopback address"));
  EXPECT_THAT(refused.err, HasSubstr("--token"));
  EXPECT_EQ(refused.out, "");

  auto server = serving({"--host", "0.0.0.0", "--token", "s3cret"});
  auto health = http_call(server->port(), "GET", "/healthz", {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(health.status, 200) << health.error << health.body;
}

TEST_F(ServeTest, Token_EveryRequestWithoutTheBearerTokenGets401) {
  auto server = serving({}, {{"STORK_TOKEN", "s3cret"}});
  const auto port = server->port();
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/healthz"},
                                                        {"GET", "/metrics"},
                                                        {"POST", "/mcp"},
                                                        {"GET", "/mcp"},
                                                        {"DELETE", "/mcp"},
                                                        {"GET", "/api/pipeline"},
                                                        {"GET", "/"},
                                                        {"GET", "/no/such/path"}}) {
    auto bare = http_call(port, method, target, {{"Content-Type", "application/json"}}, "{}");
    EXPECT_EQ(bare.status, 401) << method << " " << target;
    EXPECT_EQ(bare.header("www-authenticate"), "Bearer") << method << " " << target;
    auto wrong = http_call(port, method, target, {{"Authorization", "Bearer s3cre7"}});
    // Past five wrong tokens from one address the answer is 429 (docs/remote.md).
    EXPECT_THAT(wrong.status, ::testing::AnyOf(401, 429)) << method << " " << target;
  }
  McpClient mcp(port, {{"Authorization", "Bearer s3cret"}});
  EXPECT_TRUE(mcp.initialize());
  auto health = http_call(port, "GET", "/healthz", {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(health.status, 200);
}

TEST_F(ServeTest, Port_InUseExitsOneAndSaysSo) {
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));

  auto refused = testing::run_stork({"serve", "--port", port}, root_);
  ::close(holder);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err,
              HasSubstr("127.0.0.1:" + port + " is in use (another stork serve?); use --port"));
}

TEST_F(ServeTest, Doctor_SetupErrorsRefuseToStartWithTheListOfFixes) {
  // The fixture's project.toml and gate are not committed: a worktree would have neither.
  auto refused = testing::run_stork({"serve", "--port", "0"}, root_, {{"STORK_SKIP_DOCTOR", "0"}});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr(".storkit/project.toml is not committed on main"));
  EXPECT_THAT(refused.err, HasSubstr("fix: git add .storkit"));
  EXPECT_THAT(refused.err, HasSubstr("the project is not ready"));
  EXPECT_THAT(refused.out, Not(HasSubstr("listening on")));
}

TEST_F(ServeTest, Config_EditedProjectTomlAppliesWithoutARestartAndErrorsKeepTheRunningOne) {
  auto server = serving();
  const auto toml = root_ / ".storkit/project.toml";
  testing::write_text(toml, testing::read_text(toml) +
                                "\n[[agent]]\nname = \"coder-2\"\nruntime = \"command\"\n"
                                "command = \"/bin/sh\"\n");
  auto roster_has_coder_2 = [&] {
    return http_call(server->port(), "GET", "/api/agents").body.find("\"coder-2\"") !=
           std::string::npos;
  };
  ASSERT_TRUE(eventually(roster_has_coder_2, std::chrono::seconds(10))) << server->output();
  testing::write_text(toml, "max_coders = \"many\"\n");
  ASSERT_TRUE(eventually(
      [&] {
        return server->err().find("project.toml changed but has errors") != std::string::npos;
      },
      std::chrono::seconds(10)))
      << server->output();
  EXPECT_THAT(server->err(), HasSubstr("max_coders"));
  EXPECT_TRUE(roster_has_coder_2());  // the running configuration stays
}

TEST_F(ServeTest, Config_ErrorsExitOneNamingFileAndLine) {
  testing::write_text(root_ / ".storkit/project.toml", "max_coders = \"many\"\n");
  auto refused = testing::run_stork({"serve", "--port", "0"}, root_);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("project.toml:1:"));
  EXPECT_THAT(refused.err, HasSubstr("max_coders"));
}

TEST_F(ServeTest, McpJson_StorkitUrlFollowsTheBoundPortAndOtherServersStay) {
  testing::write_text(root_ / ".mcp.json",
                      R"({"mcpServers":{"other":{"command":"other-mcp"},)"
                      R"("storkit":{"type":"http","url":"http://127.0.0.1:3000/mcp"}}})");
  auto server = serving();
  auto config = parse_json(testing::read_text(root_ / ".mcp.json"));
  ASSERT_TRUE(config.is_object());
  EXPECT_EQ(text_of(config.at("mcpServers").at("storkit").at("url")),
            "http://127.0.0.1:" + std::to_string(server->port()) + "/mcp");
  EXPECT_EQ(text_of(config.at("mcpServers").at("other").at("command")), "other-mcp");
}

TEST_F(ServeTest, Lock_SecondServerOnTheProjectRefusesNamingTheFirstAndLeavesMcpJson) {
  auto first = serving();
  const auto mcp_json = testing::read_text(root_ / ".mcp.json");
  auto second = testing::run_stork({"serve", "--port", "0"}, root_);
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_THAT(second.err, HasSubstr("http://127.0.0.1:" + std::to_string(first->port())));
  EXPECT_THAT(second.err, HasSubstr("already serves"));
  EXPECT_EQ(testing::read_text(root_ / ".mcp.json"), mcp_json);  // still names the first
  expect_healthy(first->port(), "after the second server was refused");
}

// The one item view (docs/items.md): REST, the CLI's --json and the MCP tools report the same
// field names with the same values for every field they share.
TEST_F(ServeTest, ItemSurfaces_RestCliAndMcpReportTheSameFieldsAndValues) {
  testing::write_text(root_ / ".storkit/work/1_backlog/7_story_greet.md",
                      "---\nname: Greet\nagent: coder-1\nqa: human\ndepends_on: []\n"
                      "retry_count: 2\ncustom: kept\n---\n\n## Acceptance Criteria\n\n"
                      "- [ ] prints hello\n- [x] exits zero\n");
  auto server = serving();
  auto rest_answer = http_call(server->port(), "GET", "/api/items/7");
  ASSERT_EQ(rest_answer.status, 200) << rest_answer.body;
  const auto rest = parse_json(rest_answer.body).as_object();

  auto cli_run =
      testing::run_stork({"--project", root_.string(), "story", "show", "7", "--json"}, root_);
  ASSERT_EQ(cli_run.exit_code, 0) << cli_run.err;
  const auto cli = parse_json(cli_run.out).as_object();

  McpClient mcp(server->port());
  ASSERT_TRUE(mcp.initialize());
  auto status_call = mcp.call_tool("status", R"({"story_id":"7"})");
  ASSERT_FALSE(is_tool_error(status_call)) << json::serialize(status_call);
  const auto status = status_call.at("result").at("structuredContent").as_object();
  auto todos_call = mcp.call_tool("get_story_todos", R"({"story_id":"7_story_greet"})", 11);
  ASSERT_FALSE(is_tool_error(todos_call)) << json::serialize(todos_call);
  const auto todos = todos_call.at("result").at("structuredContent").as_object();

  // The CLI's detail is the REST detail, field for field.
  EXPECT_EQ(json::serialize(cli), json::serialize(rest));
  // Every field the MCP answers share with REST has the same value; `runs` is MCP's own.
  ASSERT_GE(status.size(), 18u) << json::serialize(status);
  for (const auto& [key, value] : status) {
    if (key == "runs") continue;
    ASSERT_TRUE(rest.contains(key)) << "REST lacks the MCP status field " << key;
    EXPECT_EQ(json::serialize(value), json::serialize(rest.at(key))) << key;
  }
  EXPECT_EQ(json::serialize(todos.at("criteria")), json::serialize(rest.at("criteria")));
  EXPECT_EQ(todos.at("criteria_checked"), rest.at("criteria_checked"));
  EXPECT_EQ(todos.at("criteria_total"), rest.at("criteria_total"));
  EXPECT_EQ(text_of(todos.at("story_id")), text_of(rest.at("id")));
  // The facts themselves, once.
  EXPECT_EQ(text_of(rest.at("id")), "7_story_greet");
  EXPECT_EQ(text_of(rest.at("agent")), "coder-1");
  EXPECT_EQ(text_of(rest.at("qa")), "human");
  EXPECT_EQ(rest.at("retry_count").to_number<std::int64_t>(), 2);
  EXPECT_EQ(rest.at("criteria_checked").to_number<std::int64_t>(), 1);
  EXPECT_EQ(rest.at("criteria_total").to_number<std::int64_t>(), 2);
  EXPECT_EQ(text_of(rest.at("front_matter").at("custom")), "kept");
}

TEST_F(ServeTest, Routes_RestApiAndWebFilesAreServed) {
  testing::write_text(dir_ / "web/index.html", "<html>board</html>");
  auto server = serving({"--web-dir", (dir_ / "web").string()});
  auto pipeline = http_call(server->port(), "GET", "/api/pipeline");
  EXPECT_EQ(pipeline.status, 200);
  EXPECT_THAT(pipeline.body, HasSubstr("7_story_greet"));
  auto unknown = http_call(server->port(), "GET", "/api/nothing/here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body, HasSubstr("\"not_found\""));
  auto page = http_call(server->port(), "GET", "/board/route");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>board</html>");
}

TEST_F(ServeTest, Mcp_BadInputGetsTheDocumentedAnswerAndTheServerKeepsServing) {
  auto server = serving();
  const auto port = server->port();
  McpClient bare(port);

  auto not_json = bare.post("{not json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(text_of(rpc_error_code(not_json)), "-32700") << not_json.body;
  expect_healthy(port, "invalid JSON");

  auto old_version = bare.post(R"({"jsonrpc":"1.0","id":1,"method":"ping"})");
  EXPECT_EQ(old_version.status, 400);
  EXPECT_EQ(text_of(rpc_error_code(old_version)), "-32600") << old_version.body;
  expect_healthy(port, "wrong jsonrpc version");

  auto unknown_method = bare.post(R"({"jsonrpc":"2.0","id":2,"method":"no/such_method"})");
  EXPECT_EQ(unknown_method.status, 200);
  EXPECT_EQ(text_of(rpc_error_code(unknown_method)), "-32601") << unknown_method.body;
  expect_healthy(port, "unknown method");

  McpClient mcp(port);
  ASSERT_TRUE(mcp.initialize());
  auto unknown_tool = mcp.call_tool("no_such_tool", "{}");
  EXPECT_EQ(text_of(unknown_tool.at("error").at("code")), "-32602")
      << json::serialize(unknown_tool);
  expect_healthy(port, "unknown tool");

  auto wrong_type = mcp.call_tool("get_story_todos", R"({"story_id":42})");
  EXPECT_TRUE(is_tool_error(wrong_type)) << json::serialize(wrong_type);
  EXPECT_THAT(tool_text(wrong_type), HasSubstr("expected string"));
  expect_healthy(port, "wrong argument type");

  auto escape = mcp.call_tool("get_story_todos", R"({"story_id":"../../../etc/passwd"})");
  EXPECT_TRUE(is_tool_error(escape)) << json::serialize(escape);
  EXPECT_THAT(tool_text(escape), HasSubstr("invalid story id"));
  EXPECT_THAT(tool_text(escape), Not(HasSubstr("root:")));
  expect_healthy(port, "a story id with ../");

  auto todos = mcp.call_tool("get_story_todos", R"({"story_id":"7"})");
  EXPECT_FALSE(is_tool_error(todos)) << json::serialize(todos);
  EXPECT_THAT(tool_text(todos), HasSubstr("prints hello"));

  auto huge = mcp.post(std::string(10 << 20, ' '));
  EXPECT_EQ(huge.status, 413) << huge.error;
  expect_healthy(port, "a 10 MB body");

  auto wrong_type_header = http_call(
      port, "POST", "/mcp", {{"Content-Type", "text/plain"}, {"Accept", "application/json"}},
      R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
  EXPECT_EQ(wrong_type_header.status, 415) << wrong_type_header.body;
  expect_healthy(port, "wrong Content-Type");

  auto foreign = mcp.post(R"({"jsonrpc":"2.0","id":4,"method":"ping"})", "application/json",
                          {{"Origin", "http://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_THAT(foreign.body, HasSubstr("forbidden_origin"));
  expect_healthy(port, "a foreign Origin");

  // A client that goes away in the middle of its SSE stream: the session's standing GET
  // stream, then a tools/call answered as SSE.
  testing::HeaderList stream_headers{{"Accept", "text/event-stream"},
                                     {"Mcp-Session-Id", mcp.session()},
                                     {"MCP-Protocol-Version", "2025-11-25"}};
  EXPECT_EQ(testing::call_and_hang_up(port, "GET", "/mcp", stream_headers), 200);
  expect_healthy(port, "a client leaving its GET stream");
  // The server noticed: the session may open its one GET stream again (409 while one is open).
  EXPECT_TRUE(eventually(
      [&] { return testing::call_and_hang_up(port, "GET", "/mcp", stream_headers) == 200; }, 5s));
  auto call_headers = stream_headers;
  call_headers.emplace_back("Content-Type", "application/json");
  EXPECT_EQ(
      testing::call_and_hang_up(
          port, "POST", "/mcp", call_headers,
          R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_agents"}})"),
      200);
  expect_healthy(port, "a client leaving a tools/call stream");

  // Still a working MCP server.
  auto sse = mcp.post(R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{)"
                      R"("name":"get_story_todos","arguments":{"story_id":"7_story_greet"}}})",
                      "application/json, text/event-stream");
  EXPECT_EQ(sse.status, 200);
  EXPECT_THAT(sse.header("content-type"), HasSubstr("text/event-stream"));
  auto events = testing::sse_data(sse.body);
  ASSERT_EQ(events.size(), 1u) << sse.body;
  EXPECT_THAT(events[0], HasSubstr("prints hello"));
}

}  // namespace
}  // namespace stork
