#!/usr/bin/env python3
"""The demo agent: a stand-in for Claude Code that needs no model and no credentials.

stork starts it on the `command` runtime (scripts/demo writes the project.toml) in the work
item's git worktree, with STORK_STORY_ID, STORK_AGENT and STORK_PROMPT set. It makes real,
deterministic changes to the sample calculator (demo/sample) for each of the five demo items
and commits them, as a coding agent would:

  code     the coder: item 1 adds `sub`, item 2 adds `mul` at the same place (so the second of
           the two to merge conflicts), item 3 adds a command line (it depends on item 1),
           item 4 fixes division by zero but gets it wrong on the first attempt (the gate fails,
           stork restarts it with the failure, the second attempt is right), item 5 (a spike)
           writes its findings.
  resolve  the mergemaster, started by stork when a merge conflicts: merges the base branch
           into the item's branch, settles each conflict by keeping both sides (right for
           these additive changes), commits, and asks stork to merge again through stork's
           MCP tool `merge_agent_work`, as the MCP client named in the worktree's .mcp.json.

Every line it prints becomes an `output` event of the run (the board's output panel).
DEMO_PACE (seconds, default 0) slows each step down so a person can watch the board.
DEMO_GO_FILE, when set, holds the first step until that file exists: scripts/demo creates it
once a person has opened the board, or after 10 s (demo/wait_for_board.py).
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

STORY = os.environ.get("STORK_STORY_ID", "")
AGENT = os.environ.get("STORK_AGENT", "demo-agent")
PACE = float(os.environ.get("DEMO_PACE", "0") or 0)
GO_FILE = os.environ.get("DEMO_GO_FILE", "")
GO_TIMEOUT = 120  # seconds: never wait forever if whatever creates GO_FILE went away


def say(text):
    print(f"[{AGENT}] {text}", flush=True)


def pause():
    if PACE > 0:
        time.sleep(PACE)


def wait_for_person():
    """Until the board has been opened (or the demo gave up waiting): see DEMO_GO_FILE."""
    if not GO_FILE or os.path.exists(GO_FILE):
        return
    say("waiting for you to open the board (10 s at most)")
    deadline = time.monotonic() + GO_TIMEOUT
    while not os.path.exists(GO_FILE) and time.monotonic() < deadline:
        time.sleep(0.1)


def git(*args, check=True):
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def commit(message):
    git("add", "-A")
    git("-c", f"user.name={AGENT}", "-c", "user.email=demo-agent@localhost", "commit", "-q",
        "-m", message)
    say(f"committed: {message}")
    # What a coding agent's terminal shows: git's own colours (escape codes the board strips).
    print(git("show", "--stat", "--color=always", "--format=%C(yellow)%h%Creset %s", "HEAD").stdout,
          end="", flush=True)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    say(f"wrote {path}")


def add_operation(name, body):
    """Adds `def name` after the last function and registers it in OPERATIONS, right after
    "div": both edits land on the same lines whichever operation is added, which is what makes
    items 1 and 2 conflict."""
    source = read("calc.py")
    source = source.replace("\n\nOPERATIONS = {", f"\n\ndef {name}(a, b):\n    {body}\n\n\nOPERATIONS = {{", 1)
    source = source.replace('    "div": div,\n', f'    "div": div,\n    "{name}": {name},\n', 1)
    write("calc.py", source)


def attempts_so_far():
    """How many commits of this item's earlier attempts are on the branch (a retry reuses
    the worktree and its branch)."""
    log = git("log", "--format=%s", "HEAD").stdout
    return len(re.findall(rf"^demo: {re.escape(STORY)} attempt", log, re.MULTILINE))


def code():
    number = STORY.split("_", 1)[0]
    wait_for_person()
    attempt = attempts_so_far() + 1
    say(f"working on {STORY} (attempt {attempt})")
    pause()
    if number == "1":
        add_operation("sub", "return a - b")
        write("test_sub.py", TEST_SUB)
    elif number == "2":
        add_operation("mul", "return a * b")
        write("test_mul.py", TEST_MUL)
    elif number == "3":
        write("cli.py", CLI)
        write("test_cli.py", TEST_CLI)
    elif number == "4":
        write("test_div_zero.py", TEST_DIV_ZERO)
        wrong = attempt == 1  # the first attempt raises the wrong exception: the gate fails
        error = "ZeroDivisionError" if wrong else "ValueError"
        source = read("calc.py")
        source = re.sub(r"def div\(a, b\):\n(    .*\n)+",
                        f"def div(a, b):\n    if b == 0:\n        raise {error}(\"division by zero is undefined\")\n    return a / b\n",
                        source, count=1)
        write("calc.py", source)
        if not wrong:
            say("the gate said the test expects ValueError; fixed")
    elif number == "5":
        write("docs/spike-expression-parser.md", SPIKE)
    else:
        sys.exit(f"the demo agent knows items 1 to 5, not {STORY}")
    pause()
    commit(f"demo: {STORY} attempt {attempt}")
    say("done; stork runs script/test now")


def mcp_call(tool, arguments):
    """One tools/call through the server named `storkit` in the worktree's .mcp.json."""
    server = json.load(open(".mcp.json"))["mcpServers"]["storkit"]
    headers = {"Content-Type": "application/json",
               "Accept": "application/json, text/event-stream", **server.get("headers", {})}

    def post(message, session=None):
        extra = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18"} if session else {}
        request = urllib.request.Request(server["url"], json.dumps(message).encode(),
                                         {**headers, **extra}, method="POST")
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.headers.get("Mcp-Session-Id"), reply.read().decode()

    session, _ = post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                  "clientInfo": {"name": "stork-demo-agent", "version": "1"}}})
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
    _, body = post({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": tool, "arguments": arguments}}, session)
    # The answer is JSON or a server-sent-events stream whose last data line holds it.
    lines = [line[5:].strip() for line in body.splitlines() if line.startswith("data:")]
    answer = json.loads(lines[-1] if lines else body)
    result = answer.get("result", {})
    text = " ".join(part.get("text", "") for part in result.get("content", []))
    if "error" in answer or result.get("isError"):
        sys.exit(f"{tool} failed: {answer.get('error') or text}")
    return text


def resolve():
    base = os.environ.get("DEMO_BASE_BRANCH", "main")
    wait_for_person()
    say(f"the merge of {STORY} conflicted; merging {base} into its branch")
    pause()
    merged = git("merge", "--no-edit", base, check=False)
    if merged.returncode != 0:
        conflicted = git("diff", "--name-only", "--diff-filter=U").stdout.split()
        for path in conflicted:
            # Keep both sides: base, ours and theirs from the index, merged with --union.
            stages = {}
            for stage in (1, 2, 3):
                shown = git("show", f":{stage}:{path}", check=False)
                stages[stage] = shown.stdout if shown.returncode == 0 else ""
            for stage, text in stages.items():
                write(f".git-demo-{stage}", text)
            subprocess.run(["git", "merge-file", "--union", ".git-demo-2", ".git-demo-1",
                            ".git-demo-3"], check=False)
            os.replace(".git-demo-2", path)
            for stage in (1, 3):
                os.remove(f".git-demo-{stage}")
            git("add", path)
            say(f"resolved {path} by keeping both sides")
        commit(f"demo: merge {base} into {STORY}, conflicts resolved")
    tests = subprocess.run(["sh", "script/test"], capture_output=True, text=True)
    if tests.returncode != 0:
        sys.exit("the tests fail after resolving:\n" + tests.stdout + tests.stderr)
    say("tests pass on the merged branch; asking stork to merge again")
    say(mcp_call("merge_agent_work", {"story_id": STORY}))


TEST_SUB = '''import unittest

import calc


class SubtractionTest(unittest.TestCase):
    def test_sub(self):
        self.assertEqual(calc.sub(5, 3), 2)
        self.assertEqual(calc.OPERATIONS["sub"](1, 4), -3)


if __name__ == "__main__":
    unittest.main()
'''

TEST_MUL = '''import unittest

import calc


class MultiplicationTest(unittest.TestCase):
    def test_mul(self):
        self.assertEqual(calc.mul(3, 4), 12)
        self.assertEqual(calc.OPERATIONS["mul"](-2, 5), -10)


if __name__ == "__main__":
    unittest.main()
'''

CLI = '''"""Command line: python3 cli.py OPERATION A B prints the result."""
import sys

import calc


def main(argv):
    if len(argv) != 4 or argv[1] not in calc.OPERATIONS:
        print(f"usage: cli.py {{{'|'.join(calc.OPERATIONS)}}} A B", file=sys.stderr)
        return 2
    print(calc.OPERATIONS[argv[1]](float(argv[2]), float(argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''

TEST_CLI = '''import subprocess
import sys
import unittest


class CliTest(unittest.TestCase):
    def run_cli(self, *args):
        return subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True)

    def test_subtracts(self):
        result = self.run_cli("sub", "5", "3")
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout.strip(), "2.0")

    def test_unknown_operation_is_a_usage_error(self):
        self.assertEqual(self.run_cli("pow", "2", "3").returncode, 2)


if __name__ == "__main__":
    unittest.main()
'''

TEST_DIV_ZERO = '''import unittest

import calc


class DivisionByZeroTest(unittest.TestCase):
    def test_division_by_zero_is_a_value_error(self):
        with self.assertRaisesRegex(ValueError, "division by zero is undefined"):
            calc.div(1, 0)


if __name__ == "__main__":
    unittest.main()
'''

SPIKE = '''# Spike: an expression parser for the calculator

Question: should `cli.py` accept expressions such as `2 * (3 + 4)`?

- Python's `ast` module parses them safely (`ast.parse(text, mode="eval")`); walking the tree
  and allowing only numbers and the four operators avoids `eval`.
- A hand-written Pratt parser is about 60 lines and gives better error messages.

Recommendation: `ast` with an allow-list, as a story of its own. A person decides: spikes wait
in QA for a human.
'''


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else "code"
    if not STORY:
        sys.exit("STORK_STORY_ID is not set: stork starts this agent")
    if role == "code":
        code()
    elif role == "resolve":
        resolve()
    else:
        sys.exit(f"unknown role {role!r}: code or resolve")
