// RunMcpListener: the MCP endpoint of `stork run`. Agent CLIs (Claude Code, Gemini CLI, Codex,
// ACP agents) reach stork's tools over HTTP at the URL their per-run configuration names.
// `stork serve` answers there on its own port; `stork run` has no server, so without this its
// agents were sent to the default http://127.0.0.1:3000/mcp, where nothing (or another
// project's server) answers, and ran without report_completion, check_criterion and the rest.
// This listener binds 127.0.0.1 on a free port and serves /mcp alone, behind a random bearer
// token that only the run's agents are told: nothing on it leaves the machine, and no other
// local process can call the tools of a run it did not start.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"

namespace stork::http {
class Server;
}
namespace stork::mcp {
class Server;
}

namespace stork::app {

class McpEndpoint;

class RunMcpListener {
 public:
  // Binds and listens on `executor` (nothing is served before its io_context runs), with a new
  // random token. The error names the address and the cause.
  static Result<std::unique_ptr<RunMcpListener>, std::string> open(
      boost::asio::any_io_executor executor);
  ~RunMcpListener();
  RunMcpListener(const RunMcpListener&) = delete;
  RunMcpListener& operator=(const RunMcpListener&) = delete;

  // "http://127.0.0.1:PORT/mcp", for GraphOptions::mcp_url.
  const std::string& url() const { return url_; }
  const std::string& token() const { return token_; }

  // Serves `server` from now on; before, /mcp answers 503. Call before the io_context runs;
  // `server` must outlive stop().
  void attach(mcp::Server& server);

  // Stops accepting, ends the MCP streams (waiting at most `grace` for them) and closes every
  // connection. After it, nothing here touches the mcp::Server.
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

 private:
  RunMcpListener(boost::asio::any_io_executor executor, std::string token);

  boost::asio::any_io_executor executor_;
  std::string token_;
  std::string url_;
  std::unique_ptr<McpEndpoint> endpoint_;  // null until attach()
  std::unique_ptr<http::Server> http_;
};

}  // namespace stork::app
