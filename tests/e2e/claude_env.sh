# shellcheck shell=bash
# Shared by the scripts that run the real Claude Code CLI against tests/e2e/scripted_anthropic.py
# (claude_smoke.sh, record_claude_fixtures.sh). Source it; it defines functions only.
# The recipe and why each variable is there: docs/claude-code.md.

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The native binary of the pinned CLI (tests/e2e/package.json, installed by scripts/setup).
# STORK_CLAUDE_CLI overrides it.
claude_cli() {
  echo "${STORK_CLAUDE_CLI:-$e2e_dir/node_modules/@anthropic-ai/claude-code-linux-x64/claude}"
}

# make_sandbox DIR: DIR/home (an empty HOME for the CLI) and DIR/repo (a git repository with
# one commit and an identity, so the agent's `git commit` works).
make_sandbox() {
  local dir=$1
  mkdir -p "$dir/home" "$dir/repo"
  git -C "$dir/repo" init -q -b main
  git -C "$dir/repo" config user.name "Scripted Agent"
  git -C "$dir/repo" config user.email "agent@example.invalid"
  git -C "$dir/repo" commit -q --allow-empty -m "initial commit"
}

# start_scripted_server SCENARIO DIR: starts the server with its request log at
# DIR/requests.jsonl; sets SERVER_PID and SERVER_PORT.
start_scripted_server() {
  local scenario=$1 dir=$2
  rm -f "$dir/port"
  python3 "$e2e_dir/scripted_anthropic.py" --scenario "$scenario" --port-file "$dir/port" \
    --log "$dir/requests.jsonl" &
  SERVER_PID=$!
  local deadline=$((SECONDS + 10))
  until [[ -s "$dir/port" ]]; do
    if ((SECONDS > deadline)) || ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "scripted_anthropic did not start (scenario $scenario)" >&2
      return 1
    fi
    sleep 0.05
  done
  SERVER_PORT=$(<"$dir/port")
}

stop_scripted_server() {
  [[ -n "${SERVER_PID:-}" ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# An unsigned JWT whose audience is "claude-gateway". Given as ANTHROPIC_AUTH_TOKEN with a
# non-Anthropic ANTHROPIC_BASE_URL, it makes the CLI treat the server as a Claude gateway and
# read the anthropic-ratelimit-unified-* headers (rate_limit_event lines); with an API key it
# ignores them. See docs/claude-code.md "Rate limits".
claude_gateway_token() {
  python3 -c '
import base64, json
part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
print(part({"alg": "none", "typ": "JWT"}) + "." + part({"aud": "claude-gateway"}) + ".unsigned")'
}

# run_claude DIR [CLI ARGS...]: runs the CLI in DIR/repo against the server started for DIR,
# with a clean environment (nothing of the caller's ANTHROPIC_* / CLAUDECODE leaks in).
# Stream-json stdout goes to DIR/stdout.jsonl, stderr to DIR/stderr.txt; returns the CLI's
# exit status. CLAUDE_EXTRA_ENV (words NAME=VALUE) adds variables, e.g.
# "CLAUDE_CODE_MAX_RETRIES=0"; CLAUDE_AUTH=gateway uses the gateway token instead of a key;
# CLAUDE_TIMEOUT (seconds, default 60) bounds the run.
run_claude() {
  local dir=$1
  shift
  local auth=("ANTHROPIC_API_KEY=sk-ant-scripted-test")
  [[ "${CLAUDE_AUTH:-key}" == gateway ]] && auth=("ANTHROPIC_AUTH_TOKEN=$(claude_gateway_token)")
  local extra=()
  # shellcheck disable=SC2206  # CLAUDE_EXTRA_ENV is a list of NAME=VALUE words
  [[ -n "${CLAUDE_EXTRA_ENV:-}" ]] && extra=(${CLAUDE_EXTRA_ENV})
  (
    cd "$dir/repo" &&
      env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$dir/home" LANG=C.UTF-8 \
        ANTHROPIC_BASE_URL="http://127.0.0.1:$SERVER_PORT" "${auth[@]}" \
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 IS_SANDBOX=1 "${extra[@]}" \
        timeout "${CLAUDE_TIMEOUT:-60}" "$(claude_cli)" "$@" \
        --output-format stream-json --verbose --dangerously-skip-permissions \
        >"$dir/stdout.jsonl" 2>"$dir/stderr.txt"
  )
}
