// The server over real sockets: routing, error shapes, body limits, malformed input, handler
// failures, keep-alive, start-up errors, request metrics.
#include <atomic>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/server.hpp"
#include "http_test_client.hpp"
#include "test_server.hpp"

namespace stork::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace testing;

// A handler that echoes what the server made of the request.
Handler echo_request() {
  return [](Request& request) -> boost::asio::awaitable<Response> {
    boost::json::object params;
    for (const auto& [name, value] : request.path_params)
      params[name] = value;
    boost::json::object query;
    for (const auto& [name, value] : request.query)
      query[name] = value;
    boost::json::object out{{"method", request.method}, {"path", request.path},
                            {"params", params},         {"query", query},
                            {"body", request.body},     {"accept", request.header("ACCEPT")},
                            {"remote", request.remote}};
    co_return Response::json(200, boost::json::serialize(out));
  };
}

// Set when /api/slow's handler has begun: a request is then in progress, not merely connected.
std::atomic<bool> slow_started{false};

Router test_router() {
  Router router;
  router.add("GET", "/api/items/{id}", echo_request(), "item");
  router.add("POST", "/api/items/{id}", echo_request(), "item");
  router.add("GET", "/api/throw", [](Request&) -> boost::asio::awaitable<Response> {
    throw std::runtime_error("bug");
    co_return Response::json(200, "{}");
  });
  router.add("GET", "/api/slow", [](Request&) -> boost::asio::awaitable<Response> {
    slow_started = true;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(std::chrono::milliseconds(300));
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return Response::json(200, "{\"slow\":true}");
  });
  router.add("GET", "/api/kept", [](Request&) -> boost::asio::awaitable<Response> {
    static const auto kept = std::make_shared<const std::string>(std::string(300000, 'k'));
    co_return Response::json(200, kept);
  });
  router.add("GET", "/api/text", [](Request&) -> boost::asio::awaitable<Response> {
    Response response = Response::text(201, "hello", "text/plain");
    response.headers.emplace_back("X-Extra", "1");
    co_return response;
  });
  return router;
}

class HttpServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_body_bytes = 1 << 20;
    server_ = std::make_unique<TestServer>(options, test_router());
    ASSERT_TRUE(server_->start()) << server_->error();
  }
  unsigned short port() const { return server_->port(); }
  HttpReply get(const std::string& target) { return http_request(port(), {"GET", target}); }

  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServer, RoutesToTheHandlerWithPathParamsQueryHeadersAndBody) {
  HttpReply reply = http_request(
      port(), {"POST", "/api/items/42_story_x?since=3&q=a%20b", {{"Accept", "text/x"}}, "payload"});
  ASSERT_EQ(reply.status, 200u) << reply.error << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  auto body = boost::json::parse(reply.body).as_object();
  EXPECT_EQ(body["method"], "POST");
  EXPECT_EQ(body["path"], "/api/items/42_story_x");
  EXPECT_EQ(body["params"].as_object()["id"], "42_story_x");
  EXPECT_EQ(body["query"].as_object()["q"], "a b");
  EXPECT_EQ(body["body"], "payload");
  EXPECT_EQ(body["accept"], "text/x");
  EXPECT_THAT(std::string(body["remote"].as_string()), StartsWith("127.0.0.1:"));
}

TEST_F(HttpServer, HandlerHeadersStatusAndContentTypeReachTheClient) {
  HttpReply reply = get("/api/text");
  EXPECT_EQ(reply.status, 201u);
  EXPECT_EQ(reply.header("Content-Type"), "text/plain");
  EXPECT_EQ(reply.header("X-Extra"), "1");
  EXPECT_EQ(reply.body, "hello");
}

TEST_F(HttpServer, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  HttpReply missing = get("/api/nothing");
  EXPECT_EQ(missing.status, 404u);
  auto error = boost::json::parse(missing.body).as_object()["error"].as_object();
  EXPECT_EQ(error["code"], "not_found");
  EXPECT_THAT(std::string(error["message"].as_string()), HasSubstr("/api/nothing"));

  HttpReply wrong = http_request(port(), {"DELETE", "/api/items/1"});
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.header("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(boost::json::parse(wrong.body).at("error").at("code"), "method_not_allowed");
}

TEST_F(HttpServer, HeadGetsTheGetHeadersWithoutBody) {
  HttpReply reply = http_request(port(), {"HEAD", "/api/text"});
  EXPECT_EQ(reply.status, 201u);
  EXPECT_EQ(reply.header("Content-Length"), "5");
  EXPECT_EQ(reply.body, "");
}

TEST_F(HttpServer, ASharedBodyIsSentWholeAndHeadGetsOnlyItsLength) {
  for (int round = 0; round < 2; ++round) {  // the kept text survives being sent
    HttpReply reply = get("/api/kept");
    ASSERT_EQ(reply.status, 200u) << reply.error;
    EXPECT_EQ(reply.header("Content-Type"), "application/json");
    EXPECT_EQ(reply.header("Content-Length"), "300000");
    EXPECT_EQ(reply.body, std::string(300000, 'k'));
  }
  HttpReply head = http_request(port(), {"HEAD", "/api/kept"});
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.header("Content-Length"), "300000");
  EXPECT_TRUE(head.body.empty());
}

TEST_F(HttpServer, ThrowingHandlerIs500AndTheServerKeepsServing) {
  HttpReply reply = get("/api/throw");
  EXPECT_EQ(reply.status, 500u);
  EXPECT_EQ(boost::json::parse(reply.body).at("error").at("code"), "internal_error");
  EXPECT_EQ(get("/api/items/1").status, 200u);
}

TEST_F(HttpServer, BodyOverTheLimitIs413AndTheServerKeepsServing) {
  HttpReply reply = http_request(port(), {"POST", "/api/items/1", {}, std::string(10 << 20, 'x')});
  EXPECT_EQ(reply.status, 413u) << reply.error;
  EXPECT_EQ(boost::json::parse(reply.body).at("error").at("code"), "body_too_large");
  EXPECT_EQ(reply.header("Connection"), "close");
  EXPECT_EQ(get("/api/items/1").status, 200u);
}

TEST_F(HttpServer, ChunkedBodyOverTheLimitIs413) {
  std::string chunk(64 << 10, 'y');
  std::string request =
      "POST /api/items/1 HTTP/1.1\r\nHost: localhost\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i)
    request += "10000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  std::string response = raw_exchange(port(), request);
  EXPECT_THAT(response, StartsWith("HTTP/1.1 413"));
  EXPECT_THAT(response, HasSubstr("body_too_large"));
}

TEST_F(HttpServer, MalformedRequestIs400AndTheConnectionCloses) {
  std::string response = raw_exchange(port(), "GARBAGE\r\n\r\n");
  EXPECT_THAT(response, StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(response, HasSubstr("\"bad_request\""));
  EXPECT_THAT(raw_exchange(port(),
                           "GET /api/items/1 HTTP/1.1\r\nHost: localhost\r\n"
                           "Content-Length: nope\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(raw_exchange(port(), "GET http://evil/x HTTP/1.1\r\nHost: localhost\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_EQ(get("/api/items/1").status, 200u);
}

TEST_F(HttpServer, ExpectContinueGetsA100BeforeTheBody) {
  std::string response = raw_exchange(port(),
                                      "POST /api/items/1 HTTP/1.1\r\nHost: localhost\r\n"
                                      "Expect: 100-continue\r\nContent-Length: 4\r\n"
                                      "Connection: close\r\n\r\nbody");
  EXPECT_THAT(response, StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("\"body\":\"body\""));
}

TEST_F(HttpServer, StopLetsARequestInProgressFinishAndClosesIdleConnections) {
  HttpConnection idle(port());
  ASSERT_EQ(idle.request({"GET", "/api/items/1"}).status, 200u);
  HttpReply slow;
  slow_started = false;
  std::thread client([&] { slow = get("/api/slow"); });
  ASSERT_TRUE(eventually([&] { return slow_started.load(); }));
  ASSERT_EQ(server_->server().connection_count(), 2u);
  auto took = server_->stop(std::chrono::milliseconds(3000));
  client.join();
  EXPECT_EQ(slow.status, 200u) << slow.error;
  EXPECT_EQ(slow.header("Connection"), "close");
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  EXPECT_EQ(server_->server().connection_count(), 0u);
  EXPECT_NE(http_request(port(), {"GET", "/api/items/1"}).status, 200u);  // no longer listening
}

TEST(HttpServerIdle, IdleKeepAliveConnectionsCloseAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  TestServer server(options, test_router());
  ASSERT_TRUE(server.start()) << server.error();
  HttpConnection connection(server.port());
  ASSERT_EQ(connection.request({"GET", "/api/items/1"}).status, 200u);
  auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_server(std::chrono::milliseconds(3000)));
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(800));
}

TEST_F(HttpServer, KeepAliveAndPipelinedRequestsShareOneConnection) {
  HttpConnection connection(port());
  EXPECT_EQ(connection.request({"GET", "/api/items/1"}).status, 200u);
  EXPECT_EQ(connection.request({"GET", "/api/items/2"}).status, 200u);
  auto replies = connection.pipeline(
      "GET /api/items/3 HTTP/1.1\r\nHost: localhost\r\n\r\n"
      "GET /api/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n",
      2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].status, 200u);
  EXPECT_THAT(replies[0].body, HasSubstr("/api/items/3"));
  EXPECT_EQ(replies[1].status, 404u);
  EXPECT_EQ(server_->server().connection_count(), 1u);
}

TEST_F(HttpServer, RecordsRequestCountAndDurationByRouteAndStatusClass) {
  get("/api/items/1");
  get("/api/items/2");
  get("/api/nothing");
  std::string text = server_->metrics().render();
  EXPECT_THAT(text, HasSubstr("stork_http_requests_total{route=\"item\",status=\"2xx\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("stork_http_requests_total{route=\"unmatched\",status=\"4xx\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("stork_http_request_duration_seconds_bucket{route=\"item\","
                              "status=\"2xx\",le=\"+Inf\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr("stork_http_request_duration_seconds_count{route=\"item\",status=\"2xx\"} 2\n"));
}

TEST(HttpServerStart, FailsWithHostPortAndCauseWhenThePortIsTaken) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  unsigned short port = taken.local_endpoint().port();
  ServerOptions options;
  options.port = port;
  Server server(io.get_executor(), options, Router(), nullptr);
  auto started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.error(), HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(started.error(), HasSubstr("in use"));
}

TEST(HttpServerStart, RefusesANonLoopbackHostWithoutAToken) {
  boost::asio::io_context io;
  ServerOptions options;
  options.host = "0.0.0.0";
  options.port = 0;
  Server without(io.get_executor(), options, Router(), nullptr);
  auto refused = without.start();
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error(), HasSubstr("token"));

  options.token = "s3cret";
  Server with(io.get_executor(), options, Router(), nullptr);
  EXPECT_TRUE(with.start().ok());
  EXPECT_NE(with.bound_port(), 0);
}

TEST(HttpServerStart, FailsOnAMissingStaticDir) {
  boost::asio::io_context io;
  ServerOptions options;
  options.port = 0;
  options.static_dir = "/nonexistent/stork/web";
  Server server(io.get_executor(), options, Router(), nullptr);
  auto started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.error(), HasSubstr("/nonexistent/stork/web"));
}

}  // namespace
}  // namespace stork::http
