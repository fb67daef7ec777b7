#!/usr/bin/env bash
# Times `stork story list --json` over a generated project of N realistic work items (default
# 10,000, ~1-2 KB each, spread over the six stages, with depends_on lists and acceptance
# criteria) against the floor of reading the same files with `cat`, in the same run,
# alternating the two so that machine load affects both alike. Prints min/median/max wall time
# of each and the ratio of the medians. Target (the issue): story list under 3x the cat floor.
#
#   bench/story_list.sh [--items N] [--runs R] [--stork PATH] [--keep] [--no-build]
#
# By default it builds the release binary first (cmake --preset release; cmake --build
# --preset release --target stork) and uses build/release/bin/stork.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
items=10000
runs=10
stork="$root/build/release/bin/stork"
keep=0
build=1
while (($#)); do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --stork) stork=$2; build=0; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "story_list.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

if ((build)); then
  (cd "$root" && cmake --preset release >/dev/null &&
     cmake --build --preset release --target stork >/dev/null)
fi
[[ -x "$stork" ]] || { echo "story_list.sh: no stork binary at $stork" >&2; exit 1; }

project=$(mktemp -d "${TMPDIR:-/tmp}/stork-story-list-XXXXXX")
if ((keep)); then
  echo "project kept at $project"
else
  trap 'rm -rf "$project"' EXIT
fi

BENCH_DIR="$root/bench" python3 - "$project" "$items" "$runs" "$stork" <<'PY'
import os, statistics, subprocess, sys, time

project, count, runs, stork = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_items import write_items

write_items(project, count)
with open(os.path.join(project, ".storkit", "project.toml"), "w") as f:
    f.write('[[agent]]\nname = "coder-1"\n')
work = os.path.join(project, ".storkit", "work")

stork_cmd = [stork, "--project", project, "story", "list", "--json"]
cat_cmd = ["bash", "-c", 'find "$1" -name "*.md" -print0 | xargs -0 cat > /dev/null', "cat", work]

# Sanity check: the listing has every item and no problems.
import json
out = subprocess.run(stork_cmd, check=True, capture_output=True, text=True).stdout
listing = json.loads(out)
assert len(listing["items"]) == count, f"story list returned {len(listing['items'])} items"
assert not listing["problems"], listing["problems"][:3]

import resource
def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime

timed(cat_cmd); timed(stork_cmd)  # warm the page cache and the binary
results = {"stork story list --json": [], "find | xargs cat": []}
for _ in range(runs):
    results["find | xargs cat"].append(timed(cat_cmd))
    results["stork story list --json"].append(timed(stork_cmd))

print(f"{runs} runs each, alternating; wall time in ms (and median CPU time, user + sys):")
print(f"  {'command':26} {'min':>8} {'median':>8} {'max':>8}   {'user':>7} {'sys':>7}")
for name, samples in results.items():
    ms = [s[0] * 1000 for s in samples]
    user = statistics.median(s[1] * 1000 for s in samples)
    system = statistics.median(s[2] * 1000 for s in samples)
    print(f"  {name:26} {min(ms):8.1f} {statistics.median(ms):8.1f} {max(ms):8.1f}   "
          f"{user:7.1f} {system:7.1f}")
ratio = statistics.median(s[0] for s in results["stork story list --json"]) / statistics.median(
    s[0] for s in results["find | xargs cat"])
verdict = "meets" if ratio < 3 else "MISSES"
print(f"ratio of medians (story list / cat): {ratio:.2f}x -> {verdict} the < 3x target")
PY
