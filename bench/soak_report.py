#!/usr/bin/env python3
"""bench/soak.sh's report and checks: items per minute for stork and bare git, the server's
samples (start, peak, midway, settled, after), and what must hold after a soak. Exits 1 when a
check fails."""
import argparse
import collections
import os
import re
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    for name in ("project", "samples", "after", "serve-log"):
        p.add_argument("--" + name, required=True)
    for name in ("items", "coders", "all-done", "left", "left-standbys"):
        p.add_argument("--" + name, type=int, required=True)
    for name in ("stork-seconds", "bare-seconds"):
        p.add_argument("--" + name, type=float, required=True)
    a = p.parse_args()

    rows = [line.split("\t") for line in open(a.samples).read().splitlines()[1:]]
    samples = [(float(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]
    after = tuple(int(v) for v in a.after.split("\t"))
    print(f"soak: {a.items} items, max_coders = {a.coders}")
    stork_rate = a.items / a.stork_seconds * 60
    bare_rate = a.items / a.bare_seconds * 60
    print(f"stork:    {a.stork_seconds:7.1f} s  {stork_rate:7.1f} items/min")
    print(f"bare git: {a.bare_seconds:7.1f} s  {bare_rate:7.1f} items/min (sequential)")
    print(f"stork / bare git throughput: {stork_rate / bare_rate:.2f}x")

    def show(name, s):
        print(f"  {name:<8} RSS {s[0] / 1024:6.1f} MiB  fds {s[1]:4d}  threads {s[2]:3d}  "
              f"descendants {s[3]:3d}")
    first, middle, last = samples[0][1:5], samples[len(samples) // 2][1:5], samples[-1][1:5]
    peak = tuple(max(s[i] for s in samples) for i in range(1, 5))
    print(f"server samples ({len(samples)}, one a second):")
    show("start", first)
    show("midway", middle)
    show("end", last)
    show("peak", peak)
    show("after", after)

    failures = []
    work = os.path.join(a.project, ".storkit", "work")
    done = sorted(f for f in os.listdir(os.path.join(work, "5_done")) if f.endswith(".md"))
    if len(done) != a.items or not a.all_done:
        failures.append(f"{len(done)} of {a.items} items reached 5_done")
    blocked = []
    for stage in os.listdir(work):
        for name in os.listdir(os.path.join(work, stage)):
            if re.search(r"^blocked: true", open(os.path.join(work, stage, name)).read(), re.M):
                blocked.append(name)
    if blocked:
        failures.append(f"blocked: {', '.join(blocked[:10])}")
    log = subprocess.run(["git", "-C", a.project, "log", "main", "--format=%(trailers:key=Stork-Merge,valueonly)"],
                         capture_output=True, text=True, check=True).stdout
    merges = collections.Counter(line.strip() for line in log.splitlines() if line.strip())
    twice = [story for story, n in merges.items() if n > 1]
    if twice:
        failures.append(f"merged more than once: {', '.join(twice[:10])}")
    missing = []
    for n in range(1, a.items + 1):
        shown = subprocess.run(["git", "-C", a.project, "show", f"main:items/{n}.txt"],
                               capture_output=True, text=True)
        if shown.stdout != f"item {n}: done\n":
            missing.append(n)
    if missing:
        failures.append(f"items/N.txt missing or wrong on main for N = {missing[:10]}")
    print(f"merges on main: {sum(merges.values())} ({len(merges)} items)")
    if after[3] != 0 or a.left != 0 or a.left_standbys != 0:
        failures.append(f"processes left: {after[3]} descendants of the server, {a.left} soak "
                        f"agents, {a.left_standbys} standby supervisors after it exited")
    # Flat at the end: settled values against those midway through the run (after warm-up).
    if after[1] > middle[1] + 16:
        failures.append(f"descriptors grew: {middle[1]} midway, {after[1]} after")
    if after[0] > middle[0] * 1.5:
        failures.append(f"RSS grew: {middle[0]} KiB midway, {after[0]} KiB after")
    errors = [line for line in open(a.serve_log) if " error " in line]
    print(f"server log: {len(errors)} error line(s)")
    for line in errors[:5]:
        print("  " + line.rstrip())
    for failure in failures:
        print("FAILED: " + failure)
    print("soak: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
