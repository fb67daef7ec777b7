// App: `stork serve`. It builds the object graph of one project's server (object_graph.hpp:
// the shared workers, the agent pool, the pipeline, the MCP server with stork's tools) and the
// HTTP server on top (/mcp, /healthz, /metrics, the REST API and the web UI), owns the
// io_context and its threads, and shuts everything down in order on SIGINT/SIGTERM. It never prints
// to stdout: the CLI says what it wants to say when run() reports readiness. Docs: docs/serve.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace stork::app {

struct AppOptions {
  std::filesystem::path project_root;  // the directory that holds .storkit/
  std::string host = "127.0.0.1";
  unsigned short port = 3000;  // 0: any free port (url() tells which)
  std::optional<std::string> token;
  std::filesystem::path static_dir;  // the web UI's files; empty or missing: none served
  std::size_t io_threads = 2;
  std::size_t worker_threads = 2;  // the shared pool for blocking work (git, files, SQLite)
  // Server::stop's grace for requests in progress at shutdown.
  std::chrono::milliseconds http_grace{2000};
  // The pipeline's grace for a running gate or merge step at shutdown.
  std::chrono::milliseconds pipeline_grace{3000};
  // Remote access (docs/remote.md); project.toml's [server] adds to the lists and fills in
  // what is not set here.
  std::vector<std::string> allowed_hosts;    // --allowed-host
  std::optional<std::string> viewer_token;   // --viewer-token, or [server] viewer_token_env
  std::optional<int> session_hours;          // else [server] session_hours
  std::vector<std::string> trusted_proxies;  // --trusted-proxy
  std::filesystem::path tls_cert;            // --tls-cert, else [server] tls_cert
  std::filesystem::path tls_key;             // --tls-key, else [server] tls_key
};

struct AppError {
  enum class Kind {
    Usage,         // the options themselves are wrong (non-loopback host without a token)
    Config,        // project.toml has errors (message: every diagnostic, file:line: ...)
    AddressInUse,  // the port is taken
    Startup,       // anything else that kept the server from starting
  };
  Kind kind = Kind::Startup;
  std::string message;
};

class App {
 public:
  struct Impl;

  // Checks the options, loads project.toml, binds the port, opens the pool and the pipeline
  // and registers every route and tool. Nothing runs until run().
  static Result<std::unique_ptr<App>, AppError> open(AppOptions options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // "http://HOST:PORT" (https with TLS) with the bound port.
  std::string url() const;
  // Every URL people can open (each interface when bound to all), the bound one first.
  std::vector<std::string> urls() const;
  unsigned short port() const;

  // Serves until SIGINT/SIGTERM or request_stop(): recovers interrupted runs, starts the
  // pipeline, calls `on_ready` (from an io thread), and on a stop request shuts down: stop
  // accepting, end streams, stop the pipeline, stop the agents (their runs become Interrupted
  // and resume at the next start). Returns the exit code: 0 after an orderly shutdown, 1 when
  // start-up failed or the shutdown overran its deadline (10 s).
  int run(std::function<void()> on_ready = {});
  // Thread-safe; also from signal-free tests.
  void request_stop();

 private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stork::app
