// Every main page of Retrace, on a phone and on a desk, as the demo's people
// see it: `scripts/screenshots.sh` runs this against a fresh `serve --demo`
// and writes docs/screenshots/{phone,desktop}/<page>.png, which the README
// shows. Run it again after changing a page.
//
// Needs a built `retrace` binary (RETRACE_BIN) and Chromium (CHROMIUM).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, launchChromium } from "./retrace.js";

const bin = process.env.RETRACE_BIN ?? join(root, "target/debug/retrace");
const out = process.env.SCREENSHOTS ?? join(root, "docs/screenshots");
const password = "retrace-demo";
const screens = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1366, height: 900 } },
};

/// `serve --demo` on a data directory of its own; its output (the portal link).
async function demo() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "retrace-shots-"));
  const env = { ...process.env, RETRACE_DATA_DIR: join(dir, "data"), RETRACE_BIND: `127.0.0.1:${port}`, RETRACE_PUBLIC_URL: base };
  delete env.RETRACE_DATABASE_URL;
  const server = spawn(bin, ["serve", "--demo"], { env, stdio: ["ignore", "pipe", "inherit"] });
  let printed = "";
  server.stdout.on("data", (chunk) => { printed += chunk; });
  for (let i = 0; ; i++) {
    if (printed.includes("/portal/")) break;
    if (i > 1200) throw new Error(`the demo did not start: ${printed}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const portal = printed.match(/https?:\/\/\S+\/portal\/\S+/)[0];
  return { base, portal, stop: () => { server.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

/// The page as far as two screens and a half: what a person sees of it
/// first (a list of two hundred devices would weigh megabytes).
async function shoot(page, path) {
  const { width, height } = page.viewportSize();
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, Math.round(height * 2.5)) } });
}

/// The first link of a page matching `selector`, or nothing.
async function firstLink(page, base, path, selector) {
  await page.goto(base + path);
  return page.locator(selector).first().getAttribute("href").catch(() => null);
}

const retrace = await demo();
const browser = await launchChromium();
const { base } = retrace;
const pages = {
  "technicien.brest@demo.example": async (page) => {
    const device = await firstLink(page, base, "/devices?state=erasing", "#device-list a");
    const ready = await firstLink(page, base, "/devices?state=ready", "#device-list a");
    return [["dashboard-technician", "/"], ["scan", "/scan"], ["devices", "/devices"],
      ["device-erasing", device], ["device-ready", ready], ["audits", "/audits"], ["account", "/account"]];
  },
  "coordination.brest@demo.example": async (page) => {
    const lot = await firstLink(page, base, "/lots", "ul.lots a");
    const donor = await firstLink(page, base, "/donors", "#donors a");
    const allocation = await firstLink(page, base, "/allocations", "main ul a[href^='/allocations/0']");
    const shipment = await firstLink(page, base, "/shipments", "#shipments a");
    const worker = await firstLink(page, base, "/workers", "main ul a[href^='/workers/']");
    const user = await firstLink(page, base, "/users", "#users a");
    return [["dashboard-coordinator", "/"], ["lots", "/lots"], ["lot", lot], ["lot-new", "/lots/new"],
      ["donors", "/donors"], ["donor", donor], ["stock", "/stock"], ["allocations", "/allocations"],
      ["allocation", allocation], ["beneficiaries", "/beneficiaries"], ["shipments", "/shipments"],
      ["shipment", shipment], ["workers", "/workers"], ["worker", worker], ["timesheets", "/timesheets"],
      ["users", "/users"], ["user", user]];
  },
  "lecture@demo.example": async () => [["report", "/reports"]],
};

try {
  for (const [screen, options] of Object.entries(screens)) {
    mkdirSync(join(out, screen), { recursive: true });
    for (const [email, list] of Object.entries(pages)) {
      const context = await browser.newContext({ ...options, locale: "fr-FR" });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", password);
      await page.click("main button[type=submit]");
      await page.waitForLoadState();
      for (const [name, path] of await list(page)) {
        if (!path) continue;
        await page.goto(base + path);
        await shoot(page, join(out, screen, `${name}.png`));
        console.log(`${screen}/${name}.png  ${path}`);
      }
      await context.close();
    }
    const context = await browser.newContext({ ...options, locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(retrace.portal);
    await shoot(page, join(out, screen, "portal.png"));
    await page.goto(`${base}/login`);
    await shoot(page, join(out, screen, "login.png"));
    await context.close();
  }
} finally {
  await browser.close();
  retrace.stop();
}
