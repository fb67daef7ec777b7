#!/usr/bin/env python3
"""Waits for the demo's pipeline to settle and checks that every item ended where it should.

    demo/check.py URL SAMPLE_DIR [--timeout SECONDS]

URL is the running `stork serve` (http://127.0.0.1:PORT), SAMPLE_DIR the demo's repository.
Expected: the spike (item 5) held in QA for a person (review_hold); items 1-4 in Done (or
Archived) with their code on main, where the sample's tests pass; item 4 needed a retry (its
first attempt failed the gate); the merge of item 1 or 2 conflicted and was resolved by the
mergemaster. Prints what it checked; exits 1 naming what is wrong, 0 when all is right.
"""

import json
import subprocess
import sys
import tempfile
import time
import urllib.request

DONE = ("done", "archived")


def get(url):
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.load(reply)


def items_by_number(board):
    return {item["number"]: item for stage in board["stages"].values() for item in stage}


def settled(items):
    if len(items) != 5:
        return False
    spike = items.get(5)
    return (all(items[n]["stage"] in DONE for n in (1, 2, 3, 4)) and spike is not None
            and spike["stage"] == "qa" and spike["flags"]["review_hold"])


def describe(items):
    return ", ".join(f"{n}:{items[n]['stage']}" + ("(blocked)" if items[n]["flags"]["blocked"] else "")
                     for n in sorted(items))


def main():
    url, sample = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[sys.argv.index("--timeout") + 1]) if "--timeout" in sys.argv else 300
    deadline = time.monotonic() + timeout
    last = None
    while True:
        items = items_by_number(get(f"{url}/api/pipeline"))
        state = describe(items)
        if state != last:
            print(f"  board: {state}", flush=True)
            last = state
        if settled(items):
            break
        blocked = [n for n, item in items.items() if item["flags"]["blocked"]]
        if blocked or time.monotonic() > deadline:
            why = f"items {blocked} are blocked" if blocked else f"not settled after {timeout:.0f} s"
            sys.exit(f"demo check FAILED: {why} ({state})")
        time.sleep(0.5)

    # An item is in Done a moment before its `merged` event (the merge moves it, cleans up,
    # then says so): wait for those events too, within the same deadline.
    def story_events(number, kind):
        return [e for e in events if e["story"].startswith(f"{number}_") and e["type"] == kind]

    while True:
        events = get(f"{url}/api/events?limit=10000")["events"]
        if all(story_events(n, "merged") for n in (1, 2, 3, 4)) or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    problems = []

    if not story_events(4, "retry"):
        problems.append("item 4 was never retried (its first attempt should fail the gate)")
    conflicted = [n for n in (1, 2) if story_events(n, "merge_failed")]
    if not conflicted:
        problems.append("neither item 1 nor item 2 had a merge conflict")
    for n in conflicted:
        if not story_events(n, "merged"):
            problems.append(f"item {n} conflicted and never merged")
    for n in (1, 2, 3, 4):
        if not story_events(n, "merged"):
            problems.append(f"item {n} has no merged event")

    with tempfile.TemporaryDirectory() as checkout:
        subprocess.run(["git", "-C", sample, "worktree", "add", "-q", "--detach", checkout, "main"],
                       check=True)
        try:
            calc = open(f"{checkout}/calc.py").read()
            for needle, item in (("def sub(", 1), ("def mul(", 2), ("ValueError", 4)):
                if needle not in calc:
                    problems.append(f"calc.py on main lacks {needle!r} (item {item})")
            for path, item in (("cli.py", 3), ("test_cli.py", 3)):
                if subprocess.run(["test", "-f", f"{checkout}/{path}"]).returncode != 0:
                    problems.append(f"{path} is not on main (item {item})")
            if subprocess.run(["test", "-e", f"{checkout}/docs/spike-expression-parser.md"]).returncode == 0:
                problems.append("the spike's work reached main without a person approving it")
            tests = subprocess.run(["sh", "script/test"], cwd=checkout, capture_output=True, text=True)
            if tests.returncode != 0:
                problems.append("the sample's tests fail on main:\n" + tests.stdout[-2000:])
            else:
                ran = [line for line in tests.stdout.splitlines() if line.startswith("Ran ")]
                print(f"  main: script/test passes ({ran[-1] if ran else 'ran'})")
        finally:
            subprocess.run(["git", "-C", sample, "worktree", "remove", "--force", checkout])

    if problems:
        sys.exit("demo check FAILED:\n- " + "\n- ".join(problems))
    print(f"  item 4 retried after a failed gate; item(s) {conflicted} conflicted and were "
          "resolved by the mergemaster")
    print("demo check passed: the spike waits in QA for a person, items 1-4 are merged on main")


if __name__ == "__main__":
    main()
