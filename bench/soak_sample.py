#!/usr/bin/env python3
"""bench/soak.sh's sampler: once a second, the server's RSS, open descriptors, threads and
descendant processes, and how many items are in 5_done, until all N are (or the timeout).

    soak_sample.py --pid P --project DIR --items N --timeout S --samples FILE --started T
    soak_sample.py --pid P --once        one sample line (tab-separated) on stdout
Prints settled_after_s=... (seconds from T until every item was done) and all_done=0|1.
"""
import argparse
import os
import time


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    found, todo = 0, list(children.get(pid, []))
    while todo:
        found += 1
        todo.extend(children.get(todo.pop(), []))
    return found


def sample(pid):
    """rss_kb, fds, threads, descendants of `pid`."""
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            status[key] = value.split()
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return int(status["VmRSS"][0]), fds, int(status["Threads"][0]), descendants(pid)


def done_count(project):
    done = os.path.join(project, ".storkit", "work", "5_done")
    return sum(1 for name in os.listdir(done) if name.endswith(".md")) if os.path.isdir(done) else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--project")
    parser.add_argument("--items", type=int)
    parser.add_argument("--timeout", type=float)
    parser.add_argument("--samples")
    parser.add_argument("--started", type=float)
    args = parser.parse_args()
    if args.once:
        print("\t".join(str(v) for v in sample(args.pid)))
        return
    settled = None
    with open(args.samples, "w") as out:
        out.write("seconds\trss_kb\tfds\tthreads\tdescendants\tdone\n")
        while time.time() - args.started < args.timeout:
            done = done_count(args.project)
            values = sample(args.pid)
            out.write("\t".join(str(v) for v in (round(time.time() - args.started, 1), *values, done)) + "\n")
            out.flush()
            if done >= args.items:
                settled = time.time() - args.started
                break
            time.sleep(1)
    print(f"settled_after_s={settled if settled is not None else args.timeout:.1f}")
    print(f"all_done={1 if settled is not None else 0}")


if __name__ == "__main__":
    main()
