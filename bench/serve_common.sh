# Sourced by the `stork serve` load scripts (serve_load.sh, ws_fanout.sh): the release build,
# a temp directory whose processes are stopped on exit, a bench project's git repository, and
# the wait for a server's "listening on" line. Expects `root`, `stork`, `build` and `keep`.

# Builds build/release/bin/stork unless --no-build or --stork was given; NAME for messages.
bench_build_stork() {
  local name=$1
  if ((build)); then
    (cd "$root" && cmake --preset release >/dev/null &&
       cmake --build --preset release --target stork -j2 >/dev/null)
  fi
  [[ -x "$stork" ]] || { echo "$name: no stork binary at $stork" >&2; exit 1; }
}

# Sets `tmp` to a new directory and `pids` to (); on exit stops those pids (only the processes
# the script started), waits for them, and removes `tmp` unless --keep.
bench_temp_dir() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")
  pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((keep)); then echo "files kept in $tmp"; else rm -rf "$tmp"; fi
}

# A git repository at DIR with .storkit/work/1_backlog and the .gitignore of stork's runtime
# files; the caller writes project.toml and items, then commits.
bench_project_repo() {
  local dir=$1
  mkdir -p "$dir/.storkit/work/1_backlog"
  git -C "$dir" init -q -b main
  git -C "$dir" config user.email bench@example.invalid
  git -C "$dir" config user.name bench
  printf '%s\n' .storkit/worktrees/ .storkit/merge_workspace/ '.storkit/state.db*' .storkit/logs/ \
    .storkit/work/2_current/ .storkit/work/3_qa/ .storkit/work/4_merge/ >"$dir/.gitignore"
}

# Waits (at most 30 s) for "listening on http://127.0.0.1:PORT" in FILE and prints PORT; on
# failure prints FILE and FILE.err and returns 1.
wait_for_port() {
  local file=$1 name=$2 pid=$3 line
  for _ in $(seq 300); do
    line=$(grep -m1 -o 'listening on http://127.0.0.1:[0-9]*' "$file" 2>/dev/null || true)
    if [[ -n "$line" ]]; then echo "${line##*:}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not report its port; its output:" >&2
  cat "$file" "$file.err" >&2 2>/dev/null || true
  return 1
}
