// Zebra labels come out of the printer, not out of a PDF reader: here a ZPL
// renderer (zebrash, compiled to WebAssembly in zpl-renderer-js) prints each
// label Retrace sends to a PNG at the printer's 203 dpi, and zbarimg (Debian's
// zbar-tools) reads its QR code back, as a phone would read the sticker.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ready } from "zpl-renderer-js";
import { startRetrace } from "./retrace.js";

let retrace;
before(async () => {
  retrace = await startRetrace();
});
after(() => retrace?.stop());

/// The text of every QR code in the PNG at `path`.
function qrCodes(path) {
  return execFileSync("zbarimg", ["--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", path], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
}

test("every ZPL label, printed at 203 dpi, scans back to its item's URL", async () => {
  const { api, download, base, siteId } = retrace;
  const donor = await api("POST", "/api/v1/donors", { name: "Mairie de Brest", kind: "public_body", siret: "21290019700014" });
  const lot = await api("POST", "/api/v1/lots", { donor_id: donor.id, site_id: siteId, received_on: "2026-11-02", declared_count: 3 });
  const devices = [];
  for (const serial of ["PFZPL001", "PFZPL002", "PFZPL003"]) {
    const device = await api("POST", "/api/v1/devices", {
      lot_id: lot.id, kind: "laptop", manufacturer: "Lenovo", model: "ThinkPad T480 «Édition»", serial_number: serial,
    });
    devices.push(device);
  }
  const drive = await api("POST", `/api/v1/devices/${devices[0].id}/media`, {
    kind: "ssd", serial_number: "S3Z9NB0K1", capacity_bytes: 256_000_000_000,
  });
  const tags = [...devices, drive].map((item) => item.asset_tag);

  const zpl = (await download(`/api/v1/labels?lot_id=${lot.id}&include_media=true&format=zpl`)).toString("utf8");
  const { api: printer } = await ready;
  // 2 × 1 inch, 8 dots a millimetre: the stock and head Retrace writes for.
  const printed = await printer.zplToBase64MultipleAsync(zpl, 50.8, 25.4, 8);
  assert.equal(printed.length, tags.length);

  const dir = mkdtempSync(join(tmpdir(), "retrace-zpl-"));
  try {
    const read = printed.flatMap((png, i) => {
      const path = join(dir, `label-${i}.png`);
      writeFileSync(path, Buffer.from(png, "base64"));
      return qrCodes(path);
    });
    assert.deepEqual(read.sort(), tags.map((tag) => `${base}/d/${tag}`).sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
