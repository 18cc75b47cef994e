#!/usr/bin/python3
"""plant_stub.py: a stand-in for the plant's sync endpoints, over real TLS on
loopback, for testing the station's client (station/sync.c) before the real
server (build/haulgate-potw) has them.  tests/cli/test_sync_client.sh runs it.

It speaks docs/SYNC.md's wire form: GET /api/v1/sync/state, POST
/api/v1/sync/events, and GET /api/v1/sync/roster (a plant with no roster
edit: version 0).  It is not the plant: it checks only that a batch
follows on (from = size + 1, each prev_hash the hash before, seq in order),
keeps the events in DIR/events.jsonl, and cosigns the station's checkpoint
note as it came (the latest, kept in DIR/last.note, is the state's
"checkpoint") (the plant's real checks, root recomputed and chain hashes,
are the server's).  The cosignature is a real Ed25519 note signature by the
key --note-key, made with `openssl pkeyutl -rawin`; the verifier key is
written to DIR/plant.vkey.  Every request is logged to DIR/requests.log.

With --station-pem, every request must carry a Content-Digest that is the
SHA-256 of its body and an RFC 9421 signature (label "haulgate") by that
key over the components its Signature-Input lists, which must include
@method, @authority, @path and content-digest: the signature base is
rebuilt here from the request as received and checked with `openssl pkeyutl
-verify -rawin`, so the station's signing is checked by code it does not
share.  A request that fails is answered 401 {"error": "signature"}.

DIR/mode, read at every request, makes it misbehave on purpose:
  ok          (or no file) as above
  fork        a batch is answered 409 {"error":"fork","seq":FROM}
  state-fork  the state says {"fork": {"seq": 2, "at": ...}}
  fail500     every request is answered 500 with an error JSON
  refuse422   a batch is answered 422 {"error":"chain","seq":FROM,...}
  badcosign   the cosignature is made over another text

Usage: plant_stub.py --dir DIR --cert PEM --key PEM --note-key PEM --name NAME
                     [--station-pem PEM]
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


def parse_input(value):
    """The inner list and parameters of 'haulgate=(...);k=v;...'."""
    label, _, rest = value.partition("=")
    if label != "haulgate" or not rest.startswith("("):
        raise ValueError("no haulgate signature")
    inner, _, params = rest[1:].partition(")")
    comps = [c.strip('"') for c in inner.split()]
    return rest, comps, params


def check_signature(handler, body):
    """None when the request is signed by the station's key, else why not."""
    h = handler.headers
    digest, inp, sig = h.get("Content-Digest"), h.get("Signature-Input"), h.get("Signature")
    if not digest or not inp or not sig:
        return "unsigned"
    if digest != "sha-256=:%s:" % b64(hashlib.sha256(body).digest()):
        return "digest mismatch"
    params_value, comps, params = parse_input(inp)
    for need in ("@method", "@authority", "@path", "content-digest"):
        if need not in comps:
            return "%s not covered" % need
    if 'alg="ed25519"' not in params or 'tag="haulgate-sync"' not in params:
        return "alg or tag"
    created = int(params.split("created=")[1].split(";")[0])
    if abs(created - time.time()) > 300:
        return "stale"
    lines = []
    for c in comps:
        if c == "@method":
            v = handler.command
        elif c == "@authority":
            v = h.get("Host").lower()
        elif c == "@path":
            v = handler.path.split("?")[0]
        elif c == "@query":
            v = "?" + handler.path.split("?", 1)[1] if "?" in handler.path else "?"
        else:
            v = h.get(c)
            if v is None:
                return "%s missing" % c
        lines.append('"%s": %s' % (c, v))
    lines.append('"@signature-params": %s' % params_value)
    base = "\n".join(lines).encode()
    if not sig.startswith("haulgate=:") or not sig.endswith(":"):
        return "signature syntax"
    raw = base64.b64decode(sig[len("haulgate=:"):-1])
    bpath = os.path.join(PLANT.dir, "sig-base")
    spath = os.path.join(PLANT.dir, "sig-bytes")
    with open(bpath, "wb") as f:
        f.write(base)
    with open(spath, "wb") as f:
        f.write(raw)
    r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", STATION_PEM,
                        "-rawin", "-in", bpath, "-sigfile", spath], capture_output=True)
    return None if r.returncode == 0 else "bad signature"


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

    def signed(self, body):
        if not STATION_PEM:
            return True
        why = check_signature(self, body)
        if why:
            with open(os.path.join(PLANT.dir, "refused.log"), "a") as f:
                f.write("%s %s: %s\n" % (self.command, self.path, why))
            self.answer(401, {"error": "signature", "message": why})
            return False
        return True

    def do_GET(self):
        if not self.signed(b""):
            return
        mode = PLANT.mode()
        if mode == "fail500":
            return self.answer(500, {"error": "internal", "message": "the disk is full"})
        if self.path.startswith("/api/v1/sync/roster?"):
            # the stand-in's plant has made no roster edit (version 0)
            if "?" in self.path and "@query" not in self.headers.get("Signature-Input", ""):
                return self.answer(401, {"error": "missing-component", "message": "@query"})
            since = self.path.split("since=", 1)[-1]
            if since != "0":
                return self.answer(409, {"error": "ahead", "size": 0})
            return self.answer(200, {"since": 0, "version": 0, "size": 0, "events": [],
                                     "checkpoint": None, "pin_key_sealed": None})
        if self.path != "/api/v1/sync/state":
            return self.answer(404, {"error": "not_found", "message": self.path})
        ev = PLANT.events
        fork = {"seq": 2, "at": int(time.time())} if mode == "state-fork" else None
        note = None
        if os.path.exists(os.path.join(PLANT.dir, "last.note")):
            with open(os.path.join(PLANT.dir, "last.note")) as f:
                note = f.read()
        self.answer(200, {"station": "?", "size": len(ev),
                          "head": ev[-1]["hash"] if ev else None,
                          "checkpoint": note, "fork": fork, "roster_version": 0})

    def do_POST(self):
        mode = PLANT.mode()
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        if not self.signed(raw):
            return
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
        good = PLANT.cosign(body["checkpoint"], False)
        with open(os.path.join(PLANT.dir, "last.note"), "w") as f:
            f.write(good)
        self.answer(200, {"size": len(ev),
                          "checkpoint": PLANT.cosign(body["checkpoint"], True)
                          if mode == "badcosign" else good})


def main():
    global PLANT
    p = argparse.ArgumentParser()
    global STATION_PEM
    for opt in ("--dir", "--cert", "--key", "--note-key", "--name"):
        p.add_argument(opt, required=True)
    p.add_argument("--station-pem")
    args = p.parse_args()
    STATION_PEM = args.station_pem
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
