#!/usr/bin/env python3
"""bench/soak.sh's sampler: once a second, the server's RSS, open descriptors, threads and
descendant processes, and how many items are in 5_done, until all N are (or the timeout).

    soak_sample.py --pid P --project DIR --items N --timeout S --samples FILE --started T
    soak_sample.py --pid P --once        one sample line (tab-separated) on stdout
    soak_sample.py --pid P --standbys    the pids of P's waiting standby supervisors
    soak_sample.py --gone PID... --timeout S
                                         how many of the PIDs still run after S seconds
Prints settled_after_s=... (seconds from T until every item was done) and all_done=0|1.

A waiting standby supervisor (`stork-supervise standby`, one per server by design:
src/proc/standby_supervisor.hpp) is not counted among the descendants; soak.sh checks that it
exits with the server instead.
"""
import argparse
import os
import time


STANDBY = b"stork-supervise\0standby\0"


def children_by_parent():
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
    return children


def is_standby(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read() == STANDBY
    except OSError:
        return False


def standbys(pid):
    return [child for child in children_by_parent().get(pid, []) if is_standby(child)]


def descendants(pid):
    children = children_by_parent()
    found, todo = 0, [c for c in children.get(pid, []) if not is_standby(c)]
    while todo:
        found += 1
        todo.extend(children.get(todo.pop(), []))
    return found


def running(pid):
    """Exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def still_running_after(pids, seconds):
    deadline = time.time() + seconds
    while True:
        left = [pid for pid in pids if running(pid)]
        if not left or time.time() >= deadline:
            return len(left)
        time.sleep(0.1)


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
    parser.add_argument("--pid", type=int)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--standbys", action="store_true")
    parser.add_argument("--gone", type=int, nargs="*")
    parser.add_argument("--project")
    parser.add_argument("--items", type=int)
    parser.add_argument("--timeout", type=float)
    parser.add_argument("--samples")
    parser.add_argument("--started", type=float)
    args = parser.parse_args()
    if args.gone is not None:
        print(still_running_after(args.gone, args.timeout))
        return
    if args.standbys:
        print(" ".join(str(pid) for pid in standbys(args.pid)))
        return
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
