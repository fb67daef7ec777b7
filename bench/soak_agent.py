#!/usr/bin/env python3
"""The soak benchmark's agent (bench/soak.sh), on the `command` runtime: real commits, no model.

    soak_agent.py code      the coder of item N (STORK_STORY_ID "N_story_..."):
                            writes items/N.txt and commits it. Every 7th item (N % 7 == 3)
                            gets it wrong on its first attempt (the file says BROKEN, which the
                            gate refuses), so stork restarts it with the failure; the retry is
                            right. Items N and N+1 with N % 20 == 1 both create pairs/N.txt
                            with different text, so the second of the two to merge conflicts.
    soak_agent.py resolve   the mergemaster: the demo agent's resolution (demo/agent.py:
                            merge the base branch in, keep both sides, run the gate, call
                            stork's merge_agent_work through the worktree's .mcp.json).
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "demo"))
import agent as demo  # noqa: E402  (the demo agent: git, commit, resolve)

STORY = os.environ.get("STORK_STORY_ID", "")


def attempts_so_far():
    log = demo.git("log", "--format=%s", "HEAD").stdout
    return len(re.findall(rf"^soak: {re.escape(STORY)} attempt", log, re.MULTILINE))


def code():
    number = int(STORY.split("_", 1)[0])
    attempt = attempts_so_far() + 1
    broken = number % 7 == 3 and attempt == 1
    demo.write(f"items/{number}.txt", f"item {number}: {'BROKEN' if broken else 'done'}\n")
    if number % 20 in (1, 2):
        pair = number - (number % 20) + 1
        demo.write(f"pairs/{pair}.txt", f"written by item {number}\n")
    demo.commit(f"soak: {STORY} attempt {attempt}")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "code":
        code()
    elif mode == "resolve":
        demo.resolve()
    else:
        sys.exit(f"soak_agent.py: unknown mode '{mode}' (code | resolve)")
