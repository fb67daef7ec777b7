#!/usr/bin/env python3
"""Holds the demo until a person has opened the board, or for at most --timeout seconds.

    demo/wait_for_board.py URL GO_FILE [--timeout SECONDS]

URL is the running `stork serve`. The board counts as opened at the first page load or /ws
connection the server has answered: its own request counters say so (GET /metrics,
stork_http_requests_total with route "static" or "websocket"; docs/http.md). Then, or when the
timeout has passed, GO_FILE is created: the demo's agents (demo/agent.py, DEMO_GO_FILE) wait
for it before their first step, so the pipeline does not finish before anyone watches.
Prints which of the two happened.
"""

import re
import sys
import time
import urllib.request

OPENED = re.compile(r'^stork_http_requests_total\{route="(static|websocket)",[^}]*\}\s+([0-9.e+]+)',
                    re.MULTILINE)


def board_opened(url):
    try:
        with urllib.request.urlopen(f"{url}/metrics", timeout=5) as reply:
            text = reply.read().decode()
    except OSError:
        return False
    return any(float(count) > 0 for _, count in OPENED.findall(text))


def main():
    url, go_file = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[sys.argv.index("--timeout") + 1]) if "--timeout" in sys.argv else 10
    deadline = time.monotonic() + timeout
    opened = board_opened(url)
    while not opened and time.monotonic() < deadline:
        time.sleep(0.2)
        opened = board_opened(url)
    with open(go_file, "w", encoding="utf-8") as f:
        f.write("opened\n" if opened else "timeout\n")
    if opened:
        print("  the board is open: the agents start", flush=True)
    else:
        print(f"  nobody opened the board in {timeout:.0f} s: the agents start anyway", flush=True)


if __name__ == "__main__":
    main()
