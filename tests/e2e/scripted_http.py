"""What the scripted model servers of the tests share (scripted_anthropic.py for Claude Code,
scripted_model_api.py for the OpenAI and Gemini runtimes): reading a scenario, "{now+N}" in
scripted headers, and serving on a free loopback port that is written to a file, until
SIGTERM or SIGINT."""

import http.server
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time


def expand_now(value):
    """"{now+3600}" → the Unix time an hour from now (also "{now}" and "{now-N}")."""

    def repl(match):
        sign, amount = match.group(1), int(match.group(2) or 0)
        return str(int(time.time()) + (amount if sign != "-" else -amount))

    return re.sub(r"\{now(?:([+-])(\d+))?\}", repl, str(value))


def read_scenario(path, program):
    """The scenario file: a JSON list of step objects; anything else ends the program."""
    with open(path, encoding="utf-8") as f:
        steps = json.load(f)
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        sys.exit("%s: %s: the scenario must be a JSON list of objects" % (program, path))
    return steps


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(handler):
    server = Server(("127.0.0.1", 0), handler)
    server.stopping = threading.Event()  # handlers that stall check it
    return server


def serve(server, port_file):
    """Writes the bound port to `port_file` (atomically: the test polls for it) and serves
    until SIGTERM or SIGINT."""

    def stop(_signum, _frame):
        server.stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tmp = port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, port_file)
    server.serve_forever(poll_interval=0.2)
    server.server_close()


def send_json(handler, status, payload, extra_headers=None):
    """A JSON answer with Content-Length; a client that went away meanwhile is ignored."""
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (extra_headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    try:
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def stall(handler, poll_seconds=0.2):
    """Holds the connection open with nothing sent until the server stops or the client gives
    up and closes it (readable with no data left means closed)."""
    handler.close_connection = True
    while not handler.server.stopping.is_set():
        readable, _, _ = select.select([handler.connection], [], [], poll_seconds)
        if readable:
            try:
                if not handler.connection.recv(1, socket.MSG_PEEK):
                    return
            except OSError:
                return
