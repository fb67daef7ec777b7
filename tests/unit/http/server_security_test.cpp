// The security rules and the static files over real sockets.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/server.hpp"
#include "http_test_client.hpp"
#include "support/temp_dir.hpp"
#include "test_server.hpp"

namespace stork::http {
namespace {

namespace fs = std::filesystem;
using stork::testing::TempDir;
using stork::testing::write_text;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using namespace testing;

Router ping_router() {
  Router router;
  router.add("GET", "/api/ping", reply_with("{\"pong\":true}"));
  return router;
}

class HttpServerToken : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.token = "s3cret";
    server_ = std::make_unique<TestServer>(options, ping_router());
    ASSERT_TRUE(server_->start()) << server_->error();
    server_->server().set_ws_handler("/ws", WsHandler{});
  }
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerToken, RequestsWithoutTheRightBearerTokenAre401) {
  HttpReply none = http_request(server_->port(), {"GET", "/api/ping"});
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer");
  EXPECT_THAT(none.body, HasSubstr("\"unauthorized\""));

  HttpReply wrong =
      http_request(server_->port(), {"GET", "/api/ping", {{"Authorization", "Bearer s3cres"}}});
  EXPECT_EQ(wrong.status, 401u);
  HttpReply query = http_request(server_->port(), {"GET", "/api/ping?token=s3cret"});
  EXPECT_EQ(query.status, 401u);  // the query token is for WebSocket upgrades only

  HttpReply right =
      http_request(server_->port(), {"GET", "/api/ping", {{"Authorization", "Bearer s3cret"}}});
  EXPECT_EQ(right.status, 200u);
}

TEST_F(HttpServerToken, WebSocketUpgradeAcceptsTheTokenInTheQuery) {
  WsTestClient none(server_->port(), "/ws");
  EXPECT_FALSE(none.connected());
  EXPECT_EQ(none.handshake_status(), 401u);
  WsTestClient wrong(server_->port(), "/ws?token=nope");
  EXPECT_EQ(wrong.handshake_status(), 401u);
  WsTestClient query(server_->port(), "/ws?token=s3cret");
  EXPECT_TRUE(query.connected()) << query.error();
  WsTestClient header(server_->port(), "/ws", {{"Authorization", "Bearer s3cret"}});
  EXPECT_TRUE(header.connected()) << header.error();
}

class HttpServerOrigin : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(ServerOptions{}, ping_router());
    ASSERT_TRUE(server_->start()) << server_->error();
    server_->server().set_ws_handler("/ws", WsHandler{});
  }
  HttpReply ping(std::vector<std::pair<std::string, std::string>> headers) {
    return http_request(server_->port(), {"GET", "/api/ping", std::move(headers)});
  }
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerOrigin, ForeignHostIs403ForbiddenHost) {
  HttpReply reply = ping({{"Host", "attacker.example:3000"}});
  EXPECT_EQ(reply.status, 403u);
  EXPECT_THAT(reply.body, HasSubstr("\"forbidden_host\""));
  EXPECT_EQ(ping({{"Host", "localhost:3000"}}).status, 200u);
  EXPECT_EQ(ping({{"Host", "[::1]:3000"}}).status, 200u);
}

TEST_F(HttpServerOrigin, ForeignOriginIs403AndALocalhostOriginIsFine) {
  HttpReply foreign = ping({{"Origin", "http://attacker.example"}});
  EXPECT_EQ(foreign.status, 403u);
  EXPECT_THAT(foreign.body, HasSubstr("\"forbidden_origin\""));
  EXPECT_EQ(ping({{"Origin", "http://localhost:5173"}}).status, 200u);
  EXPECT_EQ(ping({{"Origin", "http://127.0.0.1:3000"}}).status, 200u);
}

TEST_F(HttpServerOrigin, WebSocketUpgradeFromAForeignOriginIsRefused) {
  WsTestClient foreign(server_->port(), "/ws", {{"Origin", "http://attacker.example"}});
  EXPECT_FALSE(foreign.connected());
  EXPECT_EQ(foreign.handshake_status(), 403u);
  WsTestClient local(server_->port(), "/ws", {{"Origin", "http://localhost:3000"}});
  EXPECT_TRUE(local.connected()) << local.error();
}

class HttpServerStatic : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(dir_ / "web/index.html", "<html>index</html>");
    write_text(dir_ / "web/assets/app.js", "console.log(1)");
    write_text(dir_ / "web/assets/style.css", "body{}");
    write_text(dir_ / "secret.txt", "TOP SECRET");
    fs::create_symlink(dir_ / "secret.txt", dir_ / "web/link.txt");
    ServerOptions options;
    options.static_dir = dir_ / "web";
    Router router = ping_router();
    server_ = std::make_unique<TestServer>(options, std::move(router));
    ASSERT_TRUE(server_->start()) << server_->error();
  }
  HttpReply get(const std::string& target) {
    return http_request(server_->port(), {"GET", target});
  }
  std::string raw_get(const std::string& target) {
    return raw_exchange(
        server_->port(),
        "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerStatic, ServesFilesWithContentTypesAndIndexForAppPaths) {
  HttpReply js = get("/assets/app.js");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(get("/assets/style.css").header("Content-Type"), "text/css; charset=utf-8");

  HttpReply root = get("/");
  EXPECT_EQ(root.status, 200u);
  EXPECT_EQ(root.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(root.body, "<html>index</html>");
  EXPECT_EQ(get("/board/items/42_story_x").body, "<html>index</html>");
  EXPECT_EQ(get("/assets/missing.js").status, 404u);
  EXPECT_EQ(get("/api/ping").body, "{\"pong\":true}");  // routes come first
  HttpReply head = http_request(server_->port(), {"HEAD", "/assets/app.js"});
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.header("Content-Length"), "14");
}

TEST_F(HttpServerStatic, NeverServesAFileOutsideTheStaticDir) {
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
                             "//secret.txt", "/link.txt"}) {
    std::string response = raw_get(target);
    EXPECT_THAT(response, Not(HasSubstr("TOP SECRET"))) << target;
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400") || response.starts_with("HTTP/1.1 404"))
        << target << ": " << response.substr(0, 40);
  }
  std::string absolute = raw_get((dir_ / "secret.txt").string());
  EXPECT_THAT(absolute, Not(HasSubstr("TOP SECRET")));
  EXPECT_THAT(raw_get("/link.txt"), StartsWith("HTTP/1.1 404"));
}

TEST_F(HttpServerStatic, OnlyGetAndHeadReachStaticFiles) {
  HttpReply post = http_request(server_->port(), {"POST", "/assets/app.js", {}, "x"});
  EXPECT_EQ(post.status, 404u);
  EXPECT_THAT(post.body, Not(HasSubstr("console.log")));
}

}  // namespace
}  // namespace stork::http
