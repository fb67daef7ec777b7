#!/usr/bin/env python3
"""A scripted stand-in for the model APIs of stork's API runtimes and of the agent CLIs, for
tests on a machine that cannot reach a model: OpenAI Chat Completions streaming (--format
openai), the OpenAI Responses API streaming (--format responses, what the Codex CLI speaks) or
the Gemini API's streamGenerateContent with alt=sse (--format gemini). Python 3 standard
library only.

    scripted_model_api.py --format openai|responses|gemini --scenario FILE --port-file F
                          [--log FILE]

Binds 127.0.0.1 on a free port, writes the port to F (through a temporary name and a rename)
and serves until SIGTERM or SIGINT. Paths: POST /v1/chat/completions (openai; so the base URL
is http://127.0.0.1:PORT/v1), POST /v1/responses (responses; same base URL) and POST
/v1beta/models/MODEL:streamGenerateContent (gemini). Any GET (the Codex CLI asks for
/v1/models) is answered 404 and logged with "step": null.

A scenario is a JSON list of steps, played in order, one per request:

    {"text": "..."}                                   final text, no tool calls
    {"tool_calls": [{"name": "...", "arguments": {...}}], "text": "..."}
                                                      text (optional) then tool calls
    {"tool_calls": [{"name": "...", "raw_arguments": "not json"}]}
                                                      arguments sent verbatim (openai,
                                                      responses)
    {"tool_calls": [{"namespace": "mcp__x", "name": "tool", "id": "call_1", ...}]}
                                                      responses: a function of a namespace
                                                      tool (how Codex lists MCP tools);
                                                      "id" sets the call_id
    {"status": 429, "headers": {...}, "body": {...}}  a bare HTTP answer (an error)
    {"drop": true}                                    200, a first piece of text, then the
                                                      connection is cut (no end marker)
    {"stall": true}                                   200, a first piece of text, then nothing
                                                      until the client goes away
Optional keys: "usage": {"input": N, "output": N, "cached": N}; "forever": true (the step is
played again for every later request instead of being used up). "{now+N}" in a header value is
the Unix time N seconds from when the step is played. After the last step, requests get the
text "(scenario finished)".

Every request is appended to --log as one JSON line {"seq", "path", "step", "auth" (whether a
key was sent), "body"}.
"""

import argparse
import http.server
import json
import re
import socket
import threading
import time

from scripted_http import expand_now, make_server, read_scenario, send_json, serve, stall

DEFAULT_USAGE = {"input": 100, "output": 20, "cached": 0}




class Scenario:
    def __init__(self, steps):
        self.steps = steps
        self.next_index = 0
        self.lock = threading.Lock()
        self.seq = 0

    def take(self):
        with self.lock:
            self.seq += 1
            if self.next_index >= len(self.steps):
                if self.steps and self.steps[-1].get("forever"):
                    return self.seq, len(self.steps) - 1, self.steps[-1]
                return self.seq, None, {"text": "(scenario finished)"}
            index = self.next_index
            if not self.steps[index].get("forever"):
                self.next_index += 1
            return self.seq, index, self.steps[index]


def chunks(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)] if text else []


# ---- OpenAI Chat Completions ------------------------------------------------------------
def openai_events(step, model, counter):
    base = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model}

    def chunk(delta, finish=None):
        return dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": finish}])

    yield chunk({"role": "assistant", "content": ""})
    for piece in chunks(step.get("text", ""), 7):
        yield chunk({"content": piece})
    calls = step.get("tool_calls") or []
    for index, call in enumerate(calls):
        counter[0] += 1
        call_id = call.get("id") or "call_scripted_%d" % counter[0]
        args = call["raw_arguments"] if "raw_arguments" in call else json.dumps(call.get("arguments", {}))
        yield chunk({"tool_calls": [{"index": index, "id": call_id, "type": "function",
                                     "function": {"name": call["name"], "arguments": ""}}]})
        for piece in chunks(args, 16):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, "tool_calls" if calls else "stop")
    usage = dict(DEFAULT_USAGE, **(step.get("usage") or {}))
    yield dict(base, choices=[], usage={
        "prompt_tokens": usage["input"], "completion_tokens": usage["output"],
        "total_tokens": usage["input"] + usage["output"],
        "prompt_tokens_details": {"cached_tokens": usage["cached"]}})
    yield "[DONE]"


# ---- OpenAI Responses -------------------------------------------------------------------
# The event shapes the Codex CLI reads (codex-rs/codex-api/src/sse/responses.rs): items arrive
# whole in response.output_item.done, text also as response.output_text.delta, and the turn
# ends with response.completed, whose response carries the usage.
def responses_events(step, model, counter):
    counter[0] += 1
    response_id = "resp_scripted_%d" % counter[0]
    response = {"id": response_id, "object": "response", "created_at": int(time.time()),
                "model": model, "status": "in_progress", "output": []}
    yield {"type": "response.created", "response": response}
    outputs = []
    text = step.get("text", "")
    if text:
        item_id = "msg_scripted_%d" % counter[0]
        index = len(outputs)
        yield {"type": "response.output_item.added", "output_index": index,
               "item": {"type": "message", "id": item_id, "role": "assistant",
                        "status": "in_progress", "content": []}}
        for piece in chunks(text, 7):
            yield {"type": "response.output_text.delta", "item_id": item_id,
                   "output_index": index, "content_index": 0, "delta": piece}
        done = {"type": "message", "id": item_id, "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}]}
        yield {"type": "response.output_item.done", "output_index": index, "item": done}
        outputs.append(done)
    for number, call in enumerate(step.get("tool_calls") or []):
        call_id = call.get("id") or "call_scripted_%d_%d" % (counter[0], number)
        args = call["raw_arguments"] if "raw_arguments" in call else json.dumps(call.get("arguments", {}))
        index = len(outputs)
        item = {"type": "function_call", "id": "fc_" + call_id, "call_id": call_id,
                "name": call["name"], "arguments": "", "status": "in_progress"}
        if "namespace" in call:
            item["namespace"] = call["namespace"]
        yield {"type": "response.output_item.added", "output_index": index, "item": item}
        for piece in chunks(args, 16):
            yield {"type": "response.function_call_arguments.delta", "item_id": item["id"],
                   "output_index": index, "delta": piece}
        done = dict(item, arguments=args, status="completed")
        yield {"type": "response.output_item.done", "output_index": index, "item": done}
        outputs.append(done)
    usage = dict(DEFAULT_USAGE, **(step.get("usage") or {}))
    yield {"type": "response.completed", "response": dict(
        response, status="completed", output=outputs,
        usage={"input_tokens": usage["input"],
               "input_tokens_details": {"cached_tokens": usage["cached"]},
               "output_tokens": usage["output"],
               "output_tokens_details": {"reasoning_tokens": 0},
               "total_tokens": usage["input"] + usage["output"]})}


# ---- Gemini -----------------------------------------------------------------------------
def gemini_events(step, model, counter):
    usage = dict(DEFAULT_USAGE, **(step.get("usage") or {}))
    meta = {"promptTokenCount": usage["input"], "candidatesTokenCount": usage["output"],
            "totalTokenCount": usage["input"] + usage["output"],
            "cachedContentTokenCount": usage["cached"]}
    pieces = chunks(step.get("text", ""), 7)
    calls = step.get("tool_calls") or []
    parts_list = [[{"text": p}] for p in pieces]
    call_parts = [{"functionCall": {"name": c["name"], "args": c.get("arguments", {})}} for c in calls]
    if call_parts:
        parts_list.append(call_parts)
    if not parts_list:
        parts_list = [[{"text": ""}]]
    for i, parts in enumerate(parts_list):
        last = i == len(parts_list) - 1
        candidate = {"content": {"role": "model", "parts": parts}, "index": 0}
        if last:
            candidate["finishReason"] = "STOP"
        event = {"candidates": [candidate], "modelVersion": model, "responseId": "scripted"}
        event["usageMetadata"] = meta if last else {"promptTokenCount": usage["input"]}
        yield event


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "scripted-model-api/1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        path = self.path.split("?", 1)[0]
        fmt = self.server.format
        if fmt in ("openai", "responses"):
            expected = path == ("/v1/chat/completions" if fmt == "openai" else "/v1/responses")
            model = (body or {}).get("model", "scripted") if isinstance(body, dict) else "scripted"
        else:
            match = re.match(r"^/v1beta/models/([^/:]+):streamGenerateContent$", path)
            expected = bool(match)
            model = match.group(1) if match else "scripted"
        seq, index, step = self.server.scenario.take() if expected else (0, None, {})
        auth = bool(self.headers.get("Authorization") or self.headers.get("x-goog-api-key"))
        self.server.log({"seq": seq, "path": self.path, "step": index, "auth": auth, "body": body})
        if not expected:
            send_json(self, 404, {"error": {"message": "unknown path " + self.path}})
            return
        if "status" in step:
            headers = {k: expand_now(v) for k, v in (step.get("headers") or {}).items()}
            default = {"error": {"message": "scripted status %d" % step["status"],
                                 "code": step["status"]}}
            send_json(self, int(step["status"]), step.get("body", default), headers)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        events = EVENTS[fmt](step, model, self.server.counter)
        try:
            if step.get("drop") or step.get("stall"):
                first = next(iter(events))
                self._write_event(first if fmt != "gemini" else {
                    "candidates": [{"content": {"role": "model", "parts": [{"text": "partial"}]}}]})
                if step.get("stall"):
                    stall(self)
                else:
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            for event in events:
                self._write_event(event)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        self.server.log({"seq": 0, "path": self.path, "step": None, "auth": False, "body": None})
        send_json(self, 404, {"error": {"message": "unknown path " + self.path}})

    def _write_event(self, event):
        data = event if isinstance(event, str) else json.dumps(event)
        # The Responses API names each event on an `event:` line too.
        named = "event: %s\n" % event["type"] if self.server.format == "responses" else ""
        self.wfile.write(("%sdata: %s\n\n" % (named, data)).encode())
        self.wfile.flush()


EVENTS = {"openai": openai_events, "responses": responses_events, "gemini": gemini_events}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=sorted(EVENTS), required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log")
    args = parser.parse_args()
    steps = read_scenario(args.scenario, "scripted_model_api")
    server = make_server(Handler)
    server.format = args.format
    server.scenario = Scenario(steps)
    server.counter = [0]
    lock = threading.Lock()

    def log(record):
        if not args.log:
            return
        with lock, open(args.log, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    server.log = log
    serve(server, args.port_file)

if __name__ == "__main__":
    main()
