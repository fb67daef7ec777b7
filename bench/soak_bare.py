#!/usr/bin/env python3
"""bench/soak.sh's floor: what the soak's pipeline does to git, done by a bare script, one item
after another, in a copy of the same repository. Prints the seconds it took.

    soak_bare.py PROJECT N ROOT

Per item, as stork and bench/soak_agent.py do it: a worktree on feature/story-<id>, the agent's
commit (two commits and two gate runs for every 7th item, whose first attempt is BROKEN), the
gate in the worktree, a squash of the branch onto the base in a detached merge worktree with
the gate on the result (a conflicting pair: merge the base into the branch keeping both sides,
commit, gate, squash again), a compare-and-swap of the base, the item file moved to 5_done and
committed, the worktree and branch removed.
"""
import os
import subprocess
import sys
import time

project, count, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
env = {**os.environ, "GIT_AUTHOR_NAME": "bare", "GIT_AUTHOR_EMAIL": "bare@localhost",
       "GIT_COMMITTER_NAME": "bare", "GIT_COMMITTER_EMAIL": "bare@localhost"}


def git(cwd, *args, check=True):
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"soak_bare.py: git {' '.join(args)} in {cwd}: {result.stderr.strip()}")
    return result


def gate(cwd):
    return subprocess.run(["sh", "script/test"], cwd=cwd, capture_output=True).returncode == 0


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def agent_commit(worktree, n, attempt, broken):
    write(os.path.join(worktree, "items", f"{n}.txt"), f"item {n}: {'BROKEN' if broken else 'done'}\n")
    if n % 20 in (1, 2):
        pair = n - (n % 20) + 1
        write(os.path.join(worktree, "pairs", f"{pair}.txt"), f"written by item {n}\n")
    git(worktree, "add", "-A")
    git(worktree, "commit", "-q", "-m", f"soak: {n} attempt {attempt}")


def squash(merge, branch, story):
    git(merge, "checkout", "-q", "--detach", "main")
    old = git(merge, "rev-parse", "HEAD").stdout.strip()
    if git(merge, "merge", "--squash", branch, check=False).returncode != 0:
        git(merge, "reset", "-q", "--hard", old)
        return False
    git(merge, "commit", "-q", "-m", f"storkit: merge {story}\n\nStork-Merge: {story}")
    if not gate(merge):
        sys.exit(f"soak_bare.py: the merge gate failed for {story}")
    new = git(merge, "rev-parse", "HEAD").stdout.strip()
    git(project, "update-ref", "refs/heads/main", new, old)
    return True


def resolve(worktree):
    if git(worktree, "merge", "--no-edit", "main", check=False).returncode != 0:
        for path in git(worktree, "diff", "--name-only", "--diff-filter=U").stdout.split():
            sides = [git(worktree, "show", f":{stage}:{path}", check=False).stdout for stage in (2, 1, 3)]
            names = [os.path.join(worktree, f".bare-{i}") for i in range(3)]
            for name, text in zip(names, sides):
                write(name, text)
            subprocess.run(["git", "merge-file", "--union", *names], check=False)
            os.replace(names[0], os.path.join(worktree, path))
            for name in names[1:]:
                os.remove(name)
            git(worktree, "add", path)
        git(worktree, "commit", "-q", "--no-edit")
    if not gate(worktree):
        sys.exit("soak_bare.py: the gate failed after resolving")


started = time.perf_counter()
merge = os.path.join(project, ".storkit", "merge_workspace")
git(project, "worktree", "add", "-q", "--detach", merge, "main")
os.makedirs(os.path.join(project, ".storkit", "work", "5_done"), exist_ok=True)


def start(n):
    story = f"{n}_story_soak_{n}"
    worktree = os.path.join(project, ".storkit", "worktrees", story)
    git(project, "worktree", "add", "-q", "-b", f"feature/story-{story}", worktree, "main")


for n in range(1, count + 1):
    story = f"{n}_story_soak_{n}"
    branch = f"feature/story-{story}"
    worktree = os.path.join(project, ".storkit", "worktrees", story)
    # The two items of a pair start from the same base, as they do side by side in stork.
    if n % 20 != 2:
        start(n)
    if n % 20 == 1 and n + 1 <= count:
        start(n + 1)
    broken = n % 7 == 3
    agent_commit(worktree, n, 1, broken)
    if not gate(worktree):
        agent_commit(worktree, n, 2, False)
        if not gate(worktree):
            sys.exit(f"soak_bare.py: the retry of {story} failed its gate")
    if not squash(merge, branch, story):
        resolve(worktree)
        if not squash(merge, branch, story):
            sys.exit(f"soak_bare.py: {story} still conflicts after resolving")
    # The main checkout follows the base, and the item's file moves to 5_done.
    git(project, "reset", "-q", "--hard", "main")
    os.replace(os.path.join(project, f".storkit/work/2_current/{story}.md"),
               os.path.join(project, f".storkit/work/5_done/{story}.md"))
    git(project, "add", f".storkit/work/5_done/{story}.md")
    git(project, "commit", "-q", "-m", f"storkit: done {story}")
    git(project, "worktree", "remove", "--force", worktree)
    git(project, "branch", "-q", "-D", branch)
print(f"{time.perf_counter() - started:.1f}")
