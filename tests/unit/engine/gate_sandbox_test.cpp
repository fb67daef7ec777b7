// A gate under the bwrap sandbox (GateSpec::sandbox): it runs in a real worktree, and one that
// needs the network it does not have fails with a line naming sandbox_network; the same gate
// with the network passes, so the check can fail.
#include <arpa/inet.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agents/awaitable_result.hpp"
#include "engine/gate_runner.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

GateResult run(const GateSpec& spec) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, agents::as_optional(run_gate(io.get_executor(), spec)),
                                      boost::asio::use_future);
  io.run();
  return std::move(*future.get());
}

// A loopback port this process listens on: "the network" as far as the gate is concerned.
int listen_on_loopback(int& fd) {
  fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd, 8) != 0)
    return 0;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

class GateSandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::init_repo(repo_);
    testing::git(repo_, {"worktree", "add", "-q", "-b", "feature/story-1", worktree_.string()});
    port_ = listen_on_loopback(fd_);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { ::close(fd_); }

  GateSpec spec(bool network) const {
    GateSpec spec;
    spec.command = "python3 -c \"import socket; socket.create_connection(('127.0.0.1', " +
                   std::to_string(port_) + ")); print('reached')\"";
    spec.cwd = worktree_;
    spec.timeout = std::chrono::seconds(30);
    spec.log_file = dir_ / "gate.log";
    spec.sandbox = proc::SandboxPolicy{};
    spec.sandbox->network = network;
    return spec;
  }

  testing::TempDir dir_;
  std::filesystem::path repo_ = dir_ / "repo";
  std::filesystem::path worktree_ = dir_ / "repo/.storkit/worktrees/1";
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(GateSandbox, AGateThatNeedsTheNetworkFailsNamingSandboxNetwork) {
  const auto result = run(spec(false));
  EXPECT_FALSE(result.passed);
  EXPECT_THAT(result.output_tail, HasSubstr("sandbox_network = true"));
  EXPECT_THAT(testing::read_text(dir_ / "gate.log"), HasSubstr("sandbox_network = true"));
  EXPECT_FALSE(result.setup_problem.has_value());
}

TEST_F(GateSandbox, WithSandboxNetworkTheSameGatePasses) {
  const auto result = run(spec(true));
  EXPECT_TRUE(result.passed) << result.output_tail;
  EXPECT_THAT(result.output_tail, HasSubstr("reached"));
  EXPECT_THAT(result.output_tail, Not(HasSubstr("sandbox_network")));
}

TEST_F(GateSandbox, ADirectoryThatIsNoCheckoutIsASetupProblemNotAnUnconfinedRun) {
  const auto plain = dir_ / "plain";
  std::filesystem::create_directories(plain);
  auto outside = spec(false);
  outside.cwd = plain;
  outside.command = "touch ran-unconfined";
  const auto result = run(outside);
  EXPECT_FALSE(result.passed);
  ASSERT_TRUE(result.setup_problem.has_value());
  EXPECT_THAT(*result.setup_problem, HasSubstr("neither a repository nor a linked worktree"));
  EXPECT_FALSE(std::filesystem::exists(plain / "ran-unconfined"));
}

// The main checkout (the wizard's gate draft): confined too, read-only unless the policy opens it.
TEST_F(GateSandbox, InTheMainCheckoutAGateIsConfinedAndWritesOnlyWhenAllowed) {
  auto root = spec(false);
  root.cwd = repo_;
  root.command = "touch built";
  EXPECT_FALSE(run(root).passed);
  EXPECT_FALSE(std::filesystem::exists(repo_ / "built"));
  root.sandbox->main_checkout_writable = true;
  const auto result = run(root);
  EXPECT_TRUE(result.passed) << result.output_tail;
  EXPECT_TRUE(std::filesystem::exists(repo_ / "built"));
}

}  // namespace
}  // namespace stork::engine
