#!/usr/bin/env python3
"""A scripted stand-in for the Anthropic Messages API, for running the real Claude Code CLI
in tests on a machine that cannot reach a model (DESIGN.md "Testing without model
credentials"). Python 3 standard library only.

    scripted_anthropic.py --scenario FILE --port-file F [--log FILE]

Binds 127.0.0.1 on a free port and writes the port number to F (written to a temporary name
and renamed, so a reader polling for F never sees a partial number). Serves until SIGTERM or
SIGINT.

A scenario is a JSON list of steps, played in order to the requests of the *main agent
conversation* (see is_main_conversation); every other request the CLI makes is answered
without consuming a step. A step is one of:

    {"text": "..."}                                     assistant text, stop_reason end_turn
    {"tool_use": {"name": "Write", "input": {...}}}     one tool call, stop_reason tool_use
    {"tool_use": [{...}, {...}], "text": "..."}         text (first) and several tool calls
    {"thinking": "...", "text": "..."}                  a thinking block before the rest
    {"status": 429, "headers": {...}, "body": {...}}    a bare HTTP answer (error, limit)
    {"stall": true}                                     accept the request, never answer

Optional keys on answer steps: "headers" (extra response headers, e.g. a 200 that carries
anthropic-ratelimit-unified-status: allowed_warning), "usage" (overrides the usage figures),
"stop_reason", "model". In tool inputs, "{cwd}" is replaced by the CLI's working directory
(read from the "Primary working directory: ..." line the CLI puts in every main request), so
a Write can name the absolute path the tool demands. In "status" steps and "headers", the string "{now+N}" anywhere in a
header value is replaced by the Unix time N seconds from when the step is played, so a
scenario can say "resets in an hour" without going stale.

When the scenario is used up, further main requests get the text "(scenario finished)".

Every request is appended to --log as one JSON line: {"seq", "method", "path", "kind"
("main", "side", "count_tokens", "other"), "step" (index played or null), "headers" (a
subset), "body" (the parsed JSON body, or the raw text)}. Tests read it to check, e.g., that
a resumed session sent the earlier turns.
"""

import argparse
import http.server
import json
import re
import threading
import time

from scripted_http import expand_now, make_server, read_scenario, send_json, serve, stall

LOGGED_HEADERS = (
    "user-agent",
    "x-app",
    "anthropic-version",
    "anthropic-beta",
    "x-api-key",
    "authorization",
    "content-type",
    "accept",
    "x-stainless-retry-count",
    "x-stainless-timeout",
    "x-claude-code-session-id",
)

DEFAULT_USAGE = {
    "input_tokens": 120,
    "output_tokens": 30,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
}

# Tools only the main agent loop is given; side requests (titles, summaries, topic checks,
# the quota probe) carry no tools or only a narrow set.
MAIN_AGENT_TOOLS = {"Bash", "Write", "Edit", "Read"}


def is_main_conversation(body):
    """True for a request of the agent loop itself: the model is offered the coding tools.
    The CLI's side requests (title generation with a small model, the one-token quota probe,
    summaries) do not offer them."""
    if not isinstance(body, dict):
        return False
    tools = body.get("tools") or []
    names = {t.get("name") for t in tools if isinstance(t, dict)}
    return bool(names & MAIN_AGENT_TOOLS)




class Scenario:
    """The steps and the position in them, shared by the handler threads."""

    def __init__(self, steps):
        self.steps = steps
        self.next_index = 0
        self.lock = threading.Lock()
        self.seq = 0

    def take(self):
        with self.lock:
            if self.next_index >= len(self.steps):
                return None, {"text": "(scenario finished)"}
            index = self.next_index
            self.next_index += 1
            return index, self.steps[index]

    def next_seq(self):
        with self.lock:
            self.seq += 1
            return self.seq


class RequestLog:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def append(self, record):
        if not self.path:
            return
        line = json.dumps(record, ensure_ascii=False)
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")


CWD_PATTERN = re.compile(r"(?:Primary working directory|Working directory): ([^\n]+)")


def working_directory(value):
    """The first "Primary working directory: ..." in any string of the request body."""
    if isinstance(value, str):
        match = CWD_PATTERN.search(value)
        return match.group(1).strip() if match else None
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        found = working_directory(child)
        if found:
            return found
    return None


def substitute_cwd(value, cwd):
    """Replaces "{cwd}" in every string of a tool input (recursively)."""
    if cwd is None:
        return value
    if isinstance(value, str):
        return value.replace("{cwd}", cwd)
    if isinstance(value, list):
        return [substitute_cwd(v, cwd) for v in value]
    if isinstance(value, dict):
        return {k: substitute_cwd(v, cwd) for k, v in value.items()}
    return value


def content_blocks(step, ids, cwd=None):
    """The assistant content of an answer step, as complete blocks (streamed or not)."""
    blocks = []
    if "thinking" in step:
        blocks.append({"type": "thinking", "thinking": step["thinking"], "signature": "scripted"})
    if "text" in step:
        blocks.append({"type": "text", "text": step["text"]})
    tool_uses = step.get("tool_use") or []
    if isinstance(tool_uses, dict):
        tool_uses = [tool_uses]
    for tool in tool_uses:
        blocks.append(
            {
                "type": "tool_use",
                "id": tool.get("id") or ids.tool_use_id(),
                "name": tool["name"],
                "input": substitute_cwd(tool.get("input", {}), cwd),
            }
        )
    return blocks


class Ids:
    def __init__(self):
        self.lock = threading.Lock()
        self.counter = 0

    def _next(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def message_id(self):
        return "msg_scripted_%06d" % self._next()

    def tool_use_id(self):
        return "toolu_scripted_%06d" % self._next()

    def request_id(self):
        return "req_scripted_%06d" % self._next()


def stop_reason_of(step, blocks):
    if "stop_reason" in step:
        return step["stop_reason"]
    return "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"


def sse_events(message, blocks, stop_reason, usage):
    """The server-sent events of one streamed message, in the Messages API's order."""
    start = dict(message, content=[], stop_reason=None, stop_sequence=None)
    start["usage"] = dict(usage, output_tokens=1)
    yield "message_start", {"type": "message_start", "message": start}
    yield "ping", {"type": "ping"}
    for index, block in enumerate(blocks):
        kind = block["type"]
        if kind == "text":
            yield "content_block_start", {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            }
            for piece in chunks(block["text"], 40):
                yield "content_block_delta", {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "text_delta", "text": piece},
                }
        elif kind == "thinking":
            yield "content_block_start", {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "thinking", "thinking": "", "signature": ""},
            }
            yield "content_block_delta", {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "thinking_delta", "thinking": block["thinking"]},
            }
            yield "content_block_delta", {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "signature_delta", "signature": block["signature"]},
            }
        else:  # tool_use
            yield "content_block_start", {
                "type": "content_block_start",
                "index": index,
                "content_block": {
                    "type": "tool_use",
                    "id": block["id"],
                    "name": block["name"],
                    "input": {},
                },
            }
            for piece in chunks(json.dumps(block["input"]), 64):
                yield "content_block_delta", {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": piece},
                }
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield "message_delta", {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": usage["output_tokens"]},
    }
    yield "message_stop", {"type": "message_stop"}


def chunks(text, size):
    if not text:
        return [""]
    return [text[i : i + size] for i in range(0, len(text), size)]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "scripted-anthropic/1"

    # Quiet: the request log is the record.
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    # ---- entry points -------------------------------------------------------------------
    def do_HEAD(self):
        self._record(None, "other", None)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self._record(None, "other", None)
        self._send_json(404, {"type": "error", "error": {"type": "not_found_error",
                                                         "message": "scripted server: no GET"}})

    def do_POST(self):
        raw = self._read_body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0]

        if path == "/v1/messages/count_tokens":
            self._record(body if body is not None else raw, "count_tokens", None)
            self._send_json(200, {"input_tokens": 1000})
            return
        if path != "/v1/messages":
            self._record(body if body is not None else raw, "other", None)
            self._send_json(404, {"type": "error", "error": {"type": "not_found_error",
                                                             "message": "unknown path " + path}})
            return
        if not is_main_conversation(body):
            self._record(body if body is not None else raw, "side", None)
            self._answer(body if isinstance(body, dict) else {}, {"text": "Scripted side answer"})
            return

        index, step = self.server.scenario.take()
        self._record(body, "main", index)
        if step.get("stall"):
            stall(self, 0.5)
            return
        if "status" in step:
            self._send_status_step(step)
            return
        self._answer(body, step, working_directory(body))

    # ---- answers --------------------------------------------------------------------------
    def _answer(self, body, step, cwd=None):
        ids = self.server.ids
        blocks = content_blocks(step, ids, cwd)
        usage = dict(DEFAULT_USAGE, **(step.get("usage") or {}))
        message = {
            "id": ids.message_id(),
            "type": "message",
            "role": "assistant",
            "model": step.get("model") or body.get("model") or "claude-scripted",
            "content": blocks,
        }
        stop_reason = stop_reason_of(step, blocks)
        extra = {k: expand_now(v) for k, v in (step.get("headers") or {}).items()}
        if not body.get("stream"):
            message.update(stop_reason=stop_reason, stop_sequence=None, usage=usage)
            self._send_json(200, message, extra)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("request-id", ids.request_id())
        for name, value in extra.items():
            self.send_header(name, value)
        # No length for a stream: the end of the connection ends the body.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        try:
            for event, data in sse_events(message, blocks, stop_reason, usage):
                self.wfile.write(("event: %s\ndata: %s\n\n" % (event, json.dumps(data))).encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_status_step(self, step):
        body = step.get("body")
        if body is None:
            body = {"type": "error", "error": {"type": "rate_limit_error",
                                               "message": "scripted status %d" % step["status"]}}
        headers = {k: expand_now(v) for k, v in (step.get("headers") or {}).items()}
        self._send_json(int(step["status"]), body, headers)

    # ---- plumbing -------------------------------------------------------------------------
    def _send_json(self, status, payload, extra_headers=None):
        headers = {"request-id": self.server.ids.request_id(), **(extra_headers or {})}
        send_json(self, status, payload, headers)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length).decode("utf-8", "replace")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts).decode("utf-8", "replace")
        return ""

    def _record(self, body, kind, step_index):
        headers = {}
        for name in LOGGED_HEADERS:
            value = self.headers.get(name)
            if value is not None:
                if name in ("x-api-key", "authorization"):
                    value = "<redacted>"
                headers[name] = value
        self.server.request_log.append(
            {
                "seq": self.server.scenario.next_seq(),
                "time": round(time.time(), 3),
                "method": self.command,
                "path": self.path,
                "kind": kind,
                "step": step_index,
                "headers": headers,
                "body": body,
            }
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True, help="JSON list of steps")
    parser.add_argument("--port-file", required=True, help="where to write the bound port")
    parser.add_argument("--log", help="append one JSON line per request here")
    args = parser.parse_args()

    server = make_server(Handler)
    server.scenario = Scenario(read_scenario(args.scenario, "scripted_anthropic"))
    server.request_log = RequestLog(args.log)
    server.ids = Ids()
    serve(server, args.port_file)

if __name__ == "__main__":
    main()
