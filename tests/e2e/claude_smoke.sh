#!/usr/bin/env bash
# End-to-end smoke test of the real Claude Code CLI against the scripted Messages API server:
# the agent writes hello.txt with the Write tool, commits it with the Bash tool and ends with
# text. Exit 0 only if the file is committed in the repository and the CLI printed a `result`
# line with total_cost_usd. Not part of ctest (it needs the npm install of scripts/setup).
#
#   tests/e2e/claude_smoke.sh [--keep]     (--keep: leave the temp dir and print its path)
set -euo pipefail

# shellcheck source=tests/e2e/claude_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/claude_env.sh"
root=$(cd "$e2e_dir/../.." && pwd)
scenario="$root/tests/fixtures/claude/scenarios/write_commit.json"

if [[ ! -x "$(claude_cli)" ]]; then
  echo "claude_smoke: $(claude_cli) missing: run scripts/setup" >&2
  exit 1
fi

work=$(mktemp -d -t stork-claude-smoke.XXXXXX)
keep=${1:-}
cleanup() {
  stop_scripted_server
  if [[ "$keep" == --keep ]]; then echo "claude_smoke: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

make_sandbox "$work"
start_scripted_server "$scenario" "$work"
status=0
run_claude "$work" -p "Create hello.txt and commit it." || status=$?

failures=()
((status == 0)) || failures+=("the CLI exited with status $status")
if ! git -C "$work/repo" ls-tree --name-only HEAD | grep -qx hello.txt; then
  failures+=("hello.txt is not in the repository's HEAD commit")
fi
if [[ -n "$(git -C "$work/repo" status --porcelain)" ]]; then
  failures+=("the work tree is not clean after the commit")
fi
if ! python3 - "$work/stdout.jsonl" <<'EOF'; then
import json, sys
results = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("type") == "result":
        results.append(event)
ok = any(isinstance(r.get("total_cost_usd"), (int, float)) and not r.get("is_error")
         for r in results)
sys.exit(0 if ok else 1)
EOF
  failures+=("no successful result line with total_cost_usd on stdout")
fi

if ((${#failures[@]})); then
  for failure in "${failures[@]}"; do echo "claude_smoke: FAIL: $failure" >&2; done
  echo "claude_smoke: stdout:" >&2
  cut -c1-300 "$work/stdout.jsonl" >&2 || true
  echo "claude_smoke: stderr:" >&2
  cat "$work/stderr.txt" >&2 || true
  exit 1
fi
echo "claude_smoke: ok ($(git -C "$work/repo" log -1 --format=%s), $(wc -l <"$work/requests.jsonl") API requests)"
