#!/usr/bin/python3
"""plant_stub.py: a stand-in for the plant's sync endpoints, over real TLS on
loopback, for testing the station's client (station/sync.c) before the real
server (build/haulgate-potw) has them.  tests/cli/test_sync_client.sh runs it.

It speaks docs/SYNC.md's wire form: GET /api/v1/sync/state and POST
/api/v1/sync/events.  It is not the plant: it checks only that a batch
follows on (from = size + 1, each prev_hash the hash before, seq in order),
keeps the events in DIR/events.jsonl, and cosigns the station's checkpoint
note as it came (the plant's real checks, root recomputed and chain hashes,
are the server's).  The cosignature is a real Ed25519 note signature by the
key --note-key, made with `openssl pkeyutl -rawin`; the verifier key is
written to DIR/plant.vkey.  Every request is logged to DIR/requests.log.

DIR/mode, read at every request, makes it misbehave on purpose:
  ok          (or no file) as above
  fork        a batch is answered 409 {"error":"fork","seq":FROM}
  state-fork  the state says {"fork": {"seq": 2, "at": ...}}
  fail500     every request is answered 500 with an error JSON
  refuse422   a batch is answered 422 {"error":"chain","seq":FROM,...}
  badcosign   the cosignature is made over another text

Usage: plant_stub.py --dir DIR --cert PEM --key PEM --note-key PEM --name NAME
The port it listens on (127.0.0.1, chosen by the system) goes to DIR/port.
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import ssl
import subprocess
import sys
import time


def b64(b):
    return base64.b64encode(b).decode()


class Plant:
    def __init__(self, args):
        self.dir = args.dir
        self.note_key = args.note_key
        self.name = args.name
        der = subprocess.run(["openssl", "pkey", "-in", args.note_key, "-pubout",
                              "-outform", "DER"], check=True,
                             capture_output=True).stdout
        self.pk = der[-32:]
        self.key_id = hashlib.sha256(self.name.encode() + b"\n\x01" + self.pk).digest()[:4]
        with open(os.path.join(self.dir, "plant.vkey"), "w") as f:
            f.write("%s+%s+%s\n" % (self.name, self.key_id.hex(), b64(b"\x01" + self.pk)))
        self.events = []
        path = os.path.join(self.dir, "events.jsonl")
        if os.path.exists(path):
            with open(path) as f:
                self.events = [json.loads(line) for line in f if line.strip()]

    def mode(self):
        try:
            with open(os.path.join(self.dir, "mode")) as f:
                return f.read().strip() or "ok"
        except FileNotFoundError:
            return "ok"

    def sign(self, text):
        path = os.path.join(self.dir, "to-sign")
        with open(path, "wb") as f:
            f.write(text)
        r = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", self.note_key, "-rawin",
                            "-in", path], check=True, capture_output=True)
        return r.stdout

    def cosign(self, note, bad):
        cut = note.index("\n\n") + 1
        text = note[:cut].encode()
        sig = self.sign(text + (b"x" if bad else b""))
        return note + "\u2014 %s %s\n" % (self.name, b64(self.key_id + sig))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        with open(os.path.join(PLANT.dir, "requests.log"), "a") as f:
            f.write("%s %s\n" % (self.command, self.path))

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        mode = PLANT.mode()
        if mode == "fail500":
            return self.answer(500, {"error": "internal", "message": "the disk is full"})
        if self.path != "/api/v1/sync/state":
            return self.answer(404, {"error": "not_found", "message": self.path})
        ev = PLANT.events
        fork = {"seq": 2, "at": int(time.time())} if mode == "state-fork" else None
        self.answer(200, {"station": "?", "size": len(ev),
                          "head": ev[-1]["hash"] if ev else None,
                          "checkpoint": None, "fork": fork, "roster_version": 0})

    def do_POST(self):
        mode = PLANT.mode()
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        if mode == "fail500":
            return self.answer(500, {"error": "internal", "message": "the disk is full"})
        if self.path != "/api/v1/sync/events":
            return self.answer(404, {"error": "not_found", "message": self.path})
        body = json.loads(raw)
        frm = body["from"]
        if mode == "fork":
            return self.answer(409, {"error": "fork", "seq": frm,
                                     "message": "another event %d is held" % frm})
        if mode == "refuse422":
            return self.answer(422, {"error": "chain", "seq": frm,
                                     "message": "event %d: its hash is not its content's" % frm})
        ev = PLANT.events
        if frm > len(ev) + 1:
            return self.answer(409, {"error": "gap", "size": len(ev),
                                     "message": "the plant holds %d events" % len(ev)})
        # a resend: what the plant holds already is skipped when it is the same
        new = []
        for e in body["events"]:
            if e["seq"] <= len(ev):
                if ev[e["seq"] - 1]["hash"] != e["hash"]:
                    return self.answer(409, {"error": "fork", "seq": e["seq"],
                                             "message": "another event is held"})
            else:
                new.append(e)
        body["events"] = new
        frm = len(ev) + 1
        prev = ev[-1]["hash"] if ev else b64(bytes(32))
        for i, e in enumerate(body["events"]):
            if e["seq"] != frm + i or e["prev_hash"] != prev:
                return self.answer(422, {"error": "chain", "seq": e["seq"],
                                         "message": "does not follow on"})
            prev = e["hash"]
        with open(os.path.join(PLANT.dir, "events.jsonl"), "a") as f:
            for e in body["events"]:
                f.write(json.dumps(e) + "\n")
        ev.extend(body["events"])
        self.answer(200, {"size": len(ev),
                          "checkpoint": PLANT.cosign(body["checkpoint"], mode == "badcosign")})


def main():
    global PLANT
    p = argparse.ArgumentParser()
    for opt in ("--dir", "--cert", "--key", "--note-key", "--name"):
        p.add_argument(opt, required=True)
    args = p.parse_args()
    PLANT = Plant(args)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(os.path.join(args.dir, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
