// A real server for the API tests: the pipeline fixture's project (git repository, pool,
// pipeline on one io_context), with the REST routes and the event hub on an http::Server at
// 127.0.0.1, port 0. Requests go through real sockets (http_test_client).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <boost/json/value.hpp>

#include "../engine/pipeline_fixture.hpp"
#include "api/event_hub.hpp"
#include "http/server.hpp"
#include "ops/item_ops.hpp"

namespace stork::testing {

struct ApiReply {
  unsigned status = 0;
  std::string body;
  boost::json::value json;         // null when the body is not JSON
  std::string error_code() const;  // error.code of an error body, else ""
  const boost::json::object& object() const { return json.as_object(); }
};

class ApiTest : public PipelineTest {
 protected:
  ~ApiTest() override;

  // An agent of stage `other`: auto-assign gives it nothing, so items stay where tests put
  // them.
  static TestAgent bystander() { return TestAgent{"watcher", "other", "exit 0"}; }

  // Opens the pool and pipeline with `agents` (default: only the bystander) and starts the
  // server with add_rest_routes and the event hub at /ws.
  void start_api(std::vector<TestAgent> agents = {}, http::ServerOptions options = {},
                 std::size_t replay_page = 256);
  unsigned short port() const { return server_->bound_port(); }

  ApiReply call(const std::string& method, const std::string& target, const std::string& body = "");
  ApiReply get(const std::string& target) { return call("GET", target); }
  ApiReply post(const std::string& target, const std::string& body = "") {
    return call("POST", target, body);
  }

  // Commits `files` on a new branch feature/story-<id> (from main), leaving main checked out.
  void commit_on_branch(const std::string& id,
                        const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<std::string>& removed = {});

  // Records a run and its token usage in the state database, as the pool does when a run ends.
  void record_usage(const std::string& story, const std::string& agent, const std::string& model,
                    std::int64_t input_tokens, double cost_usd,
                    std::int64_t at_ms = 1795219200000 /* 2026-11-21T00:00:00Z */);

  boost::asio::thread_pool workers_{2};  // the app's shared pool; joined after the API goes
  std::shared_ptr<http::Metrics> metrics_ = std::make_shared<http::Metrics>();
  std::shared_ptr<ops::ItemOps> items_;
  std::shared_ptr<const ProjectConfig> config_;
  std::unique_ptr<http::Server> server_;
  std::shared_ptr<api::EventHub> hub_;
};

}  // namespace stork::testing
