#!/usr/bin/env python3
"""A scripted Matrix homeserver for stork's chat tests, on loopback (standard library only).

It speaks the parts of the Client-Server API v3 the bot uses, as the spec documents them:
POST /login (m.login.password), GET /account/whoami, GET /sync (since, timeout: a long-poll
over one event stream; invites in rooms.invite.*.invite_state, messages and state in
rooms.join.*.timeline/state), POST /join/{room}, POST /rooms/{room}/leave, PUT
/rooms/{room}/send/m.room.message/{txn} (idempotent per txn), PUT /rooms/{room}/typing/{user},
GET /rooms/{room}/event/{id}; errors as {"errcode","error"} (401 M_UNKNOWN_TOKEN, 429
M_LIMIT_EXCEEDED with retry_after_ms).

The test drives it through /_test/: POST invite {room, inviter, is_direct, encrypted}, POST
message {room, sender, body, in_reply_to} -> {event_id}, GET sent (the bot's messages), GET
typing. Every request is one JSON line in --log. --scenario FILE is JSON: {"token", "bot",
"password", "limit_sends": N (the first N sends get 429), "state": FILE (rooms and events are
kept there, so a restarted server, on the same --port, remembers them)}.
"""
import argparse
import http.server
import json
import os
import re
import threading
import time
import urllib.parse

COND = threading.Condition()


class World:
    def __init__(self, scenario):
        self.scenario = scenario
        self.path = scenario.get("state")
        self.data = {"stream": [], "members": {}, "encrypted": [], "txns": {}, "typing": [],
                     "limit_sends": scenario.get("limit_sends", 0), "tokens": [scenario["token"]]}
        if self.path and os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                self.data = json.load(f)

    def save(self):
        if not self.path:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)

    def add(self, room, event, kind="event"):
        event.setdefault("event_id", "$%d-%d:localhost" % (len(self.data["stream"]) + 1,
                                                            int(time.time() * 1000)))
        event.setdefault("origin_server_ts", int(time.time() * 1000))
        event.setdefault("room_id", room)
        self.data["stream"].append({"kind": kind, "room": room, "event": event})
        self.save()
        COND.notify_all()
        return event["event_id"]

    def sync(self, since, bot):
        start = int(since[1:]) if since else 0
        rooms = {"join": {}, "invite": {}}
        for entry in self.data["stream"][start:]:
            room = entry["room"]
            if entry["kind"] == "invite":
                if bot not in self.data["members"].get(room, []):
                    rooms["invite"][room] = {"invite_state": {"events": [entry["event"]]}}
                continue
            if bot not in self.data["members"].get(room, []):
                continue
            section = "state" if "state_key" in entry["event"] else "timeline"
            joined = rooms["join"].setdefault(room, {"timeline": {"events": []},
                                                     "state": {"events": []}})
            joined[section]["events"].append(entry["event"])
        return {"next_batch": "s%d" % len(self.data["stream"]), "rooms": rooms}


def make_handler(world, log_path):
    scenario = world.scenario
    bot = scenario["bot"]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with open(log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"method": self.command, "path": self.path,
                                    "body": self.body_text, "status": status}) + "\n")

        def error(self, status, code, text, **extra):
            body = {"errcode": code, "error": text}
            body.update(extra)
            self.answer(status, body)

        def authorised(self):
            header = self.headers.get("Authorization", "")
            if header.startswith("Bearer ") and header[7:] in world.data["tokens"]:
                return True
            self.error(401, "M_UNKNOWN_TOKEN" if header else "M_MISSING_TOKEN", "bad token")
            return False

        def read_body(self):
            length = int(self.headers.get("Content-Length", "0"))
            self.body_text = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            try:
                return json.loads(self.body_text) if self.body_text else {}
            except ValueError:
                return None

        def do_GET(self):
            self.read_body()
            self.route("GET", {})

        def do_POST(self):
            self.route("POST", self.read_body())

        def do_PUT(self):
            self.route("PUT", self.read_body())

        def route(self, method, body):
            url = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(url.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if body is None:
                return self.error(400, "M_NOT_JSON", "not JSON")
            if path.startswith("/_test/"):
                return self.test_route(method, path[len("/_test/"):], body)
            prefix = "/_matrix/client/v3/"
            if not path.startswith(prefix):
                return self.error(404, "M_UNRECOGNIZED", "unknown endpoint")
            path = path[len(prefix):]
            if method == "POST" and path == "login":
                return self.login(body)
            if not self.authorised():
                return
            with COND:
                return self.client_route(method, path, query, body)

        def login(self, body):
            ident = body.get("identifier", {})
            if (body.get("type") != "m.login.password" or ident.get("user") not in (bot, bot[1:].split(":")[0])
                    or body.get("password") != scenario.get("password")):
                return self.error(403, "M_FORBIDDEN", "invalid password")
            token = "issued-%d" % len(world.data["tokens"])
            with COND:
                world.data["tokens"].append(token)
                world.save()
            self.answer(200, {"user_id": bot, "access_token": token, "device_id": "STORK"})

        def client_route(self, method, path, query, body):
            if method == "GET" and path == "account/whoami":
                return self.answer(200, {"user_id": bot, "device_id": "STORK"})
            if method == "GET" and path == "sync":
                deadline = time.time() + int(query.get("timeout", "0")) / 1000.0
                since = query.get("since")
                while True:
                    answer = world.sync(since, bot)
                    fresh = since is None or answer["next_batch"] != since
                    if fresh or time.time() >= deadline:
                        return self.answer(200, answer)
                    COND.wait(max(0.0, deadline - time.time()))
            m = re.fullmatch(r"join/([^/]+)", path)
            if method == "POST" and m:
                room = m.group(1)
                world.data["members"].setdefault(room, [])
                if bot not in world.data["members"][room]:
                    world.data["members"][room].append(bot)
                # A joining member receives the room's state (here: its encryption).
                for entry in list(world.data["stream"]):
                    event = entry["event"]
                    if entry["room"] == room and "state_key" in event and event["type"] != "m.room.member":
                        world.add(room, {k: v for k, v in event.items() if k != "event_id"})
                world.add(room, {"type": "m.room.member", "sender": bot, "state_key": bot,
                                 "content": {"membership": "join"}})
                return self.answer(200, {"room_id": room})
            m = re.fullmatch(r"rooms/([^/]+)/(leave|send/m\.room\.message/([^/]+)|typing/([^/]+)|event/([^/]+))", path)
            if not m:
                return self.error(404, "M_UNRECOGNIZED", "unknown endpoint")
            room = m.group(1)
            if m.group(2) == "leave":
                world.data.setdefault("left", []).append(room)
                world.save()
                return self.answer(200, {})
            if m.group(3) is not None and method == "PUT":
                return self.send_message(room, m.group(3), body)
            if m.group(4) is not None and method == "PUT":
                world.data["typing"].append({"room": room, "user": m.group(4), "typing": body.get("typing")})
                world.save()
                return self.answer(200, {})
            if m.group(5) is not None and method == "GET":
                for entry in world.data["stream"]:
                    if entry["event"].get("event_id") == m.group(5) and entry["room"] == room:
                        return self.answer(200, entry["event"])
                return self.error(404, "M_NOT_FOUND", "no such event")
            return self.error(405, "M_UNRECOGNIZED", "bad method")

        def send_message(self, room, txn, content):
            if bot not in world.data["members"].get(room, []):
                return self.error(403, "M_FORBIDDEN", "not in the room")
            key = room + "|" + txn
            if key in world.data["txns"]:
                return self.answer(200, {"event_id": world.data["txns"][key]})
            if world.data["limit_sends"] > 0:
                world.data["limit_sends"] -= 1
                world.save()
                return self.error(429, "M_LIMIT_EXCEEDED", "Too many requests", retry_after_ms=300)
            event_id = world.add(room, {"type": "m.room.message", "sender": bot, "content": content})
            world.data["txns"][key] = event_id
            world.save()
            self.answer(200, {"event_id": event_id})

        def test_route(self, method, name, body):
            with COND:
                if name == "invite":
                    room = body["room"]
                    world.data["members"].setdefault(room, [body["inviter"]])
                    if body.get("encrypted"):
                        world.add(room, {"type": "m.room.encryption", "sender": body["inviter"],
                                         "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}})
                    world.add(room, {"type": "m.room.member", "sender": body["inviter"], "state_key": bot,
                                     "content": {"membership": "invite", "is_direct": bool(body.get("is_direct"))}},
                              kind="invite")
                    return self.answer(200, {})
                if name == "message":
                    content = {"msgtype": "m.text", "body": body["body"]}
                    if body.get("in_reply_to"):
                        content["m.relates_to"] = {"m.in_reply_to": {"event_id": body["in_reply_to"]}}
                    event_id = world.add(body["room"], {"type": "m.room.message", "sender": body["sender"],
                                                        "content": content})
                    return self.answer(200, {"event_id": event_id})
                if name == "sent":
                    sent = [dict(e["event"], room=e["room"]) for e in world.data["stream"]
                            if e["event"]["type"] == "m.room.message" and e["event"]["sender"] == bot]
                    return self.answer(200, {"sent": sent})
                if name == "state":
                    return self.answer(200, world.data)
            return self.error(404, "M_UNRECOGNIZED", "unknown test endpoint")

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    world = World(scenario)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(world, args.log))
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
