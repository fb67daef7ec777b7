// A scripted model server (tests/e2e/scripted_anthropic.py, scripted_model_api.py) as a child
// process of a test: started on a scenario, its port read from the port file, its request log
// read back, and killed when the test ends (also when an assertion failed half-way).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace stork::testing {

class ScriptedServer {
 public:
  // Starts `python3 <script> --scenario <scenario> --port-file <dir>/port --log
  // <dir>/requests.jsonl` (its own output to <dir>/server.out) and waits for the port. On
  // failure, failed() is true and error() says why (the server's output included).
  // `extra_args` go after the script's own (scripted_model_api.py: {"--format", "openai"}).
  ScriptedServer(const std::filesystem::path& script, const std::filesystem::path& scenario,
                 const std::filesystem::path& dir, std::vector<std::string> extra_args = {});
  ~ScriptedServer();  // SIGTERM, SIGKILL if it lingers, and reaped
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The request log so far: one JSON object text per request, in arrival order.
  std::vector<std::string> request_lines() const;
  // The same, one per line: what a failed assertion prints, and what substring checks search.
  std::string requests_text() const;

 private:
  std::filesystem::path log_;
  std::filesystem::path output_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
};

// The environment the real Claude Code CLI needs under `stork serve` to talk to `model` and
// nothing else: a scratch HOME, the scripted base URL and a dummy key, no telemetry or update
// checks, no retries of a scripted error, and IS_SANDBOX so that root may skip permissions.
std::vector<std::pair<std::string, std::string>> claude_cli_env(const ScriptedServer& model,
                                                                const std::filesystem::path& home);

}  // namespace stork::testing
