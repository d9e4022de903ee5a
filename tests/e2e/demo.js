// The demo instance and its pages, shared by the screenshots and the
// accessibility sweep: `serve --demo` on a data directory of its own, and
// every main page by the demo person who opens it.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./retrace.js";

const bin = process.env.RETRACE_BIN ?? join(root, "target/debug/retrace");
export const demoPassword = "retrace-demo";

/// `serve --demo` on a data directory of its own; its output (the portal link).
export async function startDemo() {
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

/// The first link of a page matching `selector`, or nothing.
async function firstLink(page, base, path, selector) {
  await page.goto(base + path);
  return page.locator(selector).first().getAttribute("href").catch(() => null);
}

/// Every main page, by the demo person who opens it: a name and a path.
export const demoPages = {
  "technicien.brest@demo.example": async (page, base) => {
    const device = await firstLink(page, base, "/devices?state=erasing", "#device-list a");
    const ready = await firstLink(page, base, "/devices?state=ready", "#device-list a");
    const medium = device && await firstLink(page, base, device, "#media ul.media a");
    return [["dashboard-technician", "/"], ["scan", "/scan"], ["devices", "/devices"],
      ["device-erasing", device], ["device-ready", ready], ["medium", medium], ["audits", "/audits"],
      ["account", "/account"]];
  },
  "coordination.brest@demo.example": async (page, base) => {
    const lot = await firstLink(page, base, "/lots", "ul.lots a");
    const donor = await firstLink(page, base, "/donors", "#donors a");
    const allocation = await firstLink(page, base, "/allocations", "main ul a[href^='/allocations/0']");
    const shipment = await firstLink(page, base, "/shipments", "#shipments a");
    const worker = await firstLink(page, base, "/workers", "main ul a[href^='/workers/']");
    const user = await firstLink(page, base, "/users", "#users a");
    const beneficiary = await firstLink(page, base, "/beneficiaries", "main ul.lots a");
    const audit = await firstLink(page, base, "/audits", "main ul.lots a");
    return [["dashboard-coordinator", "/"], ["lots", "/lots"], ["lot", lot], ["lot-new", "/lots/new"],
      ["donors", "/donors"], ["donor", donor], ["stock", "/stock"], ["allocations", "/allocations"],
      ["allocation", allocation], ["beneficiaries", "/beneficiaries"], ["shipments", "/shipments"],
      ["shipment", shipment], ["workers", "/workers"], ["worker", worker], ["timesheets", "/timesheets"],
      ["users", "/users"], ["user", user], ["beneficiary", beneficiary], ["audit", audit],
      ["reports-coordinator", "/reports"]];
  },
  "lecture@demo.example": async (page, base) => {
    const device = await firstLink(page, base, "/devices?state=delivered", "#device-list a");
    return [["report", "/reports"], ["devices-viewer", "/devices"], ["device-viewer", device],
      ["lots-viewer", "/lots"], ["donors-viewer", "/donors"], ["stock-viewer", "/stock"]];
  },
};

