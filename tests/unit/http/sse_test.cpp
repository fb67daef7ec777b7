// Server-sent events over real sockets: order, the client leaving, the producer closing, a
// client that stops reading.
#include <atomic>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/server.hpp"
#include "http_test_client.hpp"
#include "test_server.hpp"

namespace stork::http {
namespace {

using namespace testing;

// What the /events handler hands out, so that the test can play the producer.
struct Streams {
  std::mutex mutex;
  std::vector<std::shared_ptr<EventStream>> all;
  std::atomic<int> closes{0};
  std::size_t max_pending = EventStream::default_max_pending_bytes;

  std::shared_ptr<EventStream> latest() {
    std::lock_guard lock(mutex);
    return all.empty() ? nullptr : all.back();
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return all.size();
  }
};

Router sse_router(std::shared_ptr<Streams> streams) {
  Router router;
  router.add("GET", "/events", [streams](Request&) -> boost::asio::awaitable<Response> {
    auto stream = std::make_shared<EventStream>(streams->max_pending);
    stream->on_close([streams] { ++streams->closes; });
    stream->send("hello", "greeting", "0");
    {
      std::lock_guard lock(streams->mutex);
      streams->all.push_back(stream);
    }
    co_return Response::sse(stream);
  });
  router.add("GET", "/api/ping", reply_with("{}"));
  return router;
}

class HttpServerSse : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(ServerOptions{}, sse_router(streams_));
    ASSERT_TRUE(server_->start()) << server_->error();
  }
  std::shared_ptr<Streams> streams_ = std::make_shared<Streams>();
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerSse, ClientReceivesEventsInOrder) {
  SseClient client(server_->port(), "/events");
  ASSERT_EQ(client.status(), 200u);
  EXPECT_EQ(client.header("Content-Type"), "text/event-stream");
  EXPECT_EQ(client.header("Cache-Control"), "no-cache");
  auto first = client.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->event, "greeting");
  EXPECT_EQ(first->id, "0");
  EXPECT_EQ(first->data, "hello");

  auto stream = streams_->latest();
  for (int i = 1; i <= 200; ++i) {
    ASSERT_TRUE(stream->send("{\"n\":" + std::to_string(i) + "}\nline two", "", std::to_string(i)));
    if (i % 50 == 0) stream->comment("keep-alive");
  }
  for (int i = 1; i <= 200; ++i) {
    auto event = client.next();
    ASSERT_TRUE(event) << "event " << i;
    EXPECT_EQ(event->id, std::to_string(i));
    EXPECT_EQ(event->data, "{\"n\":" + std::to_string(i) + "}\nline two");
  }
}

TEST_F(HttpServerSse, ClientLeavingClosesTheStreamWithinASecond) {
  {
    SseClient client(server_->port(), "/events");
    ASSERT_TRUE(client.next());
    client.disconnect();
  }
  auto stream = streams_->latest();
  // closed() turns true before the on_close callbacks run (they run outside the stream's
  // lock, on the server's thread), so the wait is for both.
  EXPECT_TRUE(eventually([&] { return stream->closed() && streams_->closes == 1; },
                         std::chrono::milliseconds(1000)));
  EXPECT_EQ(streams_->closes, 1);
  EXPECT_FALSE(stream->send("nobody listens"));
  EXPECT_TRUE(eventually([&] { return server_->server().connection_count() == 0; }));
  EXPECT_EQ(http_request(server_->port(), {"GET", "/api/ping"}).status, 200u);
}

TEST_F(HttpServerSse, ProducerClosingFlushesAndEndsTheResponse) {
  SseClient client(server_->port(), "/events");
  ASSERT_TRUE(client.next());
  auto stream = streams_->latest();
  stream->send("last");
  stream->close();
  auto last = client.next();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->data, "last");
  EXPECT_TRUE(client.ended());
  EXPECT_EQ(streams_->closes, 1);
}

TEST_F(HttpServerSse, AClientThatStopsReadingOverflowsAndIsDisconnected) {
  streams_->max_pending = 64 << 10;
  SseClient client(server_->port(), "/events");
  ASSERT_TRUE(client.next());
  auto stream = streams_->latest();
  std::string payload(16 << 10, 'x');
  int sent = 0;
  while (sent < 4000 && stream->send(payload))
    ++sent;
  EXPECT_LT(sent, 4000) << "the stream never overflowed";
  EXPECT_TRUE(stream->closed());
  EXPECT_EQ(streams_->closes, 1);
  // The connection does not wait for the stuck write to finish.
  EXPECT_TRUE(eventually([&] { return server_->server().connection_count() == 0; }));
}

TEST(HttpServerSseIdle, TheIdleTimeoutDoesNotEndAStream) {
  auto streams = std::make_shared<Streams>();
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  TestServer server(options, sse_router(streams));
  ASSERT_TRUE(server.start()) << server.error();
  SseClient client(server.port(), "/events");
  ASSERT_TRUE(client.next());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the time passing is the test
  streams->latest()->send("still here");
  auto event = client.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->data, "still here");
}

TEST_F(HttpServerSse, StopEndsStreamsAndReturnsWellWithinTheGrace) {
  SseClient first(server_->port(), "/events");
  SseClient second(server_->port(), "/events");
  ASSERT_TRUE(first.next());
  ASSERT_TRUE(second.next());
  auto took = server_->stop(std::chrono::milliseconds(3000));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  EXPECT_TRUE(first.ended());
  EXPECT_TRUE(second.ended());
  EXPECT_EQ(streams_->closes, 2);
  EXPECT_EQ(server_->server().connection_count(), 0u);
}

}  // namespace
}  // namespace stork::http
