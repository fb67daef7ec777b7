#include "cli/api_client.hpp"

#include <cstdlib>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <sys/socket.h>
#include <sys/time.h>

#include "base/file_io.hpp"

namespace stork::cli {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

Result<ServerAddress, std::string> server_address(const std::filesystem::path& project_root,
                                                  std::optional<unsigned short> port_flag) {
  ServerAddress address;
  const auto path = project_root / ".mcp.json";
  std::error_code missing;
  if (std::filesystem::exists(path, missing)) {
    auto text = read_file(path);
    if (!text.ok()) return fail(text.error().message);
    boost::system::error_code error;
    auto value = json::parse(*text, error);
    if (error) return fail(path.string() + ": not valid JSON: " + error.message());
    const auto* servers = value.is_object() ? value.as_object().if_contains("mcpServers") : nullptr;
    const auto* storkit = servers != nullptr && servers->is_object()
                              ? servers->as_object().if_contains("storkit")
                              : nullptr;
    const auto* url = storkit != nullptr && storkit->is_object()
                          ? storkit->as_object().if_contains("url")
                          : nullptr;
    if (url != nullptr && url->is_string()) {
      auto parsed = boost::urls::parse_uri(std::string_view(url->as_string()));
      if (!parsed) {
        return fail(path.string() +
                    ": mcpServers.storkit.url is not a URL: " + std::string(url->as_string()));
      }
      if (!parsed->host().empty()) address.host = parsed->host();
      if (parsed->has_port()) address.port = parsed->port_number();
    }
  }
  if (port_flag) address.port = *port_flag;
  if (address.host == "localhost") address.host = "127.0.0.1";
  return address;
}

std::string ApiReply::error_message() const {
  boost::system::error_code error;
  auto value = json::parse(body, error);
  if (!error && value.is_object()) {
    const auto* err = value.as_object().if_contains("error");
    if (err != nullptr && err->is_object()) {
      const auto* message = err->as_object().if_contains("message");
      if (message != nullptr && message->is_string()) return std::string(message->as_string());
    }
  }
  return "HTTP " + std::to_string(status) + (body.empty() ? "" : ": " + body);
}

Result<ApiReply, std::string> ApiClient::del(const std::string& target) const {
  return request("DELETE", target, "");
}

ApiClient::ApiClient(ServerAddress address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {}

Result<ApiReply, std::string> ApiClient::get(const std::string& target) const {
  return request("GET", target, "");
}

Result<ApiReply, std::string> ApiClient::post(const std::string& target,
                                              const std::string& json_body) const {
  return request("POST", target, json_body);
}

bool ApiClient::listening() const {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code error;
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(address_.host, std::to_string(address_.port), error);
  if (error) return false;
  asio::connect(socket, endpoints, error);
  return !error;
}

Result<ApiReply, std::string> ApiClient::request(const char* method, const std::string& target,
                                                 const std::string& body) const {
  const std::string where = address_.host + ":" + std::to_string(address_.port);
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code error;
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(address_.host, std::to_string(address_.port), error);
  if (error) return fail("cannot resolve " + address_.host + ": " + error.message());
  asio::connect(socket, endpoints, error);
  if (error == asio::error::connection_refused) {
    return fail("no stork server on " + where + ": start it with `stork serve`");
  }
  if (error) return fail("cannot connect to the stork server on " + where + ": " + error.message());
  // Plain blocking calls with kernel time limits: a server that stops answering fails the
  // command instead of hanging it.
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);

  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, where);
  request.set(http::field::user_agent, "stork-cli");
  request.set(http::field::accept, "application/json");
  if (const char* token = std::getenv("STORK_TOKEN"); token != nullptr && *token != '\0')
    request.set(http::field::authorization, std::string("Bearer ") + token);
  if (std::string_view(method) != "GET") {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  http::write(socket, request, error);
  if (error) {
    return fail("sending " + std::string(method) + " " + target + " to " + where +
                " failed: " + error.message());
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response, error);
  if (error == asio::error::would_block || error == asio::error::try_again) {
    return fail("the stork server on " + where + " did not answer " + std::string(method) + " " +
                target + " within " + std::to_string(timeout_.count() / 1000) + " s");
  }
  if (error) {
    return fail("reading the answer to " + std::string(method) + " " + target + " from " + where +
                " failed: " + error.message());
  }
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, error);
  return ApiReply{response.result_int(), std::move(response.body())};
}

}  // namespace stork::cli
