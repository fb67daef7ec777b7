#include "api_fixture.hpp"

#include <boost/json/parse.hpp>

#include "../http/http_test_client.hpp"
#include "api/api_services.hpp"
#include "config/config_loader.hpp"
#include "state/run_store.hpp"
#include "support/git_fixture.hpp"

namespace stork::testing {

std::string ApiReply::error_code() const {
  if (!json.is_object()) return "";
  const auto* error = json.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return "";
  const auto* code = error->as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : "";
}

ApiTest::~ApiTest() {
  if (server_) run(server_->stop(std::chrono::milliseconds(500)));
  if (hub_) run(hub_->stop());
  server_.reset();
}

void ApiTest::start_api(std::vector<TestAgent> agents, http::ServerOptions options,
                        std::size_t replay_page) {
  if (agents.empty()) agents.push_back(bystander());
  open_pipeline(agents);
  ASSERT_TRUE(pipeline_);
  auto loaded = load_project_config(dir_ / ".storkit/project.toml");
  ASSERT_TRUE(loaded.ok());
  config_ = std::make_shared<const ProjectConfig>(loaded.value().config);
  api::ApiServices services;
  services.project_root = dir_.path();
  services.base_branch = "main";
  services.pool = pool_.get();
  services.pipeline = pipeline_.get();
  services.config = [config = config_] { return config; };
  services.metrics = metrics_;
  services.workers = workers_.get_executor();
  items_ = std::make_shared<ops::ItemOps>(services);  // its OpsServices part
  services.items = items_;
  http::Router router;
  api::add_rest_routes(router, services);
  hub_ = api::EventHub::create(io_.get_executor(), services, replay_page);
  run(hub_->start());
  options.port = 0;
  server_ =
      std::make_unique<http::Server>(io_.get_executor(), options, std::move(router), metrics_);
  server_->set_ws_handler("/ws", hub_->handler());
  auto started = server_->start();
  ASSERT_TRUE(started.ok()) << started.error();
}

ApiReply ApiTest::call(const std::string& method, const std::string& target,
                       const std::string& body) {
  http::testing::Headers headers;
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  auto reply =
      http::testing::http_request(port(), http::testing::HttpCall(method, target, headers, body));
  EXPECT_NE(reply.status, 0u) << method << " " << target << ": " << reply.error;
  ApiReply out{reply.status, reply.body, nullptr};
  boost::system::error_code error;
  auto parsed = boost::json::parse(reply.body, error);
  if (!error) out.json = std::move(parsed);
  return out;
}

void ApiTest::commit_on_branch(const std::string& id,
                               const std::vector<std::pair<std::string, std::string>>& files,
                               const std::vector<std::string>& removed) {
  const auto branch = "feature/story-" + id;
  git(dir_.path(), {"checkout", "-q", "-b", branch});
  for (const auto& [path, text] : files) {
    write_text(dir_ / path, text);
    git(dir_.path(), {"add", path});
  }
  for (const auto& path : removed)
    git(dir_.path(), {"rm", "-q", path});
  git(dir_.path(), {"commit", "-qm", "work on " + id});
  git(dir_.path(), {"checkout", "-q", "main"});
}

}  // namespace stork::testing

namespace stork::testing {

void ApiTest::record_usage(const std::string& story, const std::string& agent,
                           const std::string& model, std::int64_t input_tokens, double cost_usd,
                           std::int64_t at_ms) {
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok()) << store.error().message;
  state::NewRun new_run;
  new_run.story = story;
  new_run.agent = agent;
  new_run.model = model;
  new_run.runtime = "command";
  auto run = store.value()->create_run(new_run, at_ms);
  ASSERT_TRUE(run.ok()) << run.error().message;
  state::TokenUsageRecord usage;
  usage.run_id = run.value();
  usage.story = story;
  usage.agent = agent;
  usage.model = model;
  usage.input_tokens = input_tokens;
  usage.cost_usd = cost_usd;
  usage.recorded_at_ms = at_ms;
  auto recorded = store.value()->record_token_usage(usage);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
}

}  // namespace stork::testing
