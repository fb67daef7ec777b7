#!/usr/bin/env bash
# WebSocket fan-out benchmark: 100 clients of `stork serve`'s /ws follow one run of 10,000
# output lines (a `command` coder running `seq 1 10000`). Sets up the project and the server,
# then runs bench/ws_fanout.mjs, which prints the delivery time (start request until every
# client has seq 1..N in order with no gap) and events/s. Everything started here is stopped
# on exit.
#
#   bench/ws_fanout.sh [--stork PATH] [--clients 100] [--lines 10000] [--no-build] [--keep]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stork="$root/build/release/bin/stork"
clients=100
lines=10000
build=1
keep=0
while (($#)); do
  case "$1" in
    --stork) stork=$2; build=0; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "ws_fanout.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

source "$root/bench/serve_common.sh"
bench_build_stork ws_fanout.sh
bench_temp_dir stork-ws-fanout
project="$tmp/project"
bench_project_repo "$project"
# The item waits in the backlog (nothing starts it) until the benchmark's start request.
cat >"$project/.storkit/project.toml" <<TOML
gate_command = "true"

[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = "seq"
args = ["1", "$lines"]
TOML
printf -- '---\nname: Print lines\n---\n\n# Print lines\n' \
  >"$project/.storkit/work/1_backlog/1_story_print_lines.md"
git -C "$project" add -A
git -C "$project" commit -q -m "bench project: one item"

"$stork" serve --project "$project" --port 0 --log-level warn >"$tmp/stork.out" 2>"$tmp/stork.out.err" &
pids+=($!)
port=$(wait_for_port "$tmp/stork.out" "ws_fanout.sh: stork serve" "${pids[-1]}")

node --experimental-websocket "$root/bench/ws_fanout.mjs" "http://127.0.0.1:$port" 1 "$clients"
