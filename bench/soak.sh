#!/usr/bin/env bash
# The soak (issue 22 item 5): N items (default 300) through `stork serve` with `command` agents
# that make real commits (bench/soak_agent.py), max_coders = C (default 8), the gate on every
# completion and merge, every 7th item failing its gate once and retried, and one pair of items per 20
# that conflict at merge (the mergemaster resolves them). Then a bare-git script makes the same
# commits and squashes, one item after another, in a fresh copy of the same repository.
#
# While stork runs, its RSS, open descriptors, threads and descendant processes are sampled
# every second (soak-samples.tsv); a PNG of them is drawn with gnuplot (soak.png). At the end:
# items per minute for both, the samples at the start of the run, at its peak and after it
# settled, and the checks: every item in 5_done, each merged exactly once (one `Stork-Merge`
# trailer per item on the base branch), every item's file on the base branch, no descendant
# process left but the one standby supervisor, and that one gone once the server has exited,
# no item blocked. Exits 1 when a check fails.
#
#   bench/soak.sh [--items N] [--coders C] [--timeout S] [--out DIR] [--stork PATH]
#                 [--no-build] [--keep]
#
# Bounded: the run is stopped after S seconds (default 1800) and counts as failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stork="$root/build/release/bin/stork"
items=300
coders=8
timeout=1800
out="$root/bench/soak"
build=1
keep=0
while (($#)); do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --coders) coders=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --stork) stork=$2; build=0; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in python3 git gnuplot curl; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is missing (scripts/setup)" >&2; exit 1; }
done
source "$root/bench/serve_common.sh"
bench_build_stork soak.sh
bench_temp_dir stork-soak
mkdir -p "$out"

# The project: a gate that refuses a BROKEN item file, C coders and a mergemaster.
project="$tmp/project"
bench_project_repo "$project"
mkdir -p "$project/script" "$project/items"
cat >"$project/script/test" <<'SH'
#!/bin/sh
# The soak's gate: an item file that says BROKEN fails it.
if grep -rls BROKEN items/; then echo "these items are BROKEN"; exit 1; fi
echo "all items fine"
SH
chmod +x "$project/script/test"
touch "$project/items/.keep"
{
  printf 'max_coders = %d\nmax_retries = 2\ngate_command = "script/test"\n' "$coders"
  for i in $(seq "$coders"); do
    printf '\n[[agent]]\nname = "coder-%d"\nstage = "coder"\nruntime = "command"\n' "$i"
    printf 'command = "python3"\nargs = ["%s/bench/soak_agent.py", "code"]\n' "$root"
  done
  printf '\n[[agent]]\nname = "mergemaster"\nstage = "mergemaster"\nruntime = "command"\n'
  printf 'command = "python3"\nargs = ["%s/bench/soak_agent.py", "resolve"]\n' "$root"
} >"$project/.storkit/project.toml"
python3 - "$project" "$items" <<'PY'
import os, sys
project, count = sys.argv[1], int(sys.argv[2])
# In 2_current (a runtime stage, not committed): ready for a coder when the server starts.
current = os.path.join(project, ".storkit", "work", "2_current")
os.makedirs(current, exist_ok=True)
for n in range(1, count + 1):
    with open(os.path.join(current, f"{n}_story_soak_{n}.md"), "w") as f:
        f.write(f"---\nname: \"Soak item {n}\"\n---\n\n# Story: Soak item {n}\n\n"
                f"## Acceptance Criteria\n\n- [ ] items/{n}.txt says done\n")
PY
git -C "$project" add -A
git -C "$project" commit -q -m "soak project: $items items"
cp -a "$project" "$tmp/bare-project"  # the bare-git run starts from the same commit

# stork: serve, sample every second until every item is in 5_done (or the timeout).
export DEMO_BASE_BRANCH=main
samples="$out/soak-samples.tsv"
started=$(date +%s.%N)
"$stork" serve --project "$project" --port 0 --log-level warn --skip-doctor \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
pids+=("$server")
wait_for_port "$tmp/serve.out" "stork serve" "$server" >/dev/null
python3 "$root/bench/soak_sample.py" --pid "$server" --project "$project" --items "$items" \
  --timeout "$timeout" --samples "$samples" --started "$started" >"$tmp/sampler.out"
stork_seconds=$(sed -n 's/^settled_after_s=//p' "$tmp/sampler.out")
all_done=$(sed -n 's/^all_done=//p' "$tmp/sampler.out")
# Idle for five more seconds, then the last sample is the "after" figure; then stop.
sleep 5
python3 "$root/bench/soak_sample.py" --pid "$server" --once >>"$tmp/sampler.out"
after=$(tail -n 1 "$tmp/sampler.out")
standbys=$(python3 "$root/bench/soak_sample.py" --pid "$server" --standbys)
kill "$server"
wait "$server" || true
left=$(pgrep -f "$root/bench/soak_agent.py" | wc -l || true)
# The standby supervisor ends with the server (its lifeline closes).
# shellcheck disable=SC2086  # a list of pids
left_standbys=$(python3 "$root/bench/soak_sample.py" --gone $standbys --timeout 5)

# Bare git: the same commits and squashes, sequentially, with the gate on each.
bare_seconds=$(python3 "$root/bench/soak_bare.py" "$tmp/bare-project" "$items" "$root")

python3 "$root/bench/soak_report.py" --project "$project" --items "$items" \
  --samples "$samples" --stork-seconds "$stork_seconds" --bare-seconds "$bare_seconds" \
  --all-done "$all_done" --after "$after" --left "$left" --left-standbys "$left_standbys" \
  --coders "$coders" \
  --serve-log "$tmp/serve.err" | tee "$out/soak-report.txt"
status=${PIPESTATUS[0]}
gnuplot -e "samples='$samples'; output='$out/soak.png'" "$root/bench/soak.gp"
echo "plot: $out/soak.png"
exit "$status"
