#!/usr/bin/env bash
# Re-records the stream-json transcripts in tests/fixtures/claude/ by running the real CLI
# against tests/e2e/scripted_anthropic.py, and checks the behaviours docs/claude-code.md
# describes (resume sends the earlier turns, a stalled request means silence, which runs print
# rate_limit_event). Run it after changing the pinned CLI version, then review the diff of the
# fixtures and of the unit tests that read them (tests/unit/claude).
#
#   tests/e2e/record_claude_fixtures.sh [STALL_SECONDS]   (default 15)
set -euo pipefail

# shellcheck source=tests/e2e/claude_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/claude_env.sh"
root=$(cd "$e2e_dir/../.." && pwd)
fixtures="$root/tests/fixtures/claude"
scenarios="$fixtures/scenarios"
stall_seconds=${1:-15}

scratch=$(mktemp -d -t stork-claude-record.XXXXXX)
trap 'stop_scripted_server; rm -rf "$scratch"' EXIT

# record NAME SCENARIO [CLI ARGS...]: one run in a fresh sandbox; stdout → NAME.jsonl.
record() {
  local name=$1 scenario=$2
  shift 2
  local dir="$scratch/$name"
  mkdir -p "$dir"
  make_sandbox "$dir"
  start_scripted_server "$scenarios/$scenario" "$dir"
  local status=0
  run_claude "$dir" "$@" || status=$?
  stop_scripted_server
  cp "$dir/stdout.jsonl" "$fixtures/$name.jsonl"
  echo "record: $name: exit $status, $(wc -l <"$dir/stdout.jsonl") lines," \
    "$(grep -c '"type":"rate_limit_event"' "$dir/stdout.jsonl" || true) rate_limit_event," \
    "$(wc -l <"$dir/requests.jsonl") requests"
}

# (a) Write, then `git commit` through Bash, then text.
record write_commit write_commit.json -p "Create hello.txt and commit it."
git -C "$scratch/write_commit/repo" ls-tree --name-only HEAD | grep -qx hello.txt ||
  { echo "record: write_commit: hello.txt was not committed" >&2; exit 1; }

# (b) --resume the session of (a) in the same HOME and repository, against a new server.
dir="$scratch/write_commit"
session=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["session_id"])' \
  "$fixtures/write_commit.jsonl")
rm -f "$dir/requests.jsonl"
start_scripted_server "$scenarios/resume.json" "$dir"
run_claude "$dir" -p "What did you do before?" --resume "$session"
stop_scripted_server
cp "$dir/stdout.jsonl" "$fixtures/resume.jsonl"
python3 - "$dir/requests.jsonl" "$fixtures/write_commit.jsonl" <<'EOF'
import json, sys
requests = [json.loads(l) for l in open(sys.argv[1])]
main = [r for r in requests if r["kind"] == "main"]
earlier_ids = set()
for line in open(sys.argv[2]):
    event = json.loads(line)
    if event.get("type") == "assistant":
        earlier_ids |= {b["id"] for b in event["message"]["content"] if b.get("type") == "tool_use"}
sent = json.dumps(main[0]["body"]["messages"])
missing = [i for i in earlier_ids if i not in sent]
print("record: resume: %d messages sent in the first request; earlier tool_use ids %s"
      % (len(main[0]["body"]["messages"]), "all present" if not missing else "MISSING %s" % missing))
sys.exit(1 if missing or not earlier_ids else 0)
EOF

# Thinking, text and two tool calls in one answer; a failing Bash command (is_error result).
record multi_tool multi_tool.json -p "Write a.txt and b.txt, then show c.txt." \
  --model claude-sonnet-4-5
# The same, stopped by --max-turns after the first answer.
record max_turns multi_tool.json -p "Write a.txt and b.txt, then show c.txt." --max-turns 1

# (c) A hard 429 with unified rate-limit headers: with an API key the CLI ignores the headers;
# as a gateway client it reports them. One retry only (the default is 10, with backoff).
CLAUDE_EXTRA_ENV="CLAUDE_CODE_MAX_RETRIES=1" \
  record rate_limit_rejected_api_key rate_limit_rejected.json -p "Say hello."
CLAUDE_AUTH=gateway CLAUDE_EXTRA_ENV="CLAUDE_CODE_MAX_RETRIES=1" \
  record rate_limit_rejected_gateway rate_limit_rejected.json -p "Say hello."
# A warning-level limit on a successful answer.
record rate_limit_warning_api_key rate_limit_warning.json -p "Say hello."
CLAUDE_AUTH=gateway record rate_limit_warning_gateway rate_limit_warning.json -p "Say hello."

# (d) A stalled request, given up after API_TIMEOUT_MS and retried once.
CLAUDE_EXTRA_ENV="API_TIMEOUT_MS=3000 CLAUDE_CODE_MAX_RETRIES=1" \
  record stall_timeout stall.json -p "Say hello."
# ...and with the default timeout (10 minutes) nothing at all after the init line.
dir="$scratch/stall_silent"
mkdir -p "$dir"
make_sandbox "$dir"
start_scripted_server "$scenarios/stall.json" "$dir"
started=$SECONDS
CLAUDE_TIMEOUT=$stall_seconds run_claude "$dir" -p "Say hello." || true
stop_scripted_server
lines=$(wc -l <"$dir/stdout.jsonl")
echo "record: stall_silent: $lines stdout line(s) in $((SECONDS - started)) s (killed after ${stall_seconds} s)"
if ((lines != 1)) || ! head -1 "$dir/stdout.jsonl" | grep -q '"subtype":"init"'; then
  echo "record: stall_silent: expected only the init line" >&2
  exit 1
fi
echo "record: fixtures written to ${fixtures#"$root"/}"
