#!/usr/bin/env python3
"""Writes the ledger of one Retrace release, for the upgrade test.

    scripts/fixture-ledger.py target/release/retrace tests/fixtures/ledgers/<release>

Starts a real `retrace serve` on an empty data directory, writes a small
world through the CLI and the HTTP API that records every kind of event the
release knows, asks the API what it holds (the expected projections, and
the events by kind and version), stops the server and copies the database
into the fixture directory. It refuses to write a fixture that lacks a kind
of docs/LEDGER.md's catalogue at its latest version: when a later release
moves a kind to a new version, the fixture is what keeps the old one.

A fixture is written once, by the release it is named after, and never again:
the upgrade test (tests/api/upgrade.rs) proves that every later build still
opens, verifies, replays and serves it. A new release that adds event kinds
writes a new directory beside the old ones; it does not touch them.

Python's standard library only, as a client of the API would be.
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PUBLIC_URL = "https://retrace.example"
PASSWORD = "fixture-password-1"
CHECKLIST = {k: True for k in ("boot", "keyboard", "screen", "battery", "network", "os")}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data_dir):
        self.binary = binary
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.pop("RETRACE_DATABASE_URL", None)
        self.env.update(
            RETRACE_DATA_DIR=data_dir,
            RETRACE_BIND=f"127.0.0.1:{self.port}",
            RETRACE_PUBLIC_URL=PUBLIC_URL,
            RETRACE_INSTANCE_NAME="Réseau Retrace (fixture)",
        )
        self.process = None
        self.token = None

    def cli(self, *args, stdin=None):
        done = subprocess.run(
            [self.binary, *args], env=self.env, input=stdin, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("retrace did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def call(self, method, path, body=None, token=None, raw=None, content_type="application/json", expect=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("authorization", f"Bearer {token or self.token}")
        if data is not None:
            request.add_header("content-type", content_type)
        try:
            with urllib.request.urlopen(request) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        if expect is not None and status != expect:
            raise SystemExit(f"{method} {path}: {status} {text[:500]!r}")
        if expect is None and status >= 300 and not (method == "DELETE" and status == 204):
            raise SystemExit(f"{method} {path}: {status} {text[:500]!r}")
        return json.loads(text) if text and text[:1] in (b"{", b"[") else text

    def post(self, path, body, **kw):
        return self.call("POST", path, body, **kw)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def act(self, device, action, **extra):
        body = {"action": action, "expected_version": device["version"], **extra}
        return self.post(f"/api/v1/devices/{device['id']}/events", body)["device"]

    def medium_act(self, medium, action, **extra):
        body = {"action": action, "expected_version": medium["version"], **extra}
        return self.post(f"/api/v1/media/{medium['id']}/events", body)["medium"]

    def all(self, path, cursor_name="cursor"):
        items, cursor = [], None
        while True:
            page = self.get(path + (f"{'&' if '?' in path else '?'}{cursor_name}={cursor}" if cursor else ""))
            if isinstance(page, list):
                return page
            items += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return items


def world(s, fixtures):
    """Every kind of event of the release, each at least once."""
    nantes = s.post("/api/v1/sites", {"name": "Atelier de Nantes", "code": "NAN"})
    s.call("PATCH", f"/api/v1/sites/{nantes['id']}", {"expected_version": 1, "address": "2 quai de la Fosse, 44000 Nantes"})
    brest = s.get("/api/v1/sites?limit=10")["items"]
    brest = next(site for site in brest if site["code"] == "BRE")

    coordinator = s.post("/api/v1/users", {
        "email": "coordination@fixture.example", "display_name": "Coordination Brest",
        "role": "coordinator", "site_id": brest["id"], "password": PASSWORD,
    })
    s.post("/api/v1/users", {"email": "lecture@fixture.example", "role": "viewer"})
    technician = s.post("/api/v1/users", {
        "email": "technicien@fixture.example", "role": "technician", "site_id": nantes["id"],
    })
    s.call("PATCH", f"/api/v1/users/{technician['id']}", {"expected_version": 1, "display_name": "Technicien Nantes", "locale": "en"})
    signed_in = s.post("/api/v1/login", {"email": "coordination@fixture.example", "password": PASSWORD, "token_name": "laptop"})
    second = s.post("/api/v1/tokens", {"name": "wiping station", "expires_in_days": 30}, token=signed_in["secret"])
    s.call("DELETE", f"/api/v1/tokens/{second['id']}", token=signed_in["secret"], expect=204)

    company = s.post("/api/v1/donors", {
        "name": "Banque de l’Ouest", "kind": "company", "siret": "732 829 320 00074",
        "address": "1 rue de Siam, 29200 Brest", "contact_name": "Service informatique",
        "contact_email": "dsi@banque-ouest.example",
    })
    s.call("PATCH", f"/api/v1/donors/{company['id']}", {"expected_version": 1, "contact_phone": "02 98 00 00 00"})
    person = s.post("/api/v1/donors", {"name": "Jeanne Martin", "kind": "individual"})
    town = s.post("/api/v1/donors", {"name": "Mairie de Nantes", "kind": "public_body", "siret": "21440109300015"})

    lot = s.post("/api/v1/lots", {
        "donor_id": company["id"], "site_id": brest["id"], "received_on": "2026-10-05",
        "donor_reference": "PO-2026-118", "declared_count": 6, "weight_kg": 31.5,
    })
    s.call("PATCH", f"/api/v1/lots/{lot['id']}", {"expected_version": 1, "notes": "Palette filmée, sans chargeurs"})
    small = s.post("/api/v1/lots", {"donor_id": person["id"], "site_id": brest["id"], "received_on": "2026-10-12"})
    nantes_lot = s.post("/api/v1/lots", {"donor_id": town["id"], "site_id": nantes["id"], "received_on": "2026-10-20"})

    # The donor's asset list, imported as a file.
    csv = "Numéro de série;Fabricant;Modèle;Type;Numéro d'inventaire\n" \
          "PF1ABC01;Lenovo;ThinkPad T480;Ordinateur portable;INV-0001\n" \
          "PF1ABC02;Lenovo;ThinkPad T480;Ordinateur portable;INV-0002\n" \
          "CZC1234;HP;ProDesk 600 G3;Unité centrale;INV-0003\n" \
          "CN-0ABC;Dell;P2419H;Écran;INV-0004\n"
    imported = s.call("POST", f"/api/v1/lots/{lot['id']}/devices/import", raw=csv.encode("utf-8"), content_type="text/csv")
    by_serial = {d["serial_number"]: d for d in imported["created"]}
    laptop, laptop2, desktop, monitor = (by_serial[k] for k in ("PF1ABC01", "PF1ABC02", "CZC1234", "CN-0ABC"))

    # A laptop audited with lshw: specs, its NVMe drive as a medium, inventoried.
    lshw = open(os.path.join(fixtures, "hardware", "lshw_lenovo_thinkpad_x1_carbon_5th.json"), "rb").read()
    audited = s.call("POST", f"/api/v1/devices/{laptop['id']}/audit?expected_version={laptop['version']}", raw=lshw)
    laptop = audited["device"]
    laptop_disk = audited["media_added"][0]
    s.call("PATCH", f"/api/v1/media/{laptop_disk['id']}", {"expected_version": laptop_disk["version"], "interface": "NVMe"})
    laptop = s.call("PATCH", f"/api/v1/devices/{laptop['id']}", {"expected_version": laptop["version"], "grade": "B", "weight_kg": 1.13})
    erased = s.post("/api/v1/erasures", {
        "medium_id": laptop_disk["id"], "category": "purge", "technique": "block_erase",
        "method": "NVMe Format (Secure Erase)", "tool": "nvme-cli", "tool_version": "2.4",
        "verification": "sampling", "verification_result": "passed", "outcome": "passed",
        "destination": "reuse_external", "started_at": "2026-10-06T09:00:00Z", "ended_at": "2026-10-06T09:02:30Z",
    })
    assert erased["related_events"][-1]["kind"] == "device.transitioned", "the laptop settles"
    laptop = s.get(f"/api/v1/devices/{laptop['id']}")
    laptop = s.act(laptop, "start_refurbish")
    laptop = s.act(laptop, "install_os", os="Linux Mint 22.1")
    laptop = s.act(laptop, "pass_qc", checklist=CHECKLIST)
    laptop = s.act(laptop, "reserve")
    laptop = s.act(laptop, "release")
    laptop = s.act(laptop, "reserve")
    laptop = s.act(laptop, "deliver")
    # Back under warranty: its drive is presumed to hold data again.
    laptop = s.act(laptop, "return", reason="écran qui clignote")

    # The second laptop's drive fails its first erasure, passes the second (nwipe).
    laptop2 = s.act(laptop2, "audit")
    disk2 = s.post(f"/api/v1/devices/{laptop2['id']}/media", {
        "kind": "ssd", "manufacturer": "Virtual", "model": "Loopback device", "capacity_bytes": 33554432,
    })
    laptop2 = s.act(s.get(f"/api/v1/devices/{laptop2['id']}"), "start_erasure")
    disk2 = s.medium_act(disk2, "record_erasure", outcome="failed", method="nwipe PRNG, aborted")
    log = open(os.path.join(fixtures, "nwipe", "dodshort_two_drives.log"), "rb").read()
    report = s.call("POST", f"/api/v1/erasures/nwipe?device_id={laptop2['id']}", raw=log, content_type="text/plain")
    assert len(report["records"]) == 1, report
    laptop2 = s.get(f"/api/v1/devices/{laptop2['id']}")
    laptop2 = s.act(laptop2, "dismantle", note="carte mère HS, pièces récupérées")

    # The desktop's drive is pulled out at the wiping station, then shredded.
    desktop = s.act(desktop, "audit")
    hdd = s.post(f"/api/v1/devices/{desktop['id']}/media", {"kind": "hdd", "serial_number": "WD-WCC4E1234567", "model": "WD Blue"})
    hdd = s.medium_act(hdd, "remove")
    spare = s.post(f"/api/v1/devices/{desktop['id']}/media", {"kind": "ssd", "serial_number": "S3Z9NB0K"})
    spare = s.medium_act(spare, "remove")
    spare = s.medium_act(spare, "record_erasure", outcome="passed", method="ATA Secure Erase")
    spare = s.medium_act(spare, "reinstall", device_id=desktop["id"])
    s.medium_act(hdd, "destroy", method="broyeur", witness="Coordination Brest")
    desktop = s.get(f"/api/v1/devices/{desktop['id']}")
    assert desktop["state"] == "sanitized", desktop
    desktop = s.act(desktop, "recycle")

    # The monitor has no medium.
    monitor = s.act(monitor, "audit")
    monitor = s.act(monitor, "sanitize_not_applicable")

    # A device registered by hand, lost, and an admin's correction.
    stray = s.post("/api/v1/devices", {"lot_id": small["id"], "kind": "tablet", "manufacturer": "Samsung", "serial_number": "r52n"})
    stray = s.act(stray, "declare_lost", note="introuvable après le déménagement")
    stray = s.act(stray, "correct", target_state="received", note="retrouvée dans la réserve")
    s.post("/api/v1/devices", {"lot_id": nantes_lot["id"], "kind": "smartphone", "model": "Fairphone 3"})

    # Certificates: the donor's, once every device is past erasure, and a revision.
    laptop = s.act(s.get(f"/api/v1/devices/{laptop['id']}"), "audit")
    s.post("/api/v1/erasures", {
        "medium_id": laptop_disk["id"], "category": "clear", "technique": "overwrite", "method": "PRNG Stream",
        "tool": "nwipe", "tool_version": "0.38", "verification": "full", "verification_result": "passed",
        "outcome": "passed", "destination": "reuse_external", "validator_id": coordinator["id"],
    })
    assert s.get(f"/api/v1/devices/{laptop['id']}")["state"] == "sanitized"
    s.post("/api/v1/certificates", {"kind": "erasure", "device_id": laptop2["id"]})
    first = s.post("/api/v1/certificates", {"kind": "donor", "lot_id": lot["id"]})
    s.post("/api/v1/certificates", {"kind": "donor", "lot_id": lot["id"], "language": "en", "supersedes": first["number"]})

    # A stock audit of Brest.
    audit = s.post("/api/v1/audits", {"site_id": brest["id"]})
    s.post(f"/api/v1/audits/{audit['id']}/scans", {"code": f"{PUBLIC_URL}/d/{monitor['asset_tag']}"})
    s.post(f"/api/v1/audits/{audit['id']}/scans", {"code": "PF1ABC01"})
    s.post(f"/api/v1/audits/{audit['id']}/scans", {"code": "INCONNU-42"})
    s.post(f"/api/v1/audits/{audit['id']}/close", {"expected_version": 1})

    dispatch_and_people(s, brest, lot)

    s.post("/api/v1/ledger/checkpoints", {})


def ready(s, lot, serial):
    """A laptop of `lot` with one drive, erased, refurbished and through QC."""
    device = s.post("/api/v1/devices", {"lot_id": lot["id"], "kind": "laptop", "manufacturer": "Dell",
                                        "model": "Latitude 7490", "serial_number": serial, "weight_kg": 1.4})
    drive = s.post(f"/api/v1/devices/{device['id']}/media", {"kind": "ssd", "serial_number": f"S{serial}"})
    device = s.act(device, "audit")
    s.medium_act(drive, "record_erasure", outcome="passed", method="nwipe PRNG, verified")
    device = s.act(s.get(f"/api/v1/devices/{device['id']}"), "start_refurbish")
    device = s.act(device, "install_os", os="Linux Mint 22.1")
    return s.act(device, "pass_qc", checklist=CHECKLIST)


def dispatch_and_people(s, brest, lot):
    """What came with 0.2.0: the site as a waste holder, beneficiaries and
    allocations, complaints, work and parts, shipments, the team and its
    hours, donor portals and impact statements."""
    site = s.get(f"/api/v1/sites/{brest['id']}")
    s.call("PATCH", f"/api/v1/sites/{brest['id']}", {
        "expected_version": site["version"], "siret": "21290019700014", "postcode": "29200", "city": "Brest",
    })

    # Beneficiaries: one named, then erased; one organisation, never named.
    named = s.post("/api/v1/beneficiaries", {
        "site_id": brest["id"], "category": "job_seeker", "postcode": "29200",
        "referring_partner": "Mission locale", "name": "Bénéficiaire Fixture",
        "email": "beneficiaire@fixture.example", "phone": "0600000000",
    })
    school = s.post("/api/v1/beneficiaries", {"site_id": brest["id"], "category": "school", "postcode": "20090"})

    # A laptop given, signed for, complained about, answered, returned.
    given = ready(s, lot, "PF2GIVE01")
    allocation = s.post("/api/v1/allocations", {
        "device_id": given["id"], "beneficiary_id": named["id"],
        "conditions": {"kind": "solidarity_price", "price_cents": 5000}, "warranty_months": 12,
    })
    allocation = s.post(f"/api/v1/allocations/{allocation['id']}/acceptance", {
        "expected_version": allocation["version"], "method": "signed_on_device",
        "strokes": [[[0.1, 0.2], [0.5, 0.6], [0.9, 0.4]]],
    })
    allocation = s.post(f"/api/v1/allocations/{allocation['id']}/deliver", {"expected_version": allocation["version"]})
    complaint = s.post(f"/api/v1/allocations/{allocation['id']}/complaints", {
        "received_on": "2026-11-20", "description": "Le ventilateur siffle",
    })
    s.post(f"/api/v1/complaints/{complaint['id']}/answer", {
        "expected_version": complaint["version"], "answered_on": "2026-11-21", "answer": "Ventilateur nettoyé",
    })
    allocation = s.get(f"/api/v1/allocations/{allocation['id']}")
    s.post(f"/api/v1/allocations/{allocation['id']}/return", {
        "expected_version": allocation["version"], "reason": "warranty_fault", "fault_description": "Écran noir",
    })

    # A loan reserved for the school, then released; a free one delivered to it.
    lent = ready(s, lot, "PF2LEND01")
    loan = s.post("/api/v1/allocations", {
        "device_id": lent["id"], "beneficiary_id": school["id"],
        "conditions": {"kind": "loan", "until": "2027-06-30"}, "warranty_months": 6,
    })
    s.post(f"/api/v1/allocations/{loan['id']}/release", {"expected_version": loan["version"], "note": "rendez-vous annulé"})
    free = s.post("/api/v1/allocations", {
        "device_id": ready(s, lot, "PF2FREE01")["id"], "beneficiary_id": school["id"],
        "conditions": {"kind": "free"}, "warranty_months": 6,
    })
    free = s.post(f"/api/v1/allocations/{free['id']}/acceptance", {"expected_version": free["version"], "method": "signed_on_paper"})
    s.post(f"/api/v1/allocations/{free['id']}/deliver", {"expected_version": free["version"]})
    s.call("DELETE", f"/api/v1/beneficiaries/{named['id']}/personal-data")

    # Work on a device of every kind, and one dismantled into parts.
    worked = ready(s, lot, "PF2WORK01")
    for work in [
        {"type": "repair", "description": "Clavier remplacé", "parts": [{"description": "Clavier AZERTY"}]},
        {"type": "grade", "grade": "A"},
        {"type": "battery", "health_percent": 87, "cycle_count": 312},
        {"type": "os", "distribution": "Linux Mint", "version": "22.1", "image_id": "mint-22.1-atelier"},
    ]:
        worked = s.get(f"/api/v1/devices/{worked['id']}")
        s.post(f"/api/v1/devices/{worked['id']}/work", {"expected_version": worked["version"], "work": work})
    spare = ready(s, lot, "PF2PARTS1")
    s.post(f"/api/v1/devices/{spare['id']}/dismantle", {"expected_version": spare["version"], "parts": ["RAM 8 Go DDR4", "Écran 14 pouces"]})

    # A shipment to a recycler.
    scrap = s.post("/api/v1/devices", {"lot_id": lot["id"], "kind": "printer", "manufacturer": "HP", "model": "LaserJet P2055"})
    scrap = s.act(scrap, "audit")
    scrap = s.act(scrap, "sanitize_not_applicable")
    s.post("/api/v1/waste-shipments", {
        "site_id": brest["id"], "dispatched_on": "2026-11-28",
        "recycler": {"name": "Recycleur de l'Ouest", "siret": "73282932000074", "address": "ZI de Kergaradec", "postcode": "29850", "city": "Gouesnou"},
        "transporter": {"name": "Transports Fixture", "siret": "73282932000074"},
        "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": scrap["id"]}],
    })

    # The team: an insertion contract ended with an exit; a volunteer erased; their hours.
    users = s.get("/api/v1/users?limit=100")["items"]
    account = next(u for u in users if u["email"] == "coordination@fixture.example")
    worker = s.post("/api/v1/workers", {
        "site_id": brest["id"], "display_name": "Salariée Fixture", "contract_kind": "insertion",
        "started_on": "2026-01-05", "weekly_hours": 26, "user_id": account["id"],
    })
    volunteer = s.post("/api/v1/workers", {
        "site_id": brest["id"], "display_name": "Bénévole Fixture", "contract_kind": "volunteer",
        "started_on": "2026-03-01", "weekly_hours": 4,
    })
    entry = s.post("/api/v1/timesheets", {"worker_id": worker["id"], "date": "2026-11-16", "hours": 7, "activity": "erasure"})
    s.call("PATCH", f"/api/v1/timesheets/{entry['id']}", {"expected_version": entry["version"], "hours": 6.5})
    s.post("/api/v1/timesheets/batch", {"entries": [
        {"worker_id": worker["id"], "date": "2026-11-17", "hours": 3.5, "activity": "training"},
        {"worker_id": volunteer["id"], "date": "2026-11-17", "hours": 4, "activity": "logistics"},
    ]})
    worker = s.get(f"/api/v1/workers/{worker['id']}")
    s.call("PATCH", f"/api/v1/workers/{worker['id']}", {
        "expected_version": worker["version"], "ended_on": "2026-11-30", "exit_outcome": "durable_employment",
    })
    s.call("DELETE", f"/api/v1/workers/{volunteer['id']}/personal-data")

    # A member of staff who left, and an individual donor, erased on request.
    former = s.post("/api/v1/users", {
        "email": "ancien@fixture.example", "display_name": "Ancien technicien",
        "role": "technician", "site_id": brest["id"],
    })
    s.call("DELETE", f"/api/v1/users/{former['id']}/personal-data")
    erased = s.post("/api/v1/donors", {"name": "Paul Le Goff", "kind": "individual", "address": "3 rue Jean Jaurès, 29200 Brest"})
    s.call("DELETE", f"/api/v1/donors/{erased['id']}/personal-data")

    # The donor's portal: one link opened, one revoked; an impact statement.
    opened = s.post(f"/api/v1/lots/{lot['id']}/portal-links", {"label": "DSI Banque de l’Ouest", "expires_on": "2027-12-31"})
    s.get(f"/api/v1/portal/{opened['url'].rsplit('/', 1)[1]}")
    revoked = s.post(f"/api/v1/lots/{lot['id']}/portal-links", {})
    s.post(f"/api/v1/portal-links/{revoked['id']}/revoke", {"expected_version": revoked["version"]})
    s.post("/api/v1/certificates", {"kind": "impact_statement", "lot_id": lot["id"]})
    s.post("/api/v1/certificates", {"kind": "impact_statement", "donor_id": lot["donor_id"], "year": 2026, "language": "en"})


def catalogue(root):
    """The latest version of every kind docs/LEDGER.md's catalogue lists."""
    text = open(os.path.join(root, "docs", "LEDGER.md"), encoding="utf-8").read()
    table = text.split("## Catalogue", 1)[1].split("\n## ", 1)[0]
    latest = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1].startswith("`") and cells[2].isdigit():
            kind = cells[1].strip("`")
            latest[kind] = max(latest.get(kind, 0), int(cells[2]))
    return latest


def expected(s):
    """What the API answered, resource by resource: the projections to keep."""
    out = {}
    for name, path in [
        ("sites", "/api/v1/sites"), ("donors", "/api/v1/donors"), ("lots", "/api/v1/lots"),
        ("devices", "/api/v1/devices"), ("media", "/api/v1/media"), ("erasures", "/api/v1/erasures"),
        ("certificates", "/api/v1/certificates"), ("users", "/api/v1/users"), ("audits", "/api/v1/audits"),
    ]:
        out[name] = sorted(s.all(path + "?limit=100"), key=lambda item: item["id"])
    for name, path in [
        ("beneficiaries", "/api/v1/beneficiaries"), ("allocations", "/api/v1/allocations"),
        ("workers", "/api/v1/workers"), ("timesheets", "/api/v1/timesheets"),
        ("waste-shipments", "/api/v1/waste-shipments"),
    ]:
        out[name] = sorted(s.all(path + "?limit=100"), key=lambda item: item["id"])
    out["tokens"] = sorted(s.all("/api/v1/tokens?limit=100"), key=lambda item: item["id"])
    out["head"] = s.get("/api/v1/ledger/head")
    kinds, versions = {}, {}
    for event in s.all("/api/v1/ledger/events?limit=500", "after_seq"):
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
        version = str(event["payload"].get("v", 1))
        by_version = versions.setdefault(event["kind"], {})
        by_version[version] = by_version.get(version, 0) + 1
    out["event_kinds"] = dict(sorted(kinds.items()))
    out["event_versions"] = dict(sorted(versions.items()))
    return out


def main():
    binary, target = os.path.abspath(sys.argv[1]), sys.argv[2]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    fixtures = os.path.join(root, "tests", "fixtures")
    if os.path.exists(target):
        raise SystemExit(f"{target} exists: a fixture ledger is written once and never again")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        s = Server(binary, data)
        s.cli("migrate")
        s.cli("site", "create", "--code", "BRE", "--name", "Atelier de Brest")
        s.cli("user", "create", "--email", "admin@fixture.example", "--role", "admin", "--name", "Admin réseau", stdin=PASSWORD + "\n")
        s.token = s.cli("token", "create", "--email", "admin@fixture.example", "--name", "fixture", "--days", "3650")
        s.start()
        try:
            world(s, fixtures)
            answers = expected(s)
        finally:
            s.stop()
        # A fixture holds every kind of the catalogue at this release's version:
        # once a later release moves a kind on, only this file keeps the old one.
        # A redaction is the exception: a release that holds personal fields
        # beside the chain writes one only on a ledger from before it did.
        missing = [f"{kind} v{version}" for kind, version in catalogue(root).items()
                   if kind != "ledger.redacted"
                   and str(version) not in answers["event_versions"].get(kind, {})]
        if missing:
            raise SystemExit(f"the world written lacks {', '.join(missing)}: extend world()")
        os.makedirs(target)
        with sqlite3.connect(os.path.join(data, "retrace.db")) as db:
            db.execute("VACUUM INTO ?", (os.path.join(target, "retrace.db"),))
        shutil.copy(os.path.join(data, "instance-ed25519.key"), os.path.join(target, "instance-ed25519.key"))
        with open(os.path.join(target, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(answers, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        with open(os.path.join(target, "README.md"), "w", encoding="utf-8") as f:
            f.write(f"""# Ledger of {version}

Written once by `scripts/fixture-ledger.py` with {version} (commit `{commit}`),
and never to be written again: `tests/api/upgrade.rs` proves that every later
build opens this database (applying its own migrations), verifies the chain,
replays it into empty tables with the same result, serves its devices and
certificates, and records new events on its old devices.

- `retrace.db`: the SQLite database, {answers['head']['seq']} events;
- `instance-ed25519.key`: the instance key that signed its checkpoint and certificates
  (a test key, for this fixture only);
- `expected.json`: what the API answered for each resource, and the number of
  events of each kind (`event_kinds`) and version (`event_versions`).

Event kinds: {', '.join(f'`{k}` ({n})' for k, n in answers['event_kinds'].items())}.

Versions other than 1: {', '.join(f'`{k}` v{v} ({n})' for k, vs in answers['event_versions'].items() for v, n in vs.items() if v != '1') or 'none'}.
""")
    print(f"{target}: {answers['head']['seq']} events, {len(answers['event_kinds'])} kinds")


if __name__ == "__main__":
    main()
