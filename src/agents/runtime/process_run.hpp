// ProcessRun: a run that is one child process (claude-code, command). The runtime decides the
// process and what each output line means; this part owns the process and turns its output
// and exit into RunObserver calls.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/runtime/runtime.hpp"
#include "proc/child_process.hpp"

namespace stork::agents {

// Appends what one output line means to `events` (possibly nothing).
using LineInterpreter =
    std::function<void(std::string_view line, std::vector<RuntimeEvent>& events)>;

// For agents that read messages on stdin while they run (SpawnOptions::stdin_stream): how a
// message is written there, and the first one (the prompt). Stdin is closed when the agent
// reports its `result` event: its turn is over, and the CLI ends once its input has.
struct StreamInput {
  std::function<std::string(const std::string& text)> encode;
  std::string prompt;
};

Result<std::shared_ptr<RuntimeRun>, RuntimeError> start_process_run(
    proc::SpawnOptions options, const boost::asio::any_io_executor& executor,
    std::shared_ptr<RunObserver> observer, LineInterpreter interpret,
    std::optional<StreamInput> input = std::nullopt);

// Under bwrap when the agent's `sandbox` says so (docs/sandbox.md): `options.argv` wrapped,
// with the network (the model, stork's MCP) and a HOME of the item's own,
// .storkit/logs/<story>/home, kept between runs so a resumed session finds its files. The
// program is resolved first and its directory shown read-only (a CLI installed in HOME).
Result<void, RuntimeError> apply_agent_sandbox(proc::SpawnOptions& options,
                                               const LaunchContext& context);

// The child environment every agent process gets: what the run is about, so that wrappers and
// scripts need not parse the prompt.
std::vector<std::pair<std::string, std::string>> agent_environment(const LaunchContext& context);

}  // namespace stork::agents
