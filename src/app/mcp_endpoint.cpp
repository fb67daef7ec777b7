#include "app/mcp_endpoint.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <spdlog/spdlog.h>

#include "base/wait_group.hpp"
#include "http/event_stream.hpp"
#include "mcp/server.hpp"

namespace stork::app {
namespace asio = boost::asio;

namespace {

// The MCP server's view of an SSE response: one event per JSON-RPC message (no event name, so
// clients see the default "message"), keep-alives as comments.
class EventStreamSink : public mcp::SseSink {
 public:
  explicit EventStreamSink(std::shared_ptr<http::EventStream> events)
      : events_(std::move(events)) {}

  bool send(std::string json_message, std::string event_id) override {
    return events_->send(json_message, {}, std::move(event_id));
  }
  bool keep_alive() override {
    events_->comment("keep-alive");
    return !events_->closed();
  }
  bool closed() const override { return events_->closed(); }

 private:
  std::shared_ptr<http::EventStream> events_;
};

http::Response to_response(mcp::Reply reply) {
  http::Response response;
  response.status = reply.status;
  response.content_type = std::move(reply.content_type);
  response.headers = std::move(reply.headers);
  response.body = std::move(reply.body);
  return response;
}

}  // namespace

// The streams whose coroutines are still running. Shared with those coroutines' completion
// handlers, so it outlives the endpoint if it has to. `running` counts the coroutines (each
// holds a token until it has returned), so drain() waits for the last one without polling;
// `open` is what close_all() reaches.
struct McpEndpoint::Streams {
  mutable std::mutex mutex;
  std::vector<std::shared_ptr<http::EventStream>> open;
  WaitGroup running;

  WaitGroup::Token add(std::shared_ptr<http::EventStream> events) {
    std::lock_guard lock(mutex);
    open.push_back(std::move(events));
    return running.add();
  }
  void remove(const std::shared_ptr<http::EventStream>& events) {
    std::lock_guard lock(mutex);
    std::erase(open, events);
  }
  std::size_t count() const { return running.count(); }
  void close_all() {
    std::vector<std::shared_ptr<http::EventStream>> copy;
    {
      std::lock_guard lock(mutex);
      copy = open;
    }
    for (const auto& events : copy)
      events->close();  // outside the lock: close() runs on_close callbacks
  }
};

McpEndpoint::McpEndpoint(asio::any_io_executor executor, mcp::Server& server)
    : executor_(std::move(executor)), server_(server), streams_(std::make_shared<Streams>()) {}

McpEndpoint::~McpEndpoint() = default;

asio::awaitable<http::Response> McpEndpoint::handle(http::Request& request) {
  mcp::HttpExchange exchange;
  exchange.method = request.method;
  exchange.header = [headers = request.headers](std::string_view name) {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  };
  exchange.body = std::move(request.body);
  mcp::Reply reply = co_await server_.handle(std::move(exchange));
  if (!reply.stream) co_return to_response(std::move(reply));

  // The reply's coroutine starts now and its events wait in the EventStream until the
  // connection has written the header; the stream closes when the coroutine returns.
  auto events = std::make_shared<http::EventStream>();
  auto run = std::move(reply.stream);
  http::Response response = to_response(std::move(reply));
  response.stream = events;
  auto running = std::make_shared<WaitGroup::Token>(streams_->add(events));
  asio::co_spawn(executor_, run(std::make_shared<EventStreamSink>(events)),
                 [events, streams = streams_, running](const std::exception_ptr& error) {
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       spdlog::error("mcp: SSE reply failed: {}", e.what());
                     } catch (...) {
                       spdlog::error("mcp: SSE reply failed");
                     }
                   }
                   events->close();
                   streams->remove(events);
                   running->release();
                 });
  co_return response;
}

std::size_t McpEndpoint::open_streams() const {
  return streams_->count();
}

asio::awaitable<bool> McpEndpoint::drain(std::chrono::milliseconds grace) {
  streams_->close_all();
  // The MCP server notices a closed sink at its next poll (100 ms by default); the last
  // coroutine to return releases the wait at once.
  const bool drained = co_await streams_->running.wait_for(grace);
  co_return drained;
}

}  // namespace stork::app
