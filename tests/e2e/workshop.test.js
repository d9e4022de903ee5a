// The workshop's daily loop in a real headless Chromium, on a phone-sized
// screen: sign in, scan a tag as a keyboard-wedge scanner types it, land on
// the device page, press the next action, see the history grow; batch mode;
// a mistyped tag; the public card a beneficiary sees; a stock audit; a
// donor's asset list uploaded on the lot page.
//
// Needs a built `retrace` binary (RETRACE_BIN, default target/debug/retrace)
// and Chromium (CHROMIUM, default /usr/bin/chromium). Screenshots go to
// SCREENSHOTS (default target/screenshots; the README's come from
// scripts/screenshots.sh).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startRetrace, root, email, password, launchChromium } from "./retrace.js";

const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");

let retrace;
let base;
let api;
let laptop;
let browser;

before(async () => {
  retrace = await startRetrace();
  ({ base, api, laptop } = retrace);
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  retrace?.stop();
});

/// A phone: a small screen, touch, French.
async function phone() {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "fr-FR",
  });
  return context.newPage();
}

async function signIn(page, next = "/scan") {
  await page.goto(base + next);
  assert.match(page.url(), /\/login\?next=/);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(base + next);
}

test("scan a tag, land on the device, press the next action, see the history grow", async () => {
  const device = await laptop("PF1E2E01");
  const page = await phone();
  await signIn(page);
  // The input has the focus: a scanner types the code and Enter.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "scan-code");
  // This Chromium has no BarcodeDetector: no camera button that would do nothing.
  assert.equal(await page.isVisible("#scan-camera"), false);
  await page.screenshot({ path: join(shots, "scan.png") });
  await page.keyboard.type(device.asset_tag);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/d/${device.asset_tag}`);
  assert.equal(await page.textContent("#asset-tag"), device.asset_tag);
  assert.equal(await page.getAttribute("#device-state", "data-state"), "received");
  assert.equal(await page.locator("#history li").count(), 1);

  await page.click("button[data-action=audit]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "inventoried");
  assert.equal(await page.locator("#history li").count(), 2);
  assert.match(await page.textContent("#history li:first-child"), /Inventorier/);
  await page.screenshot({ path: join(shots, "device.png"), fullPage: true });

  // The API sees what the page recorded: the same ledger.
  const after = await api("GET", `/api/v1/devices/${device.id}`);
  assert.equal(after.state, "inventoried");
  await page.context().close();
});

test("batch mode records the chosen action on every scanned device", async () => {
  const devices = [await laptop("PF1E2E02"), await laptop("PF1E2E03")];
  const page = await phone();
  await signIn(page, "/scan?action=audit");
  for (const device of devices) {
    await page.fill("#scan-code", device.asset_tag.toLowerCase());
    await page.press("#scan-code", "Enter");
    await page.waitForLoadState();
  }
  const results = page.locator("#scan-results li.ok");
  assert.equal(await results.count(), 2);
  await page.screenshot({ path: join(shots, "batch.png"), fullPage: true });
  for (const device of devices) {
    assert.equal((await api("GET", `/api/v1/devices/${device.id}`)).state, "inventoried");
  }
  await page.context().close();
});

test("a mistyped tag offers the tag it probably was", async () => {
  const device = await laptop("PF1E2E04");
  const page = await phone();
  await signIn(page);
  const tag = device.asset_tag;
  const check = tag.at(-1) === "A" ? "B" : "A";
  const mistyped = tag.slice(0, -1) + check;
  await page.fill("#scan-code", mistyped);
  await page.press("#scan-code", "Enter");
  await page.waitForLoadState();
  // No device page for the typo: the scan page again, saying so, with the tag one typo away.
  assert.doesNotMatch(page.url(), /\/d\//);
  const offered = await page.locator(`main a[href^="/d/"]`).evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(offered.includes(`/d/${tag}`), `offered: ${offered}`);
  assert.match(await page.textContent("main"), new RegExp(mistyped));
  await page.click(`main a[href="/d/${tag}"]`);
  await page.waitForURL(`${base}/d/${tag}`);
  assert.equal(await page.textContent("#asset-tag"), tag);
  await page.context().close();
});

test("without signing in, a label opens the public card: no history, nothing personal", async () => {
  const device = await laptop("PF1E2E05");
  const page = await phone();
  await page.goto(`${base}/d/${device.asset_tag}`);
  assert.match(await page.textContent("main"), /Atelier de Brest/);
  assert.equal(await page.locator("#history").count(), 0);
  assert.doesNotMatch(await page.content(), /PF1E2E05/);
  await page.screenshot({ path: join(shots, "public-card.png") });
  await page.context().close();
});

test("a stock audit from the phone: start, scan the shelf, close, read what is missing", async () => {
  const [here, gone] = [await laptop("PF1E2E06"), await laptop("PF1E2E07")];
  const page = await phone();
  await signIn(page, "/audits");
  await page.click("form[action='/audits'] button[type=submit]");
  await page.waitForURL(/\/audits\/[0-9a-f-]+$/);

  await page.fill("#scan-code", here.asset_tag);
  await page.press("#scan-code", "Enter");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#last-scan", "class"), "ok");
  await page.fill("#scan-code", "ETAGERE-3");
  await page.press("#scan-code", "Enter");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#last-scan", "class"), "problem");
  assert.equal(await page.textContent("#scan-count"), "2");

  await page.click("form[action$='/close'] button");
  await page.waitForSelector("#report");
  const missing = await page.textContent("#missing");
  assert.match(missing, new RegExp(gone.asset_tag));
  assert.doesNotMatch(missing, new RegExp(here.asset_tag));
  assert.match(await page.textContent("#unexpected"), /ETAGERE-3 — code inconnu/);
  await page.screenshot({ path: join(shots, "audit.png"), fullPage: true });
  await page.context().close();
});

test("the lot page checks a donor's asset list, then imports it", async () => {
  const donor = await api("POST", "/api/v1/donors", { name: "Mairie de Brest", kind: "public_body", siret: "21290019700014" });
  const lot = await api("POST", "/api/v1/lots", { donor_id: donor.id, site_id: retrace.siteId, received_on: "2026-11-02", declared_count: 40 });
  const file = join(root, "tests/fixtures/donor-csv/glpi_export_fr.csv");
  const page = await phone();
  await signIn(page, `/lots/${lot.id}`);

  await page.setInputFiles("input[name=file]", file);
  await page.click("#import-form button[type=submit]");
  await page.waitForLoadState();
  assert.match(await page.textContent("main"), /appareils qui seraient créés : 40/);
  assert.equal((await api("GET", `/api/v1/devices?lot_id=${lot.id}`)).items.length, 0);

  await page.setInputFiles("input[name=file]", file);
  await page.uncheck("input[name=dry_run]");
  await page.click("#import-form button[type=submit]");
  await page.waitForLoadState();
  assert.match(await page.textContent("main"), /Appareils créés : 40/);
  assert.equal(await page.locator("#lot-devices li").count(), 40);
  await page.context().close();
});
