#!/usr/bin/env bash
# Load benchmark of `stork serve` over loopback, against two references in the same run:
#   1. GET /api/pipeline of a project with 1,000 backlog items  vs  nginx serving the same JSON
#      as a static file (target: stork >= 0.5x nginx's req/s);
#   2. POST /mcp tools/list in an initialized session  vs  a server built with the official MCP
#      TypeScript SDK (bench/ts_mcp_server.mjs) exposing the same tool list (target: >= 3x).
# Each target gets the same wrk command: wrk -t2 -c32 -d10s --latency. Prints req/s, p99 and
# the ratios. Everything started here is stopped on exit.
#
#   bench/serve_load.sh [--stork PATH] [--duration 10s] [--no-build] [--keep]
#
# By default it builds the release binary first (build/release/bin/stork). Needs wrk, nginx
# (scripts/setup) and the SDK in tests/e2e/node_modules (scripts/setup).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stork="$root/build/release/bin/stork"
duration=10s
build=1
keep=0
while (($#)); do
  case "$1" in
    --stork) stork=$2; build=0; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "serve_load.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in wrk nginx curl node python3 git; do
  command -v "$tool" >/dev/null || { echo "serve_load.sh: $tool is missing (scripts/setup)" >&2; exit 1; }
done
source "$root/bench/serve_common.sh"
bench_build_stork serve_load.sh
bench_temp_dir stork-serve-load

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# --- the project: one command coder that nothing starts, 1,000 backlog items -------------------
project="$tmp/project"
bench_project_repo "$project"
cat >"$project/.storkit/project.toml" <<'TOML'
gate_command = "true"

[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = "true"
TOML
for n in $(seq 1 1000); do
  printf -- '---\nname: Item %d\n---\n\n# Item %d\n' "$n" "$n" \
    >"$project/.storkit/work/1_backlog/${n}_story_item_${n}.md"
done
git -C "$project" add -A
git -C "$project" commit -q -m "bench project: 1,000 backlog items"

# --- stork serve -------------------------------------------------------------------------------
"$stork" serve --project "$project" --port 0 --log-level warn \
  >"$tmp/stork.out" 2>"$tmp/stork.out.err" &
pids+=($!)
stork_port=$(wait_for_port "$tmp/stork.out" "stork serve" "${pids[-1]}")
stork_url="http://127.0.0.1:$stork_port"

mkdir -p "$tmp/www"
curl -sSf "$stork_url/api/pipeline" -o "$tmp/www/pipeline.json"
backlog=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stages"]["backlog"]))' \
  "$tmp/www/pipeline.json")
[[ "$backlog" == 1000 ]] || { echo "serve_load.sh: /api/pipeline lists $backlog backlog items, not 1000" >&2; exit 1; }

# --- nginx, serving the same JSON --------------------------------------------------------------
nginx_port=$(free_port)
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/tmp"
# Started as root, nginx's workers run as nobody: they must be able to reach the file.
chmod a+rx "$tmp" "$tmp/www"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log /dev/null crit;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/tmp;
  proxy_temp_path $tmp/nginx/tmp;
  fastcgi_temp_path $tmp/nginx/tmp;
  uwsgi_temp_path $tmp/nginx/tmp;
  scgi_temp_path $tmp/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
    location = /api/pipeline {
      default_type application/json;
      try_files /pipeline.json =404;
    }
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e /dev/null &
pids+=($!)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$nginx_port/api/pipeline" -o "$tmp/nginx.json" && break
  sleep 0.1
done
cmp -s "$tmp/nginx.json" "$tmp/www/pipeline.json" ||
  { echo "serve_load.sh: nginx does not serve the saved JSON" >&2; exit 1; }

# --- MCP sessions ------------------------------------------------------------------------------
# Initializes a session at URL (prints its id), sends notifications/initialized.
mcp_session() {
  local url=$1 headers="$tmp/init.headers" id
  curl -sSf -D "$headers" -o "$tmp/init.body" "$url" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"serve_load","version":"1"}}}'
  id=$(tr -d '\r' <"$headers" | awk 'tolower($1)=="mcp-session-id:" {print $2}')
  [[ -n "$id" ]] || { echo "serve_load.sh: no Mcp-Session-Id from $url" >&2; cat "$headers" "$tmp/init.body" >&2; return 1; }
  curl -sSf -o /dev/null "$url" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $id" \
    -H 'MCP-Protocol-Version: 2025-06-18' -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  echo "$id"
}
# tools/list at URL in session ID, as the lua script sends it; writes the result to FILE.
tools_list() {
  curl -sSf "$1" -o "$3" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $2" \
    -H 'MCP-Protocol-Version: 2025-06-18' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}'
}

stork_session=$(mcp_session "$stork_url/mcp")
tools_list "$stork_url/mcp" "$stork_session" "$tmp/stork_tools.json"
python3 - "$tmp/stork_tools.json" "$tmp/tools.json" <<'PY'
import json, sys
reply = json.load(open(sys.argv[1]))
json.dump(reply["result"], open(sys.argv[2], "w"))
PY

node "$root/bench/ts_mcp_server.mjs" "$tmp/tools.json" 0 >"$tmp/ts.out" 2>"$tmp/ts.out.err" &
pids+=($!)
ts_port=$(wait_for_port "$tmp/ts.out" "ts_mcp_server.mjs" "${pids[-1]}")
ts_url="http://127.0.0.1:$ts_port/mcp"
ts_session=$(mcp_session "$ts_url")
tools_list "$ts_url" "$ts_session" "$tmp/ts_tools.json"
python3 - "$tmp/stork_tools.json" "$tmp/ts_tools.json" <<'PY'
import json, sys
# Numbers as doubles: JavaScript turns stork's int64 maximum 9223372036854775807 into
# 9223372036854776000; every other byte of the list must match.
a, b = (json.load(open(p), parse_int=float)["result"]["tools"] for p in sys.argv[1:])
if a != b:
    sys.exit("serve_load.sh: the TS SDK server's tools/list differs from stork's")
print(f"tools/list: {len(a)} tools, {len(json.dumps({'tools': a}))} bytes, identical on both servers")
PY
echo "/api/pipeline: $(stat -c %s "$tmp/www/pipeline.json") bytes, $backlog backlog items"

# --- the runs ----------------------------------------------------------------------------------
results="$tmp/results.tsv"
: >"$results"
# run_wrk NAME URL [LUA]: one wrk run; appends NAME, req/s, p99 (ms), non-2xx, socket errors.
run_wrk() {
  local name=$1 url=$2 out="$tmp/wrk-${1//[^a-zA-Z0-9]/_}.txt"
  local args=(-t2 -c32 -d"$duration" --latency)
  [[ $# -ge 3 ]] && args+=(-s "$3")
  echo "wrk ${args[*]} $url   # $name" >&2
  wrk "${args[@]}" "$url" >"$out"
  python3 - "$name" "$out" >>"$results" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
value, unit = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"{name}\t{rps:.0f}\t{p99:.2f}\t{non2xx.group(1) if non2xx else 0}\t"
      f"{errors.group(1).strip() if errors else '-'}")
PY
}

export MCP_SESSION_ID
run_wrk "stork /api/pipeline" "$stork_url/api/pipeline"
run_wrk "nginx static JSON" "http://127.0.0.1:$nginx_port/api/pipeline"
MCP_SESSION_ID=$stork_session run_wrk "stork /mcp tools/list" "$stork_url/mcp" "$root/bench/mcp_tools_list.lua"
MCP_SESSION_ID=$ts_session run_wrk "TS SDK /mcp tools/list" "$ts_url" "$root/bench/mcp_tools_list.lua"

python3 - "$results" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
by = {r[0]: r for r in rows}
print()
print(f"| {'target':<24} | {'req/s':>8} | {'p99 ms':>8} | {'non-2xx':>7} | socket errors |")
print(f"|{'-'*26}|{'-'*10}|{'-'*10}|{'-'*9}|---------------|")
for r in rows:
    print(f"| {r[0]:<24} | {r[1]:>8} | {r[2]:>8} | {r[3]:>7} | {r[4]} |")
def ratio(a, b, target):
    x = float(by[a][1]) / float(by[b][1])
    verdict = "met" if x >= target else "MISSED"
    print(f"{a} / {b}: {x:.3g}x (target >= {target}x: {verdict})")
print()
ratio("stork /api/pipeline", "nginx static JSON", 0.5)
ratio("stork /mcp tools/list", "TS SDK /mcp tools/list", 3)
bad = [r[0] for r in rows if r[3] != "0" or r[4] != "-"]
if bad:
    print("WARNING: errors or non-2xx responses in: " + ", ".join(bad))
PY
