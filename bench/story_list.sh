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

python3 - "$project" "$items" "$runs" "$stork" <<'PY'
import os, random, statistics, subprocess, sys, time

project, count, runs, stork = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(42)  # the same project every run
words = ["login", "export", "search", "billing", "profile", "session", "webhook", "import",
         "report", "invite", "calendar", "upload", "filter", "archive", "audit", "settings",
         "dashboard", "payments", "onboarding", "sync"]
types = ["story"] * 7 + ["bug"] * 2 + ["spike", "refactor"]
stages = ["1_backlog", "2_current", "3_qa", "4_merge", "5_done", "6_archived"]

def stage_for(n):
    pct = n * 100 // count
    if pct < 35: return "6_archived"
    if pct < 80: return "5_done"
    return rng.choices(stages[:4], weights=[6, 2, 1, 1])[0]

ids = {}
def id_for(n):
    if n not in ids:
        ids[n] = f"{n}_{rng.choice(types)}_{rng.choice(words)}_{rng.choice(words)}_{n % 97}"
    return ids[n]

def item_text(n):
    title = f"{rng.choice(words).capitalize()} {rng.choice(words)} improvements {n}"
    fm = [f'name: "{title}"', f"agent: coder-{rng.randint(1, 3)}"]
    if rng.random() < 0.25: fm.append(rng.choice(["qa: human", "qa: agent", "qa: server"]))
    fm.append(f"retry_count: {rng.choice([0, 0, 0, 1, 2])}")
    deps = rng.randint(0, 4) if n > 5 else 0
    if deps:
        fm.append("depends_on:")
        fm += [f"  - {id_for(max(1, n - rng.randint(1, 50)))}" for _ in range(deps)]
    if rng.random() < 0.1:
        fm += ["blocked: true", 'blocked_reason: "waiting on the API team (see #12)"']
    if rng.random() < 0.08: fm.append("review_hold: true")
    if rng.random() < 0.05:
        fm += ["merge_failure: |",
               "  CONFLICT (content): Merge conflict in src/app.cpp",
               "  Automatic merge failed; fix conflicts and then commit the result."]
    kind = id_for(n).split("_")[1].capitalize()
    body = [f"# {kind} {n}: {title}", "", "## User Story", "",
            f"As a project member I want the {title.lower()} so that the team can ship the "
            "quarterly release without manual steps. Today people copy data between two "
            "screens and re-check it by hand, which is slow and error prone.", "",
            "## Acceptance Criteria", ""]
    for c in range(rng.randint(3, 8)):
        box = "x" if rng.random() < 0.4 else " "
        body.append(f"- [{box}] The {rng.choice(words)} view shows the expected result for "
                    f"case {c + 1} and keeps working after a reload")
    if rng.random() < 0.6:
        body += ["", "## Technical Notes", "",
                 f"The {rng.choice(words)} service owns this data; reuse its client rather than "
                 "adding a new one. Migrations must be reversible and run in under a minute on "
                 "the production data set. Log at info level only what an operator needs."]
    body += ["", "## Out of Scope", "", "- Mobile layouts",
             "- Bulk operations over more than 1000 rows", "", "## Notes", "",
             "See the design discussion in the team channel. Keep the public API unchanged; "
             "add tests next to the existing ones.", ""]
    return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)

work = os.path.join(project, ".storkit", "work")
for stage in stages:
    os.makedirs(os.path.join(work, stage), exist_ok=True)
with open(os.path.join(project, ".storkit", "project.toml"), "w") as f:
    f.write('[[agent]]\nname = "coder-1"\n')
total_bytes = 0
for n in range(1, count + 1):
    text = item_text(n)
    total_bytes += len(text.encode())
    with open(os.path.join(work, stage_for(n), id_for(n) + ".md"), "w") as f:
        f.write(text)
per_stage = {s: len(os.listdir(os.path.join(work, s))) for s in stages}
print(f"project: {count} items, {total_bytes / 1e6:.1f} MB ({total_bytes // count} bytes/item "
      f"on average); per stage: " + ", ".join(f"{s}={c}" for s, c in per_stage.items()))

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
