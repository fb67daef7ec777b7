#!/usr/bin/env python3
"""A notification receiver for stork's tests, on loopback: an HTTP webhook endpoint or a tiny
SMTP server (standard library only). Every request it takes is one JSON line in --log.

--scenario FILE is JSON: {"mode": "http" | "smtp", "statuses": [500, 200] (HTTP answers in
order, then 200), "refuse": true (SMTP: 550 to MAIL FROM)}. --port N binds a fixed port (a
restarted receiver comes back where stork expects it); without it, any free port.
"""
import argparse
import http.server
import json
import os
import socketserver
import threading
import time

LOCK = threading.Lock()


def log(path, entry):
    with LOCK, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
        f.flush()


def http_handler(scenario, log_path):
    statuses = list(scenario.get("statuses", []))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8", "replace")
            with LOCK:
                status = statuses.pop(0) if statuses else 200
            log(log_path, {"received_ms": int(time.time() * 1000), "path": self.path, "headers": dict(self.headers.items()),
                           "body": body, "answered": status})
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    return Handler


def smtp_handler(scenario, log_path):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line):
            self.wfile.write((line + "\r\n").encode())
            self.wfile.flush()

        def handle(self):
            mail = {"from": None, "to": [], "data": None}
            self.reply("220 localhost test SMTP")
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 localhost")
                elif verb == "MAIL":
                    if scenario.get("refuse"):
                        log(log_path, {"refused": line})
                        self.reply("550 5.7.1 refused by the test server")
                    else:
                        mail["from"] = line[10:]
                        self.reply("250 OK")
                elif verb == "RCPT":
                    mail["to"].append(line[8:])
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while True:
                        data = self.rfile.readline().decode("utf-8", "replace")
                        if data in (".\r\n", ".\n", ""):
                            break
                        lines.append(data)
                    mail["data"] = "".join(lines)
                    log(log_path, mail)
                    mail = {"from": None, "to": [], "data": None}
                    self.reply("250 OK queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                elif verb in ("RSET", "NOOP"):
                    self.reply("250 OK")
                else:
                    self.reply("502 not implemented")

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
    open(args.log, "a").close()
    if scenario.get("mode") == "smtp":
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", args.port),
                                                 smtp_handler(scenario, args.log))
    else:
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                                 http_handler(scenario, args.log))
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
