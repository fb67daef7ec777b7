#include "http/accept_loop.hpp"

#include <array>
#include <cerrno>
#include <exception>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "http/connection.hpp"
#include "http/fd_reserve.hpp"
#include "http/response.hpp"
#include "http/server_core.hpp"

namespace stork::http::detail {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// The 503 for a connection past max_connections, made once.
const std::string& busy_response() {
  static const std::string response = [] {
    const std::string body = error_json("too_many_connections",
                                        "the server is at max_connections; try again in a moment");
    return "HTTP/1.1 503 Service Unavailable\r\nServer: stork\r\nContent-Type: "
           "application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return response;
}

void log_failure(const std::exception_ptr& failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    spdlog::error("http: connection failed: {}", error.what());
  } catch (...) {
    spdlog::error("http: connection failed");
  }
}

// Past max_connections: a 503 (plain HTTP; a TLS client just sees the close), without waiting
// for anything. What the client already sent is read first, so that closing does not reset
// the connection before the client has read the answer.
void refuse(tcp::socket& socket, bool tls) {
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  std::array<char, 4096> scratch{};
  socket.read_some(asio::buffer(scratch), ignored);
  if (!tls) socket.write_some(asio::buffer(busy_response()), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

bool out_of_descriptors(const boost::system::error_code& error) {
  return error == asio::error::no_descriptors ||
         error == boost::system::error_code(ENFILE, boost::system::system_category());
}

// Log lines once per burst, not once per connection.
struct Bursts {
  bool out_of_fds = false;
  bool at_capacity = false;
};

}  // namespace

asio::awaitable<void> accept_loop(std::shared_ptr<ServerCore> core) {
  asio::steady_timer backoff(co_await asio::this_coro::executor);
  FdReserve reserve;
  Bursts bursts;
  while (true) {
    auto [error, socket] = co_await core->acceptor->async_accept(
        asio::any_io_executor(asio::make_strand(core->executor)),
        asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !core->acceptor->is_open()) co_return;
    if (out_of_descriptors(error)) {
      if (!std::exchange(bursts.out_of_fds, true)) {
        spdlog::warn(
            "http: out of file descriptors ({}); closing new connections until some "
            "are free ({} open)",
            error.message(), core->budget->connections());
      }
      const auto shed = reserve.shed_one(core->acceptor->native_handle());
      if (shed == FdReserve::Shed::One) continue;
      if (shed == FdReserve::Shed::NothingWaiting) {
        // Accept fails before looking at the backlog: wait for a connection to shed instead.
        co_await core->acceptor->async_wait(tcp::acceptor::wait_read,
                                            asio::as_tuple(asio::use_awaitable));
        continue;
      }
    }
    if (error) {
      // Something else, or no spare descriptor to free: pause instead of spinning on the
      // error (running out of descriptors was logged once above).
      if (!out_of_descriptors(error)) spdlog::warn("http: accept failed: {}", error.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (std::exchange(bursts.out_of_fds, false))
      spdlog::info("http: file descriptors are available again");
    if (core->stopping) continue;  // the socket closes as it goes out of scope
    if (!core->budget->admit()) {
      if (!std::exchange(bursts.at_capacity, true)) {
        spdlog::warn("http: {} connections open ([server] max_connections); refusing new ones",
                     core->budget->max_connections());
      }
      refuse(socket, core->tls != nullptr);
      continue;
    }
    bursts.at_capacity = false;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_connection(core, std::move(socket)),
                   [core](const std::exception_ptr& failure) {
                     core->budget->leave();
                     core->trim->disconnected();
                     log_failure(failure);
                   });
  }
}

}  // namespace stork::http::detail
