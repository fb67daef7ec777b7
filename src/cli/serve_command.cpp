#include "cli/serve_command.hpp"

#include <memory>
#include <string>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "app/app.hpp"
#include "cli/doctor_command.hpp"
#include "cli/project_locator.hpp"
#include "config/config_loader.hpp"

namespace stork::cli {
namespace {

struct ServeOptions {
  int port = 3000;
  std::string host = "127.0.0.1";
  std::string project;
  std::string token;  // --token or STORK_TOKEN
  std::string web_dir = STORK_DEFAULT_WEB_DIR;
  std::string log_level = "info";
  bool skip_doctor = false;
  std::vector<std::string> allowed_hosts;    // --allowed-host, repeatable
  std::string viewer_token;                  // --viewer-token or STORK_VIEWER_TOKEN
  int session_hours = 0;                     // 0: project.toml's (default 168)
  std::vector<std::string> trusted_proxies;  // --trusted-proxy, repeatable
  std::string tls_cert;                      // --tls-cert (PEM)
  std::string tls_key;                       // --tls-key (PEM)
};

// Logs go to the command's error stream (stderr for the binary), so stdout carries only what
// scripts read: the "listening on" line.
void route_logs(CliContext& context, const std::string& level) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(context.err, /*force_flush=*/true);
  auto logger = std::make_shared<spdlog::logger>("stork", sink);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

int exit_code_for(app::AppError::Kind kind) {
  return kind == app::AppError::Kind::Usage ? kExitUsage : kExitFailure;
}

// What people need to open the board: every address, and the one-time login link when a
// token is set. The first line stays "listening on URL" (scripts and tests read it).
std::string ready_text(const std::string& url, const std::vector<std::string>& urls,
                       const ServeOptions& options) {
  std::string text = "listening on " + url + "\n";
  for (const auto& address : urls)
    text += "open the board at " + address + "\n";
  if (!options.token.empty() && !urls.empty())
    text += "log in at " + urls.front() + "login?token=" + options.token + "\n";
  return text;
}

void serve(CliContext& context, const ServeOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    return context.fail(kExitUsage,
                        "--port must be between 0 and 65535, got " + std::to_string(options.port));
  }
  if (!options.project.empty()) context.project_flag = options.project;
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root.ok()) return context.fail(kExitUsage, root.error().message);
  route_logs(context, options.log_level);
  // A configuration with errors is App::open's to report, with every line of them.
  if (auto config = load_project_config(root.value() / ".storkit" / "project.toml");
      config.ok() && !options.skip_doctor &&
      !doctor_passes(context, root.value(), config.value().config, /*verbose=*/false))
    return;

  app::AppOptions app_options;
  app_options.project_root = root.value();
  app_options.host = options.host;
  app_options.port = static_cast<unsigned short>(options.port);
  if (!options.token.empty()) app_options.token = options.token;
  app_options.static_dir = options.web_dir;
  app_options.allowed_hosts = options.allowed_hosts;
  if (!options.viewer_token.empty()) app_options.viewer_token = options.viewer_token;
  if (options.session_hours > 0) app_options.session_hours = options.session_hours;
  app_options.trusted_proxies = options.trusted_proxies;
  app_options.tls_cert = options.tls_cert;
  app_options.tls_key = options.tls_key;
  auto app = app::App::open(std::move(app_options));
  if (!app.ok()) {
    const auto& error = app.error();
    if (error.kind == app::AppError::Kind::Config) {
      context.err << error.message;
      if (!error.message.ends_with("\n")) context.err << "\n";
      return context.fail(kExitFailure, "the configuration has errors");
    }
    return context.fail(exit_code_for(error.kind), error.message);
  }
  const std::string url = app.value()->url();
  const std::string announcement = ready_text(url, app.value()->urls(), options);
  context.exit_code =
      app.value()->run([&context, announcement] { context.out << announcement << std::flush; });
}

}  // namespace

void add_serve_command(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve", "Run the server: MCP for agents at /mcp, the REST API, metrics and the board");
  command->add_option("--port", options->port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  command
      ->add_option("--host", options->host,
                   "Address to listen on; not a loopback address only with a token")
      ->capture_default_str();
  command->add_option("--project", options->project,
                      "The project directory (default: nearest with .storkit/)");
  command
      ->add_option("--token", options->token,
                   "Require 'Authorization: Bearer TOKEN' on every request")
      ->envname("STORK_TOKEN");
  command->add_option("--allowed-host", options->allowed_hosts,
                      "Another name the board may be opened under (repeatable; Host/Origin)");
  command
      ->add_option("--viewer-token", options->viewer_token,
                   "A second token that can watch the board but not act (writes get 403)")
      ->envname("STORK_VIEWER_TOKEN");
  command
      ->add_option("--session-hours", options->session_hours,
                   "How long a board login lasts (default: project.toml, else 168)")
      ->check(CLI::Range(1, 8760));
  command->add_option("--trusted-proxy", options->trusted_proxies,
                      "A reverse proxy's address whose X-Forwarded-For/-Proto count (repeatable)");
  command->add_option("--tls-cert", options->tls_cert,
                      "Serve HTTPS and WSS with this PEM certificate (chain); with --tls-key");
  command->add_option("--tls-key", options->tls_key, "The PEM private key of --tls-cert");
  command->add_option("--web-dir", options->web_dir, "The board's built files (web/dist)")
      ->capture_default_str();
  command->add_option("--log-level", options->log_level, "trace, debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  command
      ->add_flag("--skip-doctor", options->skip_doctor,
                 "Start even when `stork doctor` finds errors in the setup")
      ->envname("STORK_SKIP_DOCTOR");
  command->callback([&context, options] { serve(context, *options); });
}

}  // namespace stork::cli
