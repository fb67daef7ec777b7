// App::open: checks the options, loads the configuration, binds, then builds the object graph
// (which needs the bound port for the agents' MCP URL) and registers routes.
#include "app/app.hpp"

#include <cerrno>
#include <system_error>

#include <boost/asio/ip/tcp.hpp>
#include <spdlog/spdlog.h>

#include "app/app_impl.hpp"
#include "app/local_listener.hpp"
#include "app/project_mcp_json.hpp"
#include "app/remote_options.hpp"
#include "config/config_loader.hpp"
#include "config/server_limits.hpp"

namespace stork::app {
namespace asio = boost::asio;

namespace {

// Why the host may not be served without a token, or nothing. The server refuses the same
// (http::Server::start); asking first gives the CLI its own exit code and a message that says
// which option to add.
std::optional<AppError> check_host(const AppOptions& options, asio::io_context& io) {
  boost::system::error_code error;
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(
      options.host, "0",
      asio::ip::tcp::resolver::passive | asio::ip::tcp::resolver::numeric_service, error);
  if (error || results.empty()) {
    return AppError{AppError::Kind::Usage, "cannot resolve --host " + options.host + ": " +
                                               (error ? error.message() : "no address")};
  }
  bool loopback = results.begin()->endpoint().address().is_loopback();
  if (!loopback && (!options.token || options.token->empty())) {
    return AppError{AppError::Kind::Usage,
                    "--host " + options.host +
                        " is not a loopback address: anyone on the network could drive the "
                        "agents. Pass --token TOKEN (or set STORK_TOKEN) to require it, or "
                        "serve on 127.0.0.1"};
  }
  return std::nullopt;
}

// The host part of a URL that reaches the server from this machine.
std::string local_host(const std::string& host) {
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  if (error) return host;  // a name such as localhost
  if (address.is_unspecified()) return "127.0.0.1";
  if (address.is_v6()) return "[" + host + "]";
  return host;
}

AppError listen_error(const AppOptions& options, const std::string& message) {
  // The server's message ends with the system's text for the errno (docs/http.md).
  const std::string in_use = std::generic_category().message(EADDRINUSE);
  if (message.ends_with(in_use)) {
    return AppError{AppError::Kind::AddressInUse,
                    options.host + ":" + std::to_string(options.port) +
                        " is in use (another stork serve?); use --port"};
  }
  return AppError{AppError::Kind::Startup, message};
}

Result<http::ServerOptions, AppError> server_options_of(const AppOptions& opts,
                                                        const ServerConfig& config) {
  http::ServerOptions server_options;
  server_options.host = opts.host;
  server_options.port = opts.port;
  server_options.token = opts.token;
  if (auto remote = apply_remote_options(opts, config, server_options); !remote.ok())
    return fail(remote.error());
  std::error_code ignored;
  if (!opts.static_dir.empty() && std::filesystem::is_directory(opts.static_dir, ignored))
    server_options.static_dir = opts.static_dir;
  const auto limits = load_server_limits(opts.project_root / ".storkit" / "project.toml");
  server_options.max_connections = static_cast<std::size_t>(limits.max_connections);
  server_options.outbound_budget_bytes = static_cast<std::size_t>(limits.outbound_budget_mb) << 20;
  return server_options;
}

}  // namespace

Result<void, AppError> App::Impl::open_local(const http::ServerOptions& server_options,
                                             http::Router router) {
  // Agents cannot verify a self-signed certificate, and the CLI speaks plain HTTP: both get
  // a loopback listener without TLS (local_listener.hpp).
  auto local = open_local_listener(io.get_executor(), server_options, std::move(router),
                                   http->budget(), metrics);
  if (!local.ok()) return fail(local.error());
  local_http = std::move(local.value());
  mcp_url = "http://127.0.0.1:" + std::to_string(local_http->bound_port()) + "/mcp";
  spdlog::info("agents and the CLI reach stork at {} (loopback only, without TLS)", mcp_url);
  return {};
}

App::Impl::Impl(AppOptions options_in)
    : options(std::move(options_in)),
      io(static_cast<int>(std::max<std::size_t>(options.io_threads, 1))) {}

std::shared_ptr<const ProjectConfig> App::Impl::config() const {
  std::lock_guard lock(config_mutex_);
  return config_;
}

void App::Impl::set_config(std::shared_ptr<const ProjectConfig> config) {
  std::lock_guard lock(config_mutex_);
  config_ = std::move(config);
}

Result<void, AppError> App::Impl::build_graph() {
  GraphOptions graph_options;
  graph_options.project_root = options.project_root;
  graph_options.config = [this] { return config(); };
  graph_options.reload_config = [this] { return reload_config(); };
  graph_options.mcp_url = mcp_url;
  graph_options.mcp_token = options.token;
  graph_options.worker_threads = options.worker_threads;
  graph_options.board_url = url;
  auto built = build_object_graph(io.get_executor(), std::move(graph_options));
  if (!built.ok()) return fail(AppError{AppError::Kind::Startup, built.error()});
  graph = std::move(built.value());
  mcp_endpoint = std::make_unique<McpEndpoint>(io.get_executor(), *graph->mcp);
  return {};
}

Result<std::unique_ptr<App>, AppError> App::open(AppOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  const AppOptions& opts = impl->options;
  if (auto refused = check_host(opts, impl->io)) return fail(std::move(*refused));

  const auto toml = opts.project_root / ".storkit" / "project.toml";
  auto loaded = load_project_config(toml);
  if (!loaded.ok()) {
    return fail(AppError{AppError::Kind::Config, render_all(loaded.error())});
  }
  for (const auto& warning : loaded.value().warnings)
    spdlog::warn("{}", warning.render());
  impl->set_config(std::make_shared<const ProjectConfig>(std::move(loaded.value().config)));
  impl->started_settings = RestartSettings::read(toml);
  auto lock = ServeLock::acquire(opts.project_root);
  if (!lock.ok()) return fail(AppError{AppError::Kind::Startup, lock.error()});
  impl->serve_lock.emplace(std::move(lock.value()));

  // Bound first: the agents are told the port. No request is served before run(), so the
  // router may reach the MCP endpoint that build_graph() adds next.
  auto options_made = server_options_of(opts, impl->config()->server);
  if (!options_made.ok()) return fail(options_made.error());
  const http::ServerOptions& server_options = options_made.value();
  http::Router router = impl->make_router();
  impl->http = std::make_unique<http::Server>(impl->io.get_executor(), server_options, router,
                                              impl->metrics);
  if (auto started = impl->http->start(); !started.ok()) {
    return fail(listen_error(opts, started.error()));
  }
  const std::string port = std::to_string(impl->http->bound_port());
  impl->serve_lock->record(impl->http->bound_port());
  impl->scheme = server_options.tls_cert.empty() ? "http" : "https";
  impl->url = impl->scheme + "://" + local_host(opts.host) + ":" + port;
  // The bound address, so agents reach a server bound to another loopback address too.
  impl->mcp_url = impl->scheme + "://" + local_host(opts.host) + ":" + port + "/mcp";
  if (!server_options.tls_cert.empty()) {
    if (auto local = impl->open_local(server_options, std::move(router)); !local.ok())
      return fail(local.error());
  }

  if (auto built = impl->build_graph(); !built.ok()) return fail(built.error());
  impl->register_services();

  auto pointed = point_project_mcp_json(opts.project_root, impl->mcp_url);
  if (!pointed.ok()) {
    spdlog::warn("{}", pointed.error());
  } else if (pointed.value() == McpJsonUpdate::Written) {
    // A committed file now differs from the commit: say so, where the person will look.
    spdlog::warn(
        ".mcp.json: the storkit server is now {} (this port differs from the one it "
        "named; commit the change, or serve on the old port)",
        impl->mcp_url);
  }
  return std::unique_ptr<App>(new App(std::move(impl)));
}

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() = default;

std::string App::url() const {
  return impl_->url;
}

std::vector<std::string> App::urls() const {
  return serve_urls(impl_->options.host, impl_->http->bound_port(), impl_->scheme);
}

unsigned short App::port() const {
  return impl_->http->bound_port();
}

void App::request_stop() {
  impl_->request_stop();
}

}  // namespace stork::app
