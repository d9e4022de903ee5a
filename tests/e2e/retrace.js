// A Retrace server of its own for a test file: a fresh data directory, one
// site, a coordinator who can sign in, and an API token for setting up data.
//
// Needs a built `retrace` binary (RETRACE_BIN, default target/debug/retrace).

import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
const bin = process.env.RETRACE_BIN ?? join(root, "target/debug/retrace");

export const email = "technicienne@atelier.test";
export const password = "un-mot-de-passe-solide";

export async function startRetrace() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "retrace-e2e-"));
  const env = {
    ...process.env,
    RETRACE_DATA_DIR: join(dir, "data"),
    RETRACE_BIND: `127.0.0.1:${port}`,
    RETRACE_PUBLIC_URL: base,
    RETRACE_INSTANCE_NAME: "Atelier e2e",
  };
  delete env.RETRACE_DATABASE_URL;
  const cli = (args, input) => execFileSync(bin, args, { env, input, encoding: "utf8" }).trim();

  cli(["migrate"]);
  const siteId = cli(["site", "create", "--name", "Atelier de Brest", "--code", "BRE"]);
  cli(["user", "create", "--email", email, "--role", "coordinator", "--site", "BRE"], password + "\n");
  const token = cli(["token", "create", "--email", email, "--name", "e2e"]);
  const server = spawn(bin, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    if (i > 100) throw new Error("retrace did not start");
    await new Promise((r) => setTimeout(r, 100));
  }

  const authorization = `Bearer ${token}`;
  /// An API call with the token; the answer's JSON.
  async function api(method, path, body) {
    const response = await fetch(base + path, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${text}`);
    return JSON.parse(text);
  }
  /// A document from the API (labels, certificates), as bytes.
  async function download(path) {
    const response = await fetch(base + path, { headers: { authorization } });
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.ok(response.ok, `GET ${path}: ${bytes}`);
    return bytes;
  }

  return {
    base,
    siteId,
    api,
    download,
    /// A laptop received at the site.
    laptop: (serial) => api("POST", "/api/v1/devices", {
      site_id: siteId, kind: "laptop", manufacturer: "Lenovo", model: "ThinkPad T480", serial_number: serial,
    }),
    stop() {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
