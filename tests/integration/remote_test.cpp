// The board from another machine, over real sockets to the real `stork serve` bound to
// 127.0.0.2 (a stand-in for a remote host): allowed hosts, the login page, the one-time link,
// the session cookie and its CSRF rule, the viewer token, the login flood limit, revocation.
// Every refusal is followed by a request that still succeeds (the server keeps serving).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../unit/http/http_test_client.hpp"
#include "http/host_names.hpp"
#include "serve_process.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using testing::eventually;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using http::testing::HttpCall;
using http::testing::HttpReply;
using http::testing::WsTestClient;
using testing::ServeProcess;

constexpr const char* kToken = "admin-token-0123456789";
constexpr const char* kViewer = "viewer-token-9876543210";

// "stork_session=abc; Path=/; ..." -> "stork_session=abc"
std::string cookie_pair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

class Remote : public ::testing::Test {
 protected:
  void SetUp() override {
    http::testing::set_server_address("127.0.0.2");
    fs::create_directories(root_ / ".storkit/work/1_backlog");
    testing::init_repo(root_);
    testing::write_text(root_ / ".gitignore", ".storkit/state.db*\n.storkit/logs/\n");
    testing::write_text(root_ / ".storkit/project.toml",
                        "[server]\nallowed_hosts = [\"boardbox\"]\n");
    testing::write_text(root_ / ".storkit/work/1_backlog/1_story_first.md",
                        "---\nname: First\n---\n\n## Acceptance Criteria\n\n- [ ] works\n");
    testing::git(root_, {"add", "-A"});
    testing::git(root_, {"commit", "-qm", "project"});
  }
  void TearDown() override { http::testing::set_server_address("127.0.0.1"); }

  void serve(std::vector<std::string> args) {
    std::vector<std::string> full{"serve", "--host",    "127.0.0.2",   "--port",
                                  "0",     "--project", root_.string()};
    full.insert(full.end(), args.begin(), args.end());
    server_ = std::make_unique<ServeProcess>(full, root_, dir_ / "logs");
    ASSERT_TRUE(server_->wait_listening()) << server_->output();
    port_ = server_->port();
  }

  std::string host(const std::string& name) const { return name + ":" + std::to_string(port_); }
  std::string origin(const std::string& name) const { return "http://" + host(name); }

  HttpReply call(const std::string& method, const std::string& target,
                 http::testing::Headers headers = {}, const std::string& body = {}) const {
    return http::testing::http_request(port_, HttpCall(method, target, std::move(headers), body));
  }
  HttpReply bearer(const std::string& method, const std::string& target,
                   const std::string& token = kToken) const {
    return call(method, target, {{"Authorization", std::string("Bearer ") + token}});
  }
  // Logs in through the form as a browser on `name` would; the cookie ("stork_session=...").
  std::string login(const std::string& token, const std::string& name = "buildbox") const {
    auto reply =
        call("POST", "/login",
             {{"Host", host(name)}, {"Origin", origin(name)}, {"Content-Type", "application/json"}},
             std::string("{\"token\":\"") + token + "\"}");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return cookie_pair(reply.header("Set-Cookie"));
  }
  void expect_serving() const {
    EXPECT_EQ(bearer("GET", "/healthz").status, 200u) << server_->output();
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "repo";
  std::unique_ptr<ServeProcess> server_;
  unsigned short port_ = 0;
};

TEST_F(Remote, Hosts_FlagFileAndBoundAddressAreAllowedAnyOtherHostIs403) {
  serve({"--allowed-host", "buildbox"});
  for (const char* name : {"buildbox", "BuildBox", "boardbox", "127.0.0.2", "localhost"}) {
    auto reply = call("GET", "/healthz", {{"Host", host(name)}});
    EXPECT_EQ(reply.status, 200u) << name << ": " << reply.body;
  }
  for (const char* name : {"evil.example", "buildbox.evil.example", "127.0.0.3"}) {
    auto reply = call("GET", "/healthz", {{"Host", host(name)}});
    EXPECT_EQ(reply.status, 403u) << name;
    EXPECT_THAT(reply.body, HasSubstr("forbidden_host"));
  }
  auto foreign_origin =
      call("GET", "/api/pipeline", {{"Host", host("buildbox")}, {"Origin", origin("evil")}});
  EXPECT_EQ(foreign_origin.status, 403u);
  EXPECT_EQ(call("GET", "/healthz").status, 200u);
}

TEST_F(Remote, Hosts_AllInterfacesAllowTheMachineNameAndPrintEveryAddressAndTheLoginLink) {
  http::testing::set_server_address("127.0.0.1");
  std::vector<std::string> full{"serve",     "--host",       "0.0.0.0", "--port", "0",
                                "--project", root_.string(), "--token", kToken};
  server_ = std::make_unique<ServeProcess>(full, root_, dir_ / "logs");
  ASSERT_TRUE(server_->wait_listening()) << server_->output();
  port_ = server_->port();
  const std::string name = http::machine_host_name();
  ASSERT_FALSE(name.empty());
  auto by_name = call("GET", "/healthz",
                      {{"Host", host(name)}, {"Authorization", std::string("Bearer ") + kToken}});
  EXPECT_EQ(by_name.status, 200u) << by_name.body;
  auto other =
      call("GET", "/healthz",
           {{"Host", host("evil.example")}, {"Authorization", std::string("Bearer ") + kToken}});
  EXPECT_EQ(other.status, 403u);
  ASSERT_TRUE(
      eventually([&] { return server_->out().find("log in at") != std::string::npos; }, 2s));
  const std::string out = server_->out();
  EXPECT_THAT(out, HasSubstr("open the board at http://127.0.0.1:" + std::to_string(port_) + "/"));
  EXPECT_THAT(out, HasSubstr("open the board at http://" + name + ":" + std::to_string(port_)));
  EXPECT_THAT(out, HasSubstr("/login?token=" + std::string(kToken)));
  EXPECT_THAT(server_->err(), HasSubstr("serving plain HTTP"));
}

TEST_F(Remote, Login_BrowserGetsThePageTheLinkSetsAStrictHttpOnlyCookieAndRedirects) {
  serve({"--allowed-host", "buildbox", "--token", kToken});
  auto page = call("GET", "/", {{"Host", host("buildbox")}, {"Accept", "text/html"}});
  EXPECT_EQ(page.status, 200u);
  EXPECT_THAT(page.header("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(page.body, HasSubstr("<form id=\"login\""));
  auto api = call("GET", "/api/pipeline", {{"Host", host("buildbox")}});
  EXPECT_EQ(api.status, 401u);

  auto link = call("GET", std::string("/login?token=") + kToken, {{"Host", host("buildbox")}});
  EXPECT_EQ(link.status, 303u);
  EXPECT_EQ(link.header("Location"), "/");
  const std::string set_cookie = link.header("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set_cookie, HasSubstr("Max-Age=604800"));
  EXPECT_THAT(set_cookie, Not(HasSubstr("Secure")));
  const std::string cookie = cookie_pair(set_cookie);
  auto with_cookie = call("GET", "/api/pipeline", {{"Host", host("buildbox")}, {"Cookie", cookie}});
  EXPECT_EQ(with_cookie.status, 200u) << with_cookie.body;
  EXPECT_THAT(with_cookie.body, HasSubstr("1_story_first"));

  auto bad_link = call("GET", "/login?token=nope", {{"Host", host("buildbox")}});
  EXPECT_EQ(bad_link.status, 401u);
  EXPECT_THAT(bad_link.body, HasSubstr("not valid"));
  EXPECT_TRUE(bad_link.header("Set-Cookie").empty());
}

TEST_F(Remote, Cookie_ForgedIs401CrossSiteWritesAndUpgradesAre403SameSiteOnesPass) {
  serve({"--allowed-host", "buildbox", "--allowed-host", "other", "--token", kToken});
  const std::string cookie = login(kToken);
  auto forged =
      call("GET", "/api/pipeline",
           {{"Host", host("buildbox")}, {"Cookie", "stork_session=" + std::string(64, 'a')}});
  EXPECT_EQ(forged.status, 401u);
  const std::string create = R"({"name":"From the board"})";
  auto no_origin =
      call("POST", "/api/items",
           {{"Host", host("buildbox")}, {"Cookie", cookie}, {"Content-Type", "application/json"}},
           create);
  EXPECT_EQ(no_origin.status, 403u);
  EXPECT_THAT(no_origin.body, HasSubstr("cross_site"));
  auto evil = call("POST", "/api/items",
                   {{"Host", host("buildbox")},
                    {"Cookie", cookie},
                    {"Origin", "http://evil.example"},
                    {"Content-Type", "application/json"}},
                   create);
  EXPECT_EQ(evil.status, 403u);
  // An allowed name, but not the page's own origin: still another site.
  auto other = call("POST", "/api/items",
                    {{"Host", host("buildbox")},
                     {"Cookie", cookie},
                     {"Origin", origin("other")},
                     {"Content-Type", "application/json"}},
                    create);
  EXPECT_EQ(other.status, 403u);
  auto same = call("POST", "/api/items",
                   {{"Host", host("buildbox")},
                    {"Cookie", cookie},
                    {"Origin", origin("buildbox")},
                    {"Content-Type", "application/json"}},
                   create);
  EXPECT_EQ(same.status, 201u) << same.body;

  WsTestClient cross(
      port_, "/ws",
      {{"Host", host("buildbox")}, {"Cookie", cookie}, {"Origin", "http://evil.example"}});
  EXPECT_FALSE(cross.connected());
  EXPECT_EQ(cross.handshake_status(), 403u);
  WsTestClient none(port_, "/ws", {{"Host", host("buildbox")}, {"Cookie", cookie}});
  EXPECT_EQ(none.handshake_status(), 403u);
  WsTestClient board(
      port_, "/ws",
      {{"Host", host("buildbox")}, {"Cookie", cookie}, {"Origin", origin("buildbox")}});
  EXPECT_TRUE(board.connected()) << board.error();
  expect_serving();
}

TEST_F(Remote, Viewer_WatchesButEveryWriteIs403ReadOnly) {
  serve({"--allowed-host", "buildbox", "--token", kToken, "--viewer-token", kViewer});
  const std::string cookie = login(kViewer);
  auto read = call("GET", "/api/pipeline", {{"Host", host("buildbox")}, {"Cookie", cookie}});
  EXPECT_EQ(read.status, 200u);
  auto start = call("POST", "/api/agents/start",
                    {{"Host", host("buildbox")},
                     {"Cookie", cookie},
                     {"Origin", origin("buildbox")},
                     {"Content-Type", "application/json"}},
                    R"({"story_id":"1_story_first"})");
  EXPECT_EQ(start.status, 403u);
  EXPECT_THAT(start.body, HasSubstr("read_only"));
  EXPECT_THAT(start.body, HasSubstr("watch"));
  auto by_bearer = call(
      "POST", "/api/items",
      {{"Authorization", std::string("Bearer ") + kViewer}, {"Content-Type", "application/json"}},
      R"({"name":"x"})");
  EXPECT_EQ(by_bearer.status, 403u);
  auto mcp = call(
      "POST", "/mcp",
      {{"Authorization", std::string("Bearer ") + kViewer}, {"Content-Type", "application/json"}},
      "{}");
  EXPECT_EQ(mcp.status, 403u);
  WsTestClient watch(
      port_, "/ws",
      {{"Host", host("buildbox")}, {"Cookie", cookie}, {"Origin", origin("buildbox")}});
  ASSERT_TRUE(watch.connected()) << watch.error();
  EXPECT_TRUE(watch.send(R"({"type":"subscribe","pipeline":true})"));
  auto subscribed = watch.receive(2s);
  ASSERT_TRUE(subscribed);
  EXPECT_THAT(*subscribed, HasSubstr("subscribed"));
  expect_serving();
}

TEST_F(Remote, LoginFlood_Is429WithRetryAfterThenRecovers) {
  serve({"--allowed-host", "buildbox", "--token", kToken});
  auto wrong = [&] {
    return call("POST", "/login",
                {{"Host", host("buildbox")},
                 {"Origin", origin("buildbox")},
                 {"Content-Type", "application/json"}},
                R"({"token":"guess"})");
  };
  auto first = wrong();
  EXPECT_EQ(first.status, 401u);
  EXPECT_THAT(first.body, HasSubstr("not valid"));
  HttpReply limited;
  for (int i = 0; i < 10 && limited.status != 429; ++i)
    limited = wrong();
  ASSERT_EQ(limited.status, 429u) << limited.body;
  EXPECT_FALSE(limited.header("Retry-After").empty());
  // Even the right token waits: the limit says nothing about which guess was right.
  auto right_too_soon = call("POST", "/login",
                             {{"Host", host("buildbox")},
                              {"Origin", origin("buildbox")},
                              {"Content-Type", "application/json"}},
                             std::string("{\"token\":\"") + kToken + "\"}");
  EXPECT_EQ(right_too_soon.status, 429u);
  expect_serving();
  EXPECT_TRUE(eventually(
      [&] {
        return call("POST", "/login",
                    {{"Host", host("buildbox")},
                     {"Origin", origin("buildbox")},
                     {"Content-Type", "application/json"}},
                    std::string("{\"token\":\"") + kToken + "\"}")
                   .status == 200u;
      },
      6s));
}

TEST_F(Remote, TokenRevoke_EndsEveryBoardLoginAndBearerStillWorks) {
  serve({"--allowed-host", "buildbox", "--token", kToken});
  const std::string cookie = login(kToken);
  ASSERT_EQ(call("GET", "/api/pipeline", {{"Host", host("buildbox")}, {"Cookie", cookie}}).status,
            200u);
  auto revoked = testing::run_stork({"token", "revoke"}, root_, {{"STORK_TOKEN", kToken}});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_THAT(revoked.out, HasSubstr("revoked 1 board login"));
  EXPECT_EQ(call("GET", "/api/pipeline", {{"Host", host("buildbox")}, {"Cookie", cookie}}).status,
            401u);
  auto without_token = testing::run_stork({"token", "revoke"}, root_);
  EXPECT_NE(without_token.exit_code, 0);
  expect_serving();
}

}  // namespace
}  // namespace stork

namespace stork {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

// One wss:// exchange with the server on 127.0.0.2:`port` as host `name`: the server's
// certificate is verified against `ca` and `name` (so it is ours, not any TLS), the upgrade
// carries the bearer token, `message` goes out and the first reply comes back. Errors come back
// as "error: ...". Bounded: 10 s in all.
std::string wss_exchange(unsigned short port, const std::string& name, const std::string& ca,
                         const std::string& token, const std::string& message) {
  asio::io_context io;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.load_verify_file(ca);
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, tls);
  std::string result = "error: timed out";
  auto exchange = [&]() -> asio::awaitable<void> {
    auto& layer = ws.next_layer();
    layer.set_verify_mode(asio::ssl::verify_peer);
    layer.set_verify_callback(asio::ssl::host_name_verification(name));
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.2"), port);
    co_await beast::get_lowest_layer(ws).async_connect(endpoint, asio::use_awaitable);
    co_await layer.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    const std::string bearer = "Bearer " + token;
    ws.set_option(
        beast::websocket::stream_base::decorator([bearer](beast::websocket::request_type& request) {
          request.set(beast::http::field::authorization, bearer);
        }));
    const std::string host = name + ":" + std::to_string(port);
    co_await ws.async_handshake(host, "/ws", asio::use_awaitable);
    co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
    beast::flat_buffer buffer;
    co_await ws.async_read(buffer, asio::use_awaitable);
    result = beast::buffers_to_string(buffer.data());
  };
  asio::co_spawn(io, exchange(), [&result](const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      result = std::string("error: ") + e.what();
    }
  });
  io.run_for(std::chrono::seconds(10));
  return result;
}

// TLS: certificates made with the `openssl` command; the server's start-up errors, HTTPS with
// curl and WSS with Beast (the browser test, web/e2e/tls.e2e.mjs, covers the board).
class Tls : public Remote {
 protected:
  // Runs `command` with sh; true on exit 0.
  static bool sh(const std::string& command) { return std::system(command.c_str()) == 0; }

  void make_cert(const std::string& name, const std::string& extra = "-days 1") {
    ASSERT_TRUE(sh("openssl req -x509 -newkey rsa:2048 -nodes " + extra +
                   " -subj /CN=buildbox -keyout '" + (dir_ / (name + ".key")).string() +
                   "' -out '" + (dir_ / (name + ".pem")).string() + "' 2>/dev/null"));
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  testing::Finished refused(std::vector<std::string> tls) const {
    std::vector<std::string> full{"serve", "--host", "127.0.0.2", "--port", "0"};
    full.insert(full.end(), tls.begin(), tls.end());
    return testing::run_stork(full, root_);
  }
};

TEST_F(Tls, StartUpErrorsNameTheFileAndWhatIsWrong) {
  make_cert("a");
  make_cert("b");
  auto missing = refused({"--tls-cert", file("nope.pem"), "--tls-key", file("a.key")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("--tls-cert " + file("nope.pem") + ": no such file"));
  auto no_key = refused({"--tls-cert", file("a.pem"), "--tls-key", file("nokey.key")});
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_THAT(no_key.err, HasSubstr("--tls-key " + file("nokey.key") + ": no such file"));
  auto mismatch = refused({"--tls-cert", file("a.pem"), "--tls-key", file("b.key")});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.err, HasSubstr("does not belong to the certificate in " + file("a.pem")));
  auto not_pem = refused({"--tls-cert", file("a.key"), "--tls-key", file("a.key")});
  EXPECT_EQ(not_pem.exit_code, 1);
  EXPECT_THAT(not_pem.err, HasSubstr("not a PEM certificate"));
  // Re-signed to end now: expired a second later.
  ASSERT_TRUE(sh("openssl x509 -in '" + file("a.pem") + "' -signkey '" + file("a.key") +
                 "' -days 0 -out '" + file("expired.pem") + "' 2>/dev/null && sleep 1"));
  auto expired = refused({"--tls-cert", file("expired.pem"), "--tls-key", file("a.key")});
  EXPECT_EQ(expired.exit_code, 1);
  EXPECT_THAT(expired.err, HasSubstr("the certificate expired on"));
  auto half = refused({"--tls-cert", file("a.pem")});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("go together"));
}

TEST_F(Tls, ServesHttpsWithSecureCookiesAndPrintsHttpsAddresses) {
  make_cert("a");
  serve({"--token", kToken, "--allowed-host", "buildbox", "--tls-cert", file("a.pem"), "--tls-key",
         file("a.key")});
  EXPECT_THAT(server_->out(), HasSubstr("listening on https://127.0.0.2:"));
  // Not loopback, but TLS: no plain-HTTP warning (Remote's tests pin it without TLS).
  EXPECT_THAT(server_->err(), Not(HasSubstr("serving plain HTTP")));
  const std::string url = "https://buildbox:" + std::to_string(port_);
  const std::string resolve = " --resolve buildbox:" + std::to_string(port_) + ":127.0.0.2 ";
  const std::string headers = file("headers.txt");
  ASSERT_TRUE(sh("curl -sk" + resolve + "-o /dev/null -D '" + headers + "' '" + url +
                 "/login?token=" + kToken + "'"));
  std::ifstream in(headers);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("303"));
  EXPECT_THAT(text, HasSubstr("; Secure"));
  EXPECT_TRUE(sh("curl -skf" + resolve + "-H 'Authorization: Bearer " + std::string(kToken) +
                 "' '" + url + "/healthz' >/dev/null"));
  // Plain HTTP to the TLS port gets no answer, and the server keeps serving.
  EXPECT_FALSE(sh("curl -sf --max-time 5 http://127.0.0.2:" + std::to_string(port_) +
                  "/healthz >/dev/null"));
  EXPECT_TRUE(sh("curl -skf" + resolve + "-H 'Authorization: Bearer " + std::string(kToken) +
                 "' '" + url + "/healthz' >/dev/null"));
}

TEST_F(Tls, ServesWssWithTheGivenCertificate) {
  make_cert("a");
  make_cert("other");
  serve({"--token", kToken, "--allowed-host", "buildbox", "--tls-cert", file("a.pem"), "--tls-key",
         file("a.key")});
  const std::string subscribe = R"({"type":"subscribe","pipeline":true})";
  auto reply = wss_exchange(port_, "buildbox", file("a.pem"), kToken, subscribe);
  EXPECT_THAT(reply, HasSubstr("subscribed"));
  // A client that trusts only another certificate refuses the handshake: the server presents
  // the one it was given.
  auto distrusted = wss_exchange(port_, "buildbox", file("other.pem"), kToken, subscribe);
  EXPECT_THAT(distrusted, HasSubstr("error: "));
  EXPECT_THAT(distrusted, HasSubstr("certificate verify failed"));
  // Without the token the upgrade is refused, over TLS as over plain HTTP.
  auto anonymous = wss_exchange(port_, "buildbox", file("a.pem"), "wrong", subscribe);
  EXPECT_THAT(anonymous, HasSubstr("error: "));
  EXPECT_THAT(wss_exchange(port_, "buildbox", file("a.pem"), kToken, subscribe),
              HasSubstr("subscribed"));
}

// Agents cannot verify a self-signed certificate and the CLI speaks plain HTTP: under TLS
// .mcp.json names a plain listener on 127.0.0.1 with the same routes and token, no board.
TEST_F(Tls, AgentsAndTheCliGetAPlainLoopbackListenerWithTheToken) {
  make_cert("a");
  serve({"--token", kToken, "--tls-cert", file("a.pem"), "--tls-key", file("a.key")});
  std::ifstream in(root_ / ".mcp.json");
  const std::string mcp_json((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  std::smatch found;
  ASSERT_TRUE(std::regex_search(mcp_json, found, std::regex(R"(http://127\.0\.0\.1:(\d+)/mcp)")))
      << mcp_json;
  const auto agent_port = static_cast<unsigned short>(std::stoi(found[1].str()));
  EXPECT_NE(agent_port, port_);
  http::testing::set_server_address("127.0.0.1");
  const std::string initialize =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":)"
      R"("2025-11-25","capabilities":{},"clientInfo":{"name":"tls_test","version":"1"}}})";
  const http::testing::Headers json{{"Content-Type", "application/json"},
                                    {"Accept", "application/json, text/event-stream"}};
  auto with_token = json;
  with_token.emplace_back("Authorization", std::string("Bearer ") + kToken);
  auto reply =
      http::testing::http_request(agent_port, HttpCall("POST", "/mcp", with_token, initialize));
  EXPECT_EQ(reply.status, 200u) << reply.body << reply.error;
  EXPECT_THAT(reply.body, HasSubstr("serverInfo"));
  EXPECT_EQ(
      http::testing::http_request(agent_port, HttpCall("POST", "/mcp", json, initialize)).status,
      401u);
  // REST with the token, as on the TLS port; no board (static files) and no /ws there.
  auto pipeline = http::testing::http_request(
      agent_port,
      HttpCall("GET", "/api/pipeline", {{"Authorization", std::string("Bearer ") + kToken}}));
  EXPECT_EQ(pipeline.status, 200u) << pipeline.body;
  EXPECT_THAT(pipeline.body, HasSubstr("1_story_first"));
  auto page = http::testing::http_request(
      agent_port, HttpCall("GET", "/", {{"Authorization", std::string("Bearer ") + kToken}}));
  EXPECT_EQ(page.status, 404u) << page.body;
  // The CLI finds the server through .mcp.json and reaches it.
  auto status = testing::run_stork({"status"}, root_, {{"STORK_TOKEN", kToken}});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_THAT(status.out, HasSubstr("First"));
  // And not on the public address.
  http::testing::set_server_address("127.0.0.2");
  EXPECT_EQ(http::testing::http_request(agent_port, HttpCall("GET", "/healthz")).status, 0u);
}

}  // namespace
}  // namespace stork
