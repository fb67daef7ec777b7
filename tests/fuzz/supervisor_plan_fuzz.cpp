// libFuzzer target: arbitrary bytes as a standby supervisor's plan file (decode_standby_plan),
// and its command line through decode_supervisor_arguments, the two things stork-supervise
// parses before it starts an agent.
//
// Invariants checked (a violation traps): an accepted plan encodes and decodes back to itself,
// and none of its strings holds a NUL; an accepted command line has an agent argv, and encodes
// and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "proc/supervisor_arguments.hpp"

namespace {

bool same_arguments(const stork::proc::SupervisorArguments& a,
                    const stork::proc::SupervisorArguments& b) {
  return a.use_pty == b.use_pty && a.agent_stdin == b.agent_stdin && a.cwd == b.cwd &&
         a.candidates == b.candidates && a.argv == b.argv;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stork::proc;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto plan = decode_standby_plan(bytes);
  if (!plan) return 0;
  for (const auto* strings : {&plan->command_line, &plan->environment}) {
    for (const auto& text : *strings)
      FUZZ_CHECK(text.find('\0') == std::string::npos);
  }
  auto again = decode_standby_plan(encode_standby_plan(plan->command_line, plan->environment));
  FUZZ_CHECK(again && again->command_line == plan->command_line &&
             again->environment == plan->environment);

  std::vector<const char*> argv;
  for (const auto& text : plan->command_line)
    argv.push_back(text.c_str());
  auto arguments = decode_supervisor_arguments(static_cast<int>(argv.size()), argv.data());
  if (!arguments) return 0;
  FUZZ_CHECK(!arguments->argv.empty());
  const auto encoded = encode_supervisor_arguments(*arguments);
  std::vector<const char*> encoded_argv;
  for (const auto& text : encoded)
    encoded_argv.push_back(text.c_str());
  auto decoded =
      decode_supervisor_arguments(static_cast<int>(encoded_argv.size()), encoded_argv.data());
  FUZZ_CHECK(decoded && same_arguments(*decoded, *arguments));
  return 0;
}
