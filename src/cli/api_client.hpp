// ApiClient: the CLI's way to a running `stork serve`: one synchronous HTTP/1.1 request per
// call against its REST API (docs/api.md), on a fresh loopback connection. No server listening
// is an error that says how to start one. Beast stays in the .cpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace stork::cli {

struct ServerAddress {
  std::string host = "127.0.0.1";
  unsigned short port = 3000;
};

// Where the project's server listens: the host and port of mcpServers.storkit.url in the
// project's .mcp.json (what `stork init` wrote), 127.0.0.1:3000 when the file or the entry is
// missing. `port_flag` (--port) overrides the port. Fails when .mcp.json cannot be understood.
Result<ServerAddress, std::string> server_address(const std::filesystem::path& project_root,
                                                  std::optional<unsigned short> port_flag);

struct ApiReply {
  unsigned status = 0;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
  // The message of the server's {"error":{"code","message"}} body, else the body itself.
  std::string error_message() const;
};

class ApiClient {
 public:
  explicit ApiClient(ServerAddress address,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // Any reply the server sends is a value (4xx and 5xx included); the error is for no reply:
  // "no stork server on 127.0.0.1:3000: start it with `stork serve`", a timeout, a reset.
  Result<ApiReply, std::string> get(const std::string& target) const;
  Result<ApiReply, std::string> post(const std::string& target, const std::string& json) const;
  Result<ApiReply, std::string> del(const std::string& target) const;

  const ServerAddress& address() const { return address_; }

  // Whether anything accepts a connection at the address (false on "connection refused"):
  // how a command that can also work without a server decides which way to go.
  bool listening() const;

 private:
  Result<ApiReply, std::string> request(const char* method, const std::string& target,
                                        const std::string& body) const;

  ServerAddress address_;
  std::chrono::milliseconds timeout_;
};

}  // namespace stork::cli
