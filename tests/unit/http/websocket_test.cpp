// WebSocket plumbing over real sockets: echo, broadcast to many, a client that does not read,
// the client leaving.
#include <atomic>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/server.hpp"
#include "http/ws_client_access.hpp"
#include "http_test_client.hpp"
#include "test_server.hpp"

namespace stork::http {
namespace {

using namespace testing;

// The app side of the tests: every open client, and what happened to them.
struct Clients {
  std::mutex mutex;
  std::vector<std::shared_ptr<WsClient>> open;
  std::vector<std::uint64_t> overflowed;
  std::atomic<int> closes{0};

  WsHandler handler() {
    WsHandler handler;
    handler.on_open = [this](std::shared_ptr<WsClient> client) {
      std::lock_guard lock(mutex);
      open.push_back(std::move(client));
    };
    handler.on_message = [](const std::shared_ptr<WsClient>& client, std::string text) {
      client->send("echo: " + text);
    };
    handler.on_overflow = [this](const std::shared_ptr<WsClient>& client) {
      std::lock_guard lock(mutex);
      overflowed.push_back(client->id());
    };
    handler.on_close = [this](const std::shared_ptr<WsClient>& client) {
      std::lock_guard lock(mutex);
      std::erase(open, client);
      ++closes;
    };
    return handler;
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return open.size();
  }
  std::vector<std::shared_ptr<WsClient>> snapshot() {
    std::lock_guard lock(mutex);
    return open;
  }
  std::vector<std::uint64_t> overflows() {
    std::lock_guard lock(mutex);
    return overflowed;
  }
};

class HttpServerWebSocket : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    server_ = std::make_unique<TestServer>(options, Router());
    server_->server().set_ws_handler("/ws", clients_.handler());
    ASSERT_TRUE(server_->start()) << server_->error();
  }
  Clients clients_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerWebSocket, EchoHandlerRoundTrip) {
  start();
  WsTestClient client(server_->port(), "/ws?since=5");
  ASSERT_TRUE(client.connected()) << client.error();
  ASSERT_TRUE(client.send("ping"));
  EXPECT_EQ(client.receive(), "echo: ping");
  ASSERT_TRUE(client.send("two"));
  EXPECT_EQ(client.receive(), "echo: two");
  auto open = clients_.snapshot();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]->request().path, "/ws");
  EXPECT_EQ(open[0]->request().query.at("since"), "5");
}

TEST_F(HttpServerWebSocket, UpgradeToAPathWithoutHandlerIs404) {
  start();
  WsTestClient client(server_->port(), "/other");
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(client.handshake_status(), 404u);
}

TEST_F(HttpServerWebSocket, HundredClientsEachGetABroadcast) {
  start();
  std::vector<std::unique_ptr<WsTestClient>> sockets;
  for (int i = 0; i < 100; ++i) {
    sockets.push_back(std::make_unique<WsTestClient>(server_->port(), "/ws"));
    ASSERT_TRUE(sockets.back()->connected()) << i << ": " << sockets.back()->error();
  }
  ASSERT_TRUE(eventually([&] { return clients_.count() == 100; }));
  for (const auto& client : clients_.snapshot())
    EXPECT_TRUE(client->send("broadcast 1"));
  for (const auto& client : clients_.snapshot())
    EXPECT_TRUE(client->send("broadcast 2"));
  for (auto& socket : sockets) {
    EXPECT_EQ(socket->receive(), "broadcast 1");
    EXPECT_EQ(socket->receive(), "broadcast 2");
  }
}

TEST_F(HttpServerWebSocket, ClientThatNeverReadsOverflowsWhileTheOthersGetEverything) {
  ServerOptions options;
  options.ws_queue_messages = 8;
  options.ws_queue_bytes = 1 << 20;
  start(options);
  WsTestClient reader_a(server_->port(), "/ws");
  WsTestClient reader_b(server_->port(), "/ws");
  WsTestClient stuck(server_->port(), "/ws", {}, /*receive_buffer_bytes=*/4096);
  ASSERT_TRUE(reader_a.connected() && reader_b.connected() && stuck.connected());
  ASSERT_TRUE(eventually([&] { return clients_.count() == 3; }));
  auto open = clients_.snapshot();

  // Paced so that a reading client never has more than one message queued: only the client
  // that does not read can fall behind.
  std::string padding(64 << 10, 'p');
  int sent = 0;
  for (; sent < 2000 && clients_.overflows().empty(); ++sent) {
    std::string message = "m" + std::to_string(sent) + ":" + padding;
    for (const auto& client : open)
      client->send(message);
    ASSERT_EQ(reader_a.receive(), message) << "message " << sent;
    ASSERT_EQ(reader_b.receive(), message) << "message " << sent;
  }
  ASSERT_TRUE(eventually([&] { return !clients_.overflows().empty(); }))
      << "no overflow after " << sent << " messages";
  EXPECT_EQ(clients_.overflows().size(), 1u);
  auto stuck_client = std::find_if(open.begin(), open.end(), [&](const auto& client) {
    return client->id() == clients_.overflows().front();
  });
  ASSERT_NE(stuck_client, open.end());
  EXPECT_TRUE((*stuck_client)->overflowed());
  EXPECT_FALSE((*stuck_client)->send("refused until resync"));
  (*stuck_client)->resync();
  EXPECT_TRUE((*stuck_client)->send("accepted again"));

  // The readers still get every message after the overflow.
  for (const auto& client : open)
    client->send("after");
  EXPECT_EQ(reader_a.receive(), "after");
  EXPECT_EQ(reader_b.receive(), "after");
  EXPECT_EQ(clients_.overflows().size(), 1u);
}

TEST_F(HttpServerWebSocket, ClientLeavingRunsOnCloseAndRefusesSends) {
  start();
  std::shared_ptr<WsClient> server_side;
  {
    WsTestClient client(server_->port(), "/ws");
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(eventually([&] { return clients_.count() == 1; }));
    server_side = clients_.snapshot().front();
    client.close();
  }
  EXPECT_TRUE(eventually([&] { return clients_.closes == 1; }, std::chrono::milliseconds(1000)));
  EXPECT_TRUE(server_side->closed());
  EXPECT_FALSE(server_side->send("gone"));
  EXPECT_TRUE(eventually([&] { return server_->server().connection_count() == 0; }));
}

TEST_F(HttpServerWebSocket, ServerSideCloseSendsACloseFrame) {
  start();
  WsTestClient client(server_->port(), "/ws");
  ASSERT_TRUE(eventually([&] { return clients_.count() == 1; }));
  auto server_side = clients_.snapshot().front();
  server_side->send("bye");
  server_side->close();
  EXPECT_EQ(client.receive(), "bye");
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(eventually([&] { return clients_.closes == 1; }));
}

TEST_F(HttpServerWebSocket, StopClosesSessionsAndReturnsWithinTheGrace) {
  start();
  WsTestClient first(server_->port(), "/ws");
  WsTestClient second(server_->port(), "/ws");
  HttpConnection idle(server_->port());  // an idle keep-alive connection
  ASSERT_TRUE(eventually([&] { return clients_.count() == 2; }));
  ASSERT_TRUE(eventually([&] { return server_->server().connection_count() == 3; }));

  // The clients answer the close frame only when they read, so the first reads in the
  // background of the stop.
  std::thread reader([&] { EXPECT_TRUE(first.closed_by_server(std::chrono::milliseconds(3000))); });
  // `second` never reads, so it never answers the close frame: stop() closes it after the grace.
  auto took = server_->stop(std::chrono::milliseconds(500));
  reader.join();
  EXPECT_GE(took, std::chrono::milliseconds(500));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(second.closed_by_server());
  EXPECT_EQ(server_->server().connection_count(), 0u);
  EXPECT_EQ(clients_.closes, 2);
}

TEST(HttpWsClient, OverflowDropsTheQueueReportsOnceAndRefusesUntilResync) {
  auto client = detail::WsClientAccess::create(1, Request{}, /*max_messages=*/2, /*max_bytes=*/10);
  EXPECT_TRUE(client->send("a"));
  EXPECT_TRUE(client->send("b"));
  EXPECT_FALSE(client->send("c"));  // three messages: over the limit
  EXPECT_TRUE(client->overflowed());
  EXPECT_FALSE(client->send("d"));
  auto work = detail::WsClientAccess::take(*client);
  EXPECT_TRUE(work.messages.empty());
  EXPECT_TRUE(work.report_overflow);
  EXPECT_FALSE(detail::WsClientAccess::take(*client).report_overflow);  // once

  client->resync();
  EXPECT_TRUE(client->send("0123456789"));
  EXPECT_FALSE(client->send("x"));  // eleven bytes: over the byte limit
  EXPECT_TRUE(detail::WsClientAccess::take(*client).report_overflow);
  client->resync();
  EXPECT_TRUE(client->send("fresh"));
  EXPECT_THAT(detail::WsClientAccess::take(*client).messages, ::testing::ElementsAre("fresh"));
}

}  // namespace
}  // namespace stork::http
