// Sandbox: the bubblewrap (`bwrap`) command line that confines a command to one git worktree
// (docs/sandbox.md). The worktree, a fresh /tmp and HOME are writable; of the repository's
// `.git` only what a commit in that worktree writes (objects, refs, logs, the worktree's own
// metadata) is; `.git/config`, hooks and the rest of the file system are read-only, and the
// user's HOME is hidden behind an empty tmpfs. Without network unless the policy allows it.
// In the main checkout (the project root: the setup wizard's drafts and gate, the project
// chat) nothing of `.git` is writable, and the checkout itself only if the policy says so.
// Plain data in, argv out: the caller spawns it like any other program (ChildProcess), whose
// supervisor still owns the process group; --die-with-parent and a PID namespace make sure
// nothing in the sandbox outlives bwrap.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace stork::proc {

inline constexpr std::string_view kBwrapProgram = "bwrap";

struct SandboxPolicy {
  bool network = false;  // false: a network namespace of its own (only a loopback that is down)
  // Empty: HOME is the user's home path, an empty tmpfs gone when the command ends. Set (the
  // agents, whose CLIs keep sessions in HOME): this directory, created and bound writable.
  std::filesystem::path home{};
  // Made visible read-only although under a hidden directory (an agent CLI installed in HOME).
  std::vector<std::filesystem::path> read_only{};
  // For a main checkout only (a linked worktree is always writable): false, read-only like
  // the rest (an agent that only reads); true, writable but for `.git` (the wizard's gate
  // draft, which may build).
  bool main_checkout_writable = false;
};

// Where the sandbox's walls go, found from the work directory's `.git` file.
struct SandboxPaths {
  std::filesystem::path work_dir;        // writable
  std::filesystem::path git_common_dir;  // the repository's .git (read-only but for below)
  std::filesystem::path git_dir;    // the worktree's own metadata, .git/worktrees/NAME; empty in
                                    // a main checkout (work_dir/.git is the repository itself)
  std::filesystem::path user_home;  // hidden behind an empty tmpfs; empty when unknown
};

// Reads `<work_dir>/.git`: a linked worktree's "gitdir: ..." file and its `commondir`, or a
// main checkout's repository directory. Anything else (no `.git`, a submodule's or a separate
// git dir's "gitdir:" file) is an error naming the file, never an open sandbox.
Result<SandboxPaths, std::string> sandbox_paths(const std::filesystem::path& work_dir);

// `bwrap <options> -- command...`, run with cwd = paths.work_dir.
std::vector<std::string> bwrap_argv(const SandboxPaths& paths, const SandboxPolicy& policy,
                                    const std::vector<std::string>& command);

// Both steps: the argv that runs `command` in `work_dir`'s sandbox.
Result<std::vector<std::string>, std::string> sandboxed_argv(
    const std::filesystem::path& work_dir, const SandboxPolicy& policy,
    const std::vector<std::string>& command);

// The line appended to a failed sandboxed command's output when that output looks like a
// network failure (refused, unreachable, no name resolution) and the network was off: names
// `sandbox_network`. Empty otherwise.
std::string network_hint(const std::string& output);

}  // namespace stork::proc
