#!/usr/bin/env python3
"""Crash safety of a real `retrace serve`: kill -9 under write load, restart,
and check that nothing acknowledged was lost and nothing unasked was written.

    scripts/crash-test.py path/to/retrace [--kills 20] [--clients 16]

Clients drive reserve/release transitions on devices of their own, each with
a note naming the request. Meanwhile the server is killed with SIGKILL at
random moments and started again on the same data directory, and before
each kill another process opens the database, reads it and closes it. At the end:
`retrace ledger verify` passes; every transition a client saw acknowledged
is in the ledger, with the seq and hash it was answered with; every
transition in the ledger was sent by a client, once; each device's row
matches its last event. Any unexpected answer or exception in a client, a
client that stopped before the end, or a run with fewer acknowledged writes
than clients fails the test: the checks are explicit (`check`), not `assert`s
that `python -O` would remove. Python's standard library only.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid


class Failed(Exception):
    """A check of the crash test did not hold."""


def check(condition, message):
    """An assertion that `python -O` keeps."""
    if not condition:
        raise Failed(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data_dir):
        self.binary = binary
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RETRACE_")}
        self.env.update(
            RETRACE_DATA_DIR=data_dir,
            RETRACE_BIND=f"127.0.0.1:{self.port}",
            RETRACE_LOG_FORMAT="text",
            RUST_LOG="warn",
        )
        self.process = None
        self.log = open(os.path.join(os.path.dirname(data_dir), "server.log"), "ab")

    def cli(self, *args, stdin=None):
        done = subprocess.run([self.binary, *args], env=self.env, input=stdin,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"retrace {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout.strip()

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env,
                                        stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit("retrace serve exited at start; see server.log")
            time.sleep(0.05)
        raise SystemExit("retrace serve did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Api:
    def __init__(self, port, token):
        self.port, self.token = port, token

    def call(self, method, path, body=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["content-type"] = "application/json"
        c.request(method, path, data, headers)
        r = c.getresponse()
        text = r.read()
        c.close()
        return r.status, (json.loads(text) if text else None)


def ready_monitor(api, site):
    status, device = api.call("POST", "/api/v1/devices", {"site_id": site, "kind": "monitor"})
    check(status == 201, f"registering a monitor: {status} {device}")
    steps = [("audit", {}), ("sanitize_not_applicable", {}), ("start_refurbish", {}),
             ("install_os", {"os": "none"}),
             ("pass_qc", {"checklist": {k: True for k in ("boot", "keyboard", "screen", "battery", "network", "os")}})]
    for action, extra in steps:
        status, answer = api.call("POST", f"/api/v1/devices/{device['id']}/events",
                                  {"action": action, "expected_version": device["version"], **extra})
        check(status == 201, f"{action}: {status} {answer}")
        device = answer["device"]
    return device["id"], device["version"]


class Client(threading.Thread):
    """Transitions one device back and forth; remembers what it sent and what was acknowledged."""

    def __init__(self, api, device, version, stop):
        super().__init__(daemon=True)
        self.api, self.device, self.version, self.stop = api, device, version, stop
        self.sent = set()
        self.acked = {}  # note -> (event id, seq, hash)
        self.errors = 0
        # What stopped this client before it was asked to stop: the run fails on it.
        self.failure = None

    def refresh(self):
        while not self.stop.is_set():
            try:
                status, device = self.api.call("GET", f"/api/v1/devices/{self.device}", timeout=2)
                if status == 200:
                    self.version = device["version"]
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)

    def run(self):
        # A thread's exception would only be printed, and the run go on to
        # say "ok": every exception is kept and reported by main().
        try:
            self.drive()
        except BaseException as error:  # noqa: BLE001 — SystemExit and assertion errors included
            self.failure = f"{type(error).__name__}: {error}"

    def drive(self):
        while not self.stop.is_set():
            action = "reserve" if self.version % 2 == 0 else "release"
            note = f"crash-test {uuid.uuid4()}"
            self.sent.add(note)
            try:
                status, answer = self.api.call(
                    "POST", f"/api/v1/devices/{self.device}/events",
                    {"action": action, "expected_version": self.version, "note": note})
            except (OSError, http.client.HTTPException):
                # Killed mid-request: it may or may not have been written.
                self.errors += 1
                self.refresh()
                continue
            if status == 201:
                event = answer["event"]
                # A note may name people: it is held beside the chain, and
                # answered beside the payload.
                check((event.get("personal") or {}).get("note") == note,
                      f"answered another request's event: {answer}")
                self.acked[note] = (event["id"], event["seq"], event["hash"])
                self.version = answer["device"]["version"]
            elif status in (409, 503):
                self.refresh()
            else:
                raise Failed(f"unexpected answer {status}: {answer}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    random.seed(os.environ.get("CRASH_SEED"))

    with tempfile.TemporaryDirectory(prefix="retrace-crash-") as tmp:
        data = os.path.join(tmp, "data")
        server = Server(os.path.abspath(args.binary), data)
        server.cli("migrate")
        site = server.cli("site", "create", "--code", "CRA", "--name", "Atelier crash-test")
        server.cli("user", "create", "--email", "crash@retrace.test", "--role", "admin",
                   stdin="a long crash-test password\n")
        token = server.cli("token", "create", "--email", "crash@retrace.test", "--name", "crash")
        server.start()
        api = Api(server.port, token)
        clients = []
        stop = threading.Event()
        for _ in range(args.clients):
            device, version = ready_monitor(api, site)
            clients.append(Client(api, device, version, stop))
        for c in clients:
            c.start()

        for kill in range(1, args.kills + 1):
            time.sleep(random.uniform(0.05, 0.4))
            # Someone looks at the database from another process (the sqlite3
            # shell, a monitoring script) while the server writes: closing
            # last, such a reader deletes the WAL unless the server holds its
            # lock on the file, and the writes acknowledged after it are lost.
            look = sqlite3.connect(os.path.join(data, "retrace.db"))
            look.execute("SELECT count(*) FROM events").fetchone()
            look.close()
            time.sleep(random.uniform(0.0, 0.4))
            server.kill()
            acked = sum(len(c.acked) for c in clients)
            print(f"kill -9 #{kill}: {acked} transitions acknowledged so far", flush=True)
            time.sleep(random.uniform(0.0, 0.2))
            server.start()
            stopped = [c for c in clients if not c.is_alive()]
            check(not stopped, f"a client stopped before the end: {stopped[0].failure if stopped else ''}")
        time.sleep(0.5)
        stop.set()
        for c in clients:
            c.join(timeout=30)
            check(not c.is_alive(), f"client of {c.device} did not stop")
            check(c.failure is None, f"client of {c.device} failed: {c.failure}")
        server.stop()

        verified = server.cli("ledger", "verify")
        print(verified)
        check(verified.startswith("ok "), verified)

        db = sqlite3.connect(os.path.join(data, "retrace.db"))
        # The notes are beside the chain, in the same transaction as their events.
        rows = db.execute(
            "SELECT e.id, e.seq, e.hash, e.subject_id, p.value FROM events e "
            "JOIN event_personal_fields p ON p.seq = e.seq AND p.path = 'note' "
            "WHERE e.kind = 'device.transitioned'"
        ).fetchall()
        by_note = {}
        for event_id, seq, hash_, subject, value in rows:
            note = json.loads(value)
            if note.startswith("crash-test "):
                check(note not in by_note, f"{note} was written twice")
                by_note[note] = (str(uuid.UUID(bytes=event_id)), seq, hash_, subject)
        sent = set().union(*(c.sent for c in clients))
        acked = {note: a for c in clients for note, a in c.acked.items()}
        # A run where the server refused everything would prove nothing.
        for c in clients:
            check(c.acked, f"client of {c.device} had no write acknowledged")
        lost = [n for n in acked if n not in by_note]
        check(not lost, f"{len(lost)} acknowledged transitions are missing, e.g. {lost[:3]}")
        changed = [n for n, (i, s, h) in acked.items() if by_note[n][:3] != (i, s, h)]
        check(not changed, f"acknowledged events changed: {changed[:3]}")
        unasked = [n for n in by_note if n not in sent]
        check(not unasked, f"{len(unasked)} transitions nobody sent: {unasked[:3]}")
        for c in clients:
            last = db.execute(
                "SELECT payload FROM events WHERE subject_id = ? AND kind = 'device.transitioned' "
                "ORDER BY seq DESC LIMIT 1", (uuid.UUID(c.device).bytes,)).fetchone()
            row = db.execute("SELECT version, state FROM devices WHERE id = ?",
                             (uuid.UUID(c.device).bytes,)).fetchone()
            payload = json.loads(last[0])
            check((payload["version"], payload["to"]) == row, f"device {c.device}: {row} vs {payload}")
        unknown = sum(c.errors for c in clients)
        print(f"ok: {args.kills} kills, {len(acked)} acknowledged transitions all in the ledger, "
              f"{len(by_note)} written, {unknown} requests cut by a kill, none written twice or unasked")


if __name__ == "__main__":
    try:
        main()
    except Failed as failure:
        raise SystemExit(f"crash test FAILED: {failure}")
