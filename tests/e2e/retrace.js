// A Retrace server of its own for a test file: a fresh data directory, one
// site, a coordinator who can sign in, and an API token for setting up data.
//
// Needs a built `retrace` binary (RETRACE_BIN, default target/debug/retrace).

import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

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

/// Debian's headless Chromium, whose every context fails its test on what a
/// user would see as a broken page: a JavaScript error, an error in the
/// console (a refused inline script, say), or a stylesheet, script, image or
/// font that failed or answered 4xx/5xx. Pages themselves may answer 4xx (a
/// refused form is a 422 page); their subresources may not. The check runs
/// when the context closes, so every test closes the contexts it opens.
export async function launchChromium(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watched(await newContext(options));
  return browser;
}

function watched(context) {
  const problems = [];
  context.on("weberror", (error) => problems.push(`JavaScript error: ${error.error().message}`));
  context.on("console", (message) => {
    // A page's own 4xx is logged as a failed resource: the response check judges those.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error on ${message.location().url}: ${message.text()}`);
    }
  });
  context.on("response", (response) => {
    const type = response.request().resourceType();
    if (type !== "document" && response.status() >= 400) {
      problems.push(`${response.status()} on the ${type} ${response.url()}`);
    }
  });
  context.on("requestfailed", (request) => {
    if (request.resourceType() !== "document") {
      problems.push(`the ${request.resourceType()} ${request.url()} failed: ${request.failure()?.errorText}`);
    }
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    assert.deepEqual(problems, [], "the pages had errors");
  };
  return context;
}
