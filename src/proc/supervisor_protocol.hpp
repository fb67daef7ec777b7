// The messages on the lifeline socket (AF_UNIX, SOCK_SEQPACKET: one message per read, and EOF
// when the other side's process is gone) between the server and one supervisor.
#pragma once

#include <cstdint>

namespace stork::proc {

// Supervisor → server. First exactly one of AgentStarted / LaunchFailed; after AgentStarted
// exactly one AgentExited, sent once the agent and all its descendants are reaped.
enum class ReportKind : std::int32_t { AgentStarted = 1, LaunchFailed = 2, AgentExited = 3 };

// The step of starting the agent that failed (LaunchFailed.value).
enum class LaunchStage : std::int32_t {
  SupervisorSetup = 1,  // pipe2/signalfd in the supervisor
  Fork = 2,
  Setsid = 3,
  ControllingTerminal = 4,
  Redirect = 5,  // dup2 onto stdin/stdout/stderr
  Chdir = 6,
  Exec = 7,
};

struct SupervisorReport {
  ReportKind kind = ReportKind::AgentStarted;
  std::int32_t value = 0;  // AgentStarted: pid; LaunchFailed: LaunchStage; AgentExited: wait status
  std::int32_t error = 0;  // LaunchFailed: errno
};

// The descriptors the server gives the stork-supervise program, at these numbers; the agent's
// stdin only when its command line says "stdin".
constexpr int kControlFd = 3;
constexpr int kDevNullFd = 4;
constexpr int kAgentOutputFd = 5;
constexpr int kAgentStdinFd = 6;

// Server → standby supervisor (standby_supervisor.hpp), once: this byte, with the descriptors
// of the plan's memory file (supervisor_arguments.hpp), the agent's output and, when the plan
// says "stdin", the agent's stdin, in that order (SCM_RIGHTS). It is a supervisor from then on.
constexpr char kStandbyPlan = 'P';
// The command line of a standby: `stork-supervise standby`, with kControlFd and kDevNullFd.
constexpr const char* kStandbyMode = "standby";

// Server → supervisor, one byte each. The supervisor signals the agent's group because only it
// knows the agent is not yet reaped, so the group id cannot belong to someone else.
constexpr char kTerminateGroup = 'T';  // SIGTERM
constexpr char kKillGroup = 'K';       // SIGKILL

}  // namespace stork::proc
