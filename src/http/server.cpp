#include "http/server.hpp"

#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "http/accept_loop.hpp"
#include "http/server_core.hpp"
#include "http/tls_context.hpp"

namespace stork::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void log_failure(const char* what, const std::exception_ptr& failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    spdlog::error("http: {} failed: {}", what, error.what());
  } catch (...) {
    spdlog::error("http: {} failed", what);
  }
}

void close_acceptor(const std::shared_ptr<detail::ServerCore>& core) {
  if (!core->acceptor) return;
  asio::post(core->acceptor->get_executor(), [core] {
    boost::system::error_code ignored;
    core->acceptor->close(ignored);
  });
}

// The listening endpoint, or why there is none.
Result<tcp::endpoint, std::string> resolve_endpoint(const ServerOptions& options,
                                                    const asio::any_io_executor& executor) {
  std::string where = options.host + ":" + std::to_string(options.port);
  boost::system::error_code error;
  tcp::resolver resolver(executor);
  auto results = resolver.resolve(options.host, std::to_string(options.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, error);
  if (error || results.empty()) {
    return fail("cannot listen on " + where + ": " +
                (error ? error.message() : std::string("host not found")));
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  if (!endpoint.address().is_loopback() && (!options.token || options.token->empty())) {
    return fail("cannot listen on " + where +
                ": a token is required when the host is not a loopback address");
  }
  return endpoint;
}

}  // namespace

Server::Server(asio::any_io_executor executor, ServerOptions options, Router router,
               std::shared_ptr<Metrics> metrics)
    : core_(std::make_shared<detail::ServerCore>(std::move(executor), std::move(options),
                                                 std::move(router), std::move(metrics))) {}

Server::~Server() {
  core_->stopping = true;
  close_acceptor(core_);
  for (const auto& connection : core_->connections.all())
    connection->force_close();
}

Result<void, std::string> Server::start() {
  const ServerOptions& options = core_->options;
  std::string where = options.host + ":" + std::to_string(options.port);
  if (core_->acceptor) return fail("cannot listen on " + where + ": already listening");
  if (!options.static_dir.empty()) {
    std::error_code error;
    auto root = std::filesystem::canonical(options.static_dir, error);
    if (error || !std::filesystem::is_directory(root)) {
      return fail("static_dir " + options.static_dir.string() + ": " +
                  (error ? error.message() : std::string("not a directory")));
    }
    core_->static_root = root;
  }
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty())
      return fail(std::string("TLS needs both a certificate (--tls-cert) and its key (--tls-key)"));
    auto tls = load_tls_context(options.tls_cert, options.tls_key);
    if (!tls.ok()) return fail(tls.error());
    core_->tls = std::move(tls.value());
  }
  auto endpoint = resolve_endpoint(options, core_->executor);
  if (!endpoint.ok()) return fail(endpoint.error());

  auto acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(core_->executor));
  boost::system::error_code error;
  acceptor->open(endpoint->protocol(), error);
  if (!error) acceptor->set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor->bind(*endpoint, error);
  if (!error) acceptor->listen(asio::socket_base::max_listen_connections, error);
  if (error) return fail("cannot listen on " + where + ": " + error.message());
  core_->bound_port = acceptor->local_endpoint(error).port();
  core_->acceptor = std::move(acceptor);
  asio::co_spawn(core_->acceptor->get_executor(), detail::accept_loop(core_),
                 [](const std::exception_ptr& failure) { log_failure("accept loop", failure); });
  return {};
}

unsigned short Server::bound_port() const {
  return core_->bound_port;
}

std::size_t Server::revoke_sessions() {
  return core_->sessions.revoke_all();
}

void Server::set_ws_handler(std::string path, WsHandler handler) {
  core_->set_ws_handler(std::move(path), std::move(handler));
}

std::shared_ptr<OutboundBudget> Server::budget() const {
  return core_->budget;
}

std::size_t Server::connection_count() const {
  return core_->connections.size();
}

asio::awaitable<void> Server::stop(std::chrono::milliseconds grace) {
  auto core = core_;
  core->stopping = true;
  close_acceptor(core);
  for (const auto& connection : core->connections.all())
    connection->request_shutdown();

  // Connections end on their own strands; a short poll is simpler than a completion signal
  // from each of them and costs nothing next to the grace period.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto deadline = std::chrono::steady_clock::now() + grace;
  constexpr auto poll = std::chrono::milliseconds(5);
  while (core->connections.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(poll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (core->connections.size() == 0) co_return;
  spdlog::warn("http: {} connections still open after {} ms; closing them",
               core->connections.size(), grace.count());
  for (const auto& connection : core->connections.all())
    connection->force_close();
  // Let the closed connections unwind (their coroutines end at their next step).
  auto unwind_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (core->connections.size() > 0 && std::chrono::steady_clock::now() < unwind_deadline) {
    timer.expires_after(poll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace stork::http
