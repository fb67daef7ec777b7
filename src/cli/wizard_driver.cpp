// The two ways `stork init --wizard` reaches the setup wizard: the project's running server
// (REST /api/wizard: its agent drafts, its commit queue commits) or, with no server, WizardOps
// in this process (templates; the commit made directly, nothing else writing the checkout).
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include "agents/awaitable_result.hpp"
#include "cli/server_call.hpp"
#include "cli/wizard_session.hpp"
#include "config/config_loader.hpp"
#include "ops/wizard_json.hpp"
#include "ops/wizard_ops.hpp"

namespace stork::cli {
namespace json = boost::json;
namespace {

WizardReply from_body(const std::string& body) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return {std::nullopt, "the server's answer is not a JSON object"};
  return {std::move(value.as_object()), "", false};
}

class RestWizardDriver final : public WizardDriver {
 public:
  explicit RestWizardDriver(ApiClient client) : client_(std::move(client)) {}
  std::string where() const override {
    return "the server on " + client_.address().host + ":" + std::to_string(client_.address().port);
  }
  WizardReply status() override { return answer(client_.get("/api/wizard")); }
  WizardReply act(const std::string& step, const std::string& action,
                  const json::object& body) override {
    return answer(client_.post("/api/wizard/" + url_component(step) + "/" + url_component(action),
                               json::serialize(body)));
  }

 private:
  static WizardReply answer(const Result<ApiReply, std::string>& reply) {
    if (!reply) return {std::nullopt, reply.error()};
    if (!reply->ok()) return {std::nullopt, reply->error_message(), reply->status == 409};
    return from_body(reply->body);
  }
  ApiClient client_;
};

class LocalWizardDriver final : public WizardDriver {
 public:
  LocalWizardDriver(const std::filesystem::path& root, std::shared_ptr<const ProjectConfig> config)
      : wizard_(io_.get_executor(),
                ops::OpsServices{root, nullptr, nullptr, [config] { return config; },
                                 workers_.get_executor()}) {}
  ~LocalWizardDriver() override {
    io_.join();
    workers_.join();
  }
  LocalWizardDriver(const LocalWizardDriver&) = delete;
  LocalWizardDriver& operator=(const LocalWizardDriver&) = delete;

  std::string where() const override { return "this terminal (no server running: templates)"; }
  WizardReply status() override { return answer(agents::run_blocking(io_, wizard_.status())); }
  WizardReply act(const std::string& step, const std::string& action,
                  const json::object& body) override {
    auto text = [&body](const char* key) {
      const auto* value = body.if_contains(key);
      return value != nullptr && value->is_string() ? std::string(value->as_string())
                                                    : std::string();
    };
    if (action == "generate") return answer(agents::run_blocking(io_, wizard_.generate(step)));
    if (action == "skip") return answer(agents::run_blocking(io_, wizard_.skip(step)));
    if (action == "retry")
      return answer(agents::run_blocking(io_, wizard_.retry(step, text("feedback"))));
    if (action == "edit")
      return answer(agents::run_blocking(io_, wizard_.edit(step, text("content"))));
    const bool overwrite = body.contains("overwrite") && body.at("overwrite").as_bool();
    return answer(agents::run_blocking(io_, wizard_.confirm(step, overwrite, std::nullopt)));
  }

 private:
  static WizardReply answer(const ops::OpResult<ops::WizardStatus>& result) {
    if (!result.ok()) {
      return {std::nullopt, result.error().message,
              result.error().kind == ops::OpError::Kind::Conflict};
    }
    return {ops::wizard_status_json(result.value()), "", false};
  }
  boost::asio::thread_pool io_{1};
  boost::asio::thread_pool workers_{1};
  ops::WizardOps wizard_;
};

}  // namespace

std::unique_ptr<WizardDriver> open_wizard_driver(CliContext& context,
                                                 const std::filesystem::path& project_root,
                                                 std::string& error) {
  (void)context;
  if (auto address = server_address(project_root, std::nullopt); address.ok()) {
    ApiClient client(address.value(), std::chrono::minutes(30));  // an agent's draft takes time
    if (client.listening()) return std::make_unique<RestWizardDriver>(std::move(client));
  }
  auto loaded = load_project_config(project_root / ".storkit" / "project.toml");
  if (!loaded.ok()) {
    error = render_all(loaded.error());
    return nullptr;
  }
  auto config = std::make_shared<const ProjectConfig>(std::move(loaded.value().config));
  return std::make_unique<LocalWizardDriver>(project_root, config);
}

}  // namespace stork::cli
