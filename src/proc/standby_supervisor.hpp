// The standby supervisor: one stork-supervise program started ahead of need, waiting on its
// lifeline for a plan (supervisor_standby.cpp). An agent's start then costs a message and the
// agent's own clone and exec, instead of first starting a program, which costs as much as the
// agent's exec itself (bench/RESULTS.md, "The supervisor on standby").
//
// One waits per server process, whichever pool or gate launches next takes it, and the launch
// that takes it starts the next one. A standby that nobody takes holds nothing but its
// lifeline and /dev/null, and exits when the server does (its lifeline closes with the server).
#pragma once

#include <optional>

#include <sys/types.h>

#include "proc/launch_plan.hpp"
#include "proc/unique_fd.hpp"

namespace stork::proc {

struct StandbySupervisor {
  pid_t pid = -1;
  UniqueFd control;  // the server's end of its lifeline
};

// The waiting standby, if one is there and alive; the caller owns it then.
std::optional<StandbySupervisor> take_standby_supervisor();

// Starts a standby unless one is waiting. Best effort: without one, the next launch starts its
// supervisor itself.
void start_standby_supervisor();

// Hands `plan` and the agent's descriptors (agent_stdin -1: none) to `standby`, which is then
// the agent's supervisor. False when it could not take them (it is stopped and reaped then).
bool hand_plan_to_standby(StandbySupervisor& standby, const LaunchPlan& plan, int agent_output,
                          int agent_stdin);

}  // namespace stork::proc
