// A real `stork serve` on a fresh git project for the hardening tests (issue 16): one item
// with two criteria in the backlog, a scripted coder that is never started unless a test
// asks, and a small MCP-over-HTTP client. Each test drives the server over loopback only.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "http_probe.hpp"
#include "serve_process.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {

using Env = std::vector<std::pair<std::string, std::string>>;

boost::json::value parse_json(const std::string& text);

class HardenTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Starts `stork serve --port 0` on the project (extra args appended); fails the test if it
  // does not listen.
  std::unique_ptr<ServeProcess> serving(std::vector<std::string> args = {}, Env env = {});
  Finished stork(std::vector<std::string> args, Env env = {});
  std::string git_out(std::vector<std::string> args) const;

  TempDir dir_;
  std::filesystem::path root_ = dir_ / "repo";
};

// MCP over Streamable HTTP, answers as JSON: initialize, then tools/call.
class McpHttpClient {
 public:
  explicit McpHttpClient(unsigned short port) : port_(port) {}
  bool initialize();
  HttpAnswer post(const std::string& body, HeaderList more = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  boost::json::value call_tool(const std::string& name, const std::string& arguments,
                               int id = 10) const;
  const std::string& session() const { return session_; }

 private:
  unsigned short port_;
  std::string session_;
};

}  // namespace stork::testing
