// What a process tree costs right now, read from /proc: for `htop` in chat (running agents
// with the CPU time, memory and number of processes of everything they started). Reads files
// only, signals nothing. Blocking (one small read per process): call it on a worker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace stork::proc {

struct ProcessSample {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  double cpu_seconds = 0;      // user + system time so far
  std::int64_t rss_bytes = 0;  // resident memory
};

// One /proc/<pid>/stat line; nullopt when it is not one (the name may hold spaces and
// parentheses: the fields are read after the last ')').
std::optional<ProcessSample> parse_stat(std::string_view line, long ticks_per_second,
                                        long page_size);

// Every process readable under `proc_root` (processes that exit meanwhile are skipped).
std::vector<ProcessSample> read_processes(const std::filesystem::path& proc_root = "/proc");

struct TreeLoad {
  int processes = 0;
  double cpu_seconds = 0;
  std::int64_t rss_bytes = 0;
};

// `root`, its descendants (by parent) and the members of its process group (an agent is the
// leader of its own group; a daemonised grandchild keeps the group), each counted once.
TreeLoad tree_load(const std::vector<ProcessSample>& processes, pid_t root);

}  // namespace stork::proc
