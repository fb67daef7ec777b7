#!/usr/bin/env bash
# Times item writes through `stork serve` (block, unblock, check and uncheck a criterion, update
# the name, moves) on projects of 100, 2,000 and 10,000 items, against the floor of the same
# HTTP round trip answered without touching an item (a 404 on the same keep-alive connection),
# measured in the same run, alternating. Moves that change what git tracks are committed before
# the answer (docs/api.md), so those two are also set against the floor of the same three git
# commands run bare in the same repository (`add -A`, `diff --cached --quiet`, `commit --only`).
# Target (issue 22): every write answered in under 5 ms at 10,000 items, and the same at 100.
#
#   bench/item_writes.sh [--items "100 2000 10000"] [--runs R] [--pause S] [--stork PATH]
#                        [--no-build] [--keep]
#
# R rounds (default 10) of every write on one backlog item, S seconds apart (default 0.3: the
# server's own reaction to a write, the reconcile and the watcher's re-read, runs in between
# rather than inside the next write). Prints the median and max per write, in ms.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stork="$root/build/release/bin/stork"
sizes="100 2000 10000"
runs=10
pause=0.3
build=1
keep=0
while (($#)); do
  case "$1" in
    --items) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pause) pause=$2; shift 2 ;;
    --stork) stork=$2; build=0; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "item_writes.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in curl python3 git; do
  command -v "$tool" >/dev/null || { echo "item_writes.sh: $tool is missing" >&2; exit 1; }
done
source "$root/bench/serve_common.sh"
bench_build_stork item_writes.sh
bench_temp_dir stork-item-writes

for count in $sizes; do
  project="$tmp/project-$count"
  bench_project_repo "$project"
  # No coder, QA or mergemaster: nothing is started, the writes are all the server does.
  cat >"$project/.storkit/project.toml" <<'TOML'
gate_command = "true"

[[agent]]
name = "helper"
stage = "other"
runtime = "command"
command = "true"
TOML
  BENCH_DIR="$root/bench" python3 - "$project" "$count" <<'PY'
import os, sys
sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_items import write_items
project, count = sys.argv[1], int(sys.argv[2])
write_items(project, count, idle=True)
target = os.path.join(project, ".storkit", "work", "1_backlog",
                      f"{count + 1}_story_bench_target.md")
with open(target, "w") as f:
    f.write("---\nname: Bench target\n---\n\n# Story: Bench target\n\n## Acceptance Criteria\n\n"
            + "".join(f"- [ ] criterion {i}\n" for i in range(1, 5)))
PY
  git -C "$project" add -A
  git -C "$project" commit -q -m "bench project: $count items"

  "$stork" serve --project "$project" --port 0 --log-level warn \
    >"$tmp/stork-$count.out" 2>"$tmp/stork-$count.out.err" &
  pids+=($!)
  port=$(wait_for_port "$tmp/stork-$count.out" "stork serve" "${pids[-1]}")

  python3 - "$project" "$count" "$port" "$runs" "$pause" <<'PY'
import http.client, json, os, statistics, subprocess, sys, time

project, count, port, runs, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), float(sys.argv[5])
story = f"{count + 1}_story_bench_target"
conn = http.client.HTTPConnection("127.0.0.1", port)

def request(method, path, body=None, expect=200):
    data = None if body is None else json.dumps(body)
    headers = {"Content-Type": "application/json"} if data else {}
    start = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != expect:
        sys.exit(f"{method} {path}: {response.status} {payload[:300]!r}")
    return elapsed

scratch = os.path.join(project, "bench_scratch.txt")
def git_floor(round_):
    with open(scratch, "w") as f:
        f.write(f"round {round_}\n")
    start = time.perf_counter()
    for args in (["add", "-A", "--", "bench_scratch.txt"],
                 ["diff", "--cached", "--quiet", "--", "bench_scratch.txt"],
                 ["commit", "-q", "--no-verify", "-m", "scratch", "--only", "--",
                  "bench_scratch.txt"]):
        subprocess.run(["git", "-C", project] + args, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

item = f"/api/items/{story}"
writes = [
    ("block", "POST", item + "/block", {"reason": "bench"}),
    ("unblock", "POST", item + "/unblock", {}),
    ("check criterion", "POST", item + "/criteria/0", {"checked": True}),
    ("uncheck criterion", "POST", item + "/criteria/0", {"checked": False}),
    ("update (name)", "PATCH", item, None),  # body per round
    ("move backlog->current (git commit)", "POST", item + "/move", {"stage": "current"}),
    ("move current->qa", "POST", item + "/move", {"stage": "qa"}),
    ("move qa->current", "POST", item + "/move", {"stage": "current"}),
    ("move current->backlog (git commit)", "POST", item + "/move", {"stage": "backlog"}),
]
# The server has read the project once it answers the board with every item.
deadline = time.time() + 120
while True:
    conn.request("GET", "/api/pipeline")
    response = conn.getresponse()
    board = json.loads(response.read())
    listed = sum(len(v) for v in board.get("stages", {}).values())
    if listed >= count + 1 or time.time() > deadline:
        break
    time.sleep(0.5)
time.sleep(2)  # the first reconcile and the watcher's first index
samples = {name: [] for name, *_ in writes}
samples["floor: 404 on the same connection"] = []
samples["floor: bare git add/diff/commit"] = []
for round_ in range(runs + 1):  # round 0 warms up
    for name, method, path, body in writes:
        if body is None:
            body = {"name": f"Bench target {round_}"}
        floor = request("GET", "/api/no-such-route", expect=404)
        took = request(method, path, body)
        if round_:
            samples[name].append(took)
            samples["floor: 404 on the same connection"].append(floor)
        time.sleep(pause)
    git = git_floor(round_)
    if round_:
        samples["floor: bare git add/diff/commit"].append(git)
print(f"{count} items, {runs} rounds, {pause} s apart; ms:")
print(f"  {'write':40} {'median':>8} {'max':>8}")
for name, values in samples.items():
    print(f"  {name:40} {statistics.median(values):8.2f} {max(values):8.2f}")
PY
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
done
