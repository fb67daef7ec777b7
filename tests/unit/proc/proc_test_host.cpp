// A stand-in for the stork server in the kill -9 test: runs the command given on its argv
// twice through ChildProcess (once with a PTY, once with pipes) and serves forever, until the
// test SIGKILLs it.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "proc/child_process.hpp"

int main(int argc, char** argv) {
  using namespace stork::proc;
  if (argc < 2) {
    std::fprintf(stderr, "usage: proc_test_host PROGRAM [ARGS...]\n");
    return 2;
  }
  boost::asio::io_context io;
  std::vector<std::shared_ptr<ChildProcess>> children;
  for (bool use_pty : {true, false}) {
    SpawnOptions options;
    options.argv.assign(argv + 1, argv + argc);
    options.use_pty = use_pty;
    auto child = ChildProcess::spawn(io.get_executor(), std::move(options), {});
    if (!child.ok()) {
      std::fprintf(stderr, "%s\n", child.error().message.c_str());
      return 1;
    }
    children.push_back(child.value());
  }
  auto work = boost::asio::make_work_guard(io);
  io.run();
  return 0;
}
