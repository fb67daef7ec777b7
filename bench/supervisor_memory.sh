#!/bin/bash
# Runs a command (e.g. build/release/bench/pool_bench --benchmark_filter=PoolStream) and
# samples every stork-supervise process every 50 ms while it runs; prints the largest Rss and
# Private_Dirty (kB, from /proc/<pid>/smaps_rollup) seen. bench/RESULTS.md quotes it.
set -u
if [[ $# -eq 0 ]]; then
  echo "usage: bench/supervisor_memory.sh COMMAND [ARG...]" >&2
  exit 2
fi
"$@" >/dev/null 2>&1 &
command_pid=$!
max_rss=0
max_private=0
while kill -0 "$command_pid" 2>/dev/null; do
  for pid in $(pgrep -x stork-supervise); do
    rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null)
    private=$(awk '/^Private_Dirty:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null)
    [[ -n "$rss" && "$rss" -gt "$max_rss" ]] && max_rss=$rss
    [[ -n "$private" && "$private" -gt "$max_private" ]] && max_private=$private
  done
  sleep 0.05
done
wait "$command_pid"
status=$?
echo "largest stork-supervise: Rss ${max_rss} kB, Private_Dirty ${max_private} kB"
exit "$status"
