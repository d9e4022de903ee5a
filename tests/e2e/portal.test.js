// The donor portal in a real headless Chromium on a phone-sized screen: the
// donor opens the link a coordinator sent, with no account, sees where their
// devices are, and downloads the donor certificate; then the coordinator
// issues the lot's impact statement from the lot page, and the donor finds
// it on the portal.
//
// Needs a built `retrace` binary and Chromium, as workshop.test.js.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startRetrace, root, email, password, launchChromium } from "./retrace.js";

const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");

let retrace;
let browser;
let link;
let number;
let lotId;

before(async () => {
  retrace = await startRetrace();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  const { api, siteId } = retrace;
  const donor = await api("POST", "/api/v1/donors", { name: "Mairie de Brest", kind: "public_body" });
  const lot = await api("POST", "/api/v1/lots", {
    donor_id: donor.id, site_id: siteId, received_on: "2026-11-02", donor_reference: "DSI-2026-17",
  });
  for (const [i, model] of ["ThinkPad T480", "Latitude 5490"].entries()) {
    const device = await api("POST", "/api/v1/devices", {
      lot_id: lot.id, kind: "laptop", manufacturer: "Lenovo", model, serial_number: `PORTAL${i}`,
      donor_asset_number: `MAIRIE-${i}`,
    });
    const medium = await api("POST", `/api/v1/devices/${device.id}/media`, { kind: "ssd", serial_number: `SSDPORTAL${i}` });
    await api("POST", `/api/v1/devices/${device.id}/events`, { action: "audit", expected_version: 1 });
    await api("POST", "/api/v1/erasures", {
      medium_id: medium.id, category: "purge", technique: "crypto_erase", method: "NVMe Format (crypto erase)",
      tool: "nvme-cli", tool_version: "2.4", verification: "sampling", verification_result: "passed",
      destination: "reuse_external", outcome: "passed",
    });
  }
  number = (await api("POST", "/api/v1/certificates", { kind: "donor", lot_id: lot.id })).number;
  lotId = lot.id;
  link = (await api("POST", `/api/v1/lots/${lot.id}/portal-links`, { label: "DSI Mairie" })).url;
});

after(async () => {
  await browser?.close();
  retrace?.stop();
});

/// What `retrace verify` says of a file, with the instance's published key.
async function verify(file) {
  const key = (await (await fetch(`${retrace.base}/.well-known/retrace-signing-key`)).json()).public_key;
  return execFileSync(
    process.env.RETRACE_BIN ?? join(root, "target/debug/retrace"),
    ["verify", file, "--public-key", key],
    { encoding: "utf8" },
  );
}

/// The file behind a tap on a link, saved and read back with pdftotext.
async function pdfBehind(page, locator, name) {
  const [download] = await Promise.all([page.waitForEvent("download"), locator.tap()]);
  const file = join(root, "target", name);
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 4).toString(), "%PDF");
  return { file, text: execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }) };
}

test("a donor opens the link on a phone and downloads the certificate", async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "fr-FR", acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(link);
  assert.equal((await page.textContent("h1")).trim(), "Le devenir de votre don");
  assert.match(await page.textContent("main"), /Mairie de Brest/);
  assert.match(await page.textContent("ul.stages"), /2\s+effacés/);
  // Summary first: the devices are listed once asked for, here by their stage.
  assert.equal(await page.locator("ul.devices li").count(), 0);
  await page.click("ul.stages a[href*='stage=erased']");
  await page.waitForURL(/stage=erased/);
  assert.equal(await page.locator("ul.devices li").count(), 2);
  // Nothing is wider than the phone.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page fits the phone: ${width}px`);
  await page.screenshot({ path: join(shots, "portal.png"), fullPage: true });

  const { file, text } = await pdfBehind(page, page.locator("ul.certificates a.button").first(), "portal-e2e.pdf");
  assert.match(text, new RegExp(number));
  assert.match(text, /MAIRIE-0/);
  // The instance's own check accepts the file the donor got.
  assert.match(await verify(file), /^ok /);
  await context.close();
});

test("a coordinator issues the lot's impact statement; the donor downloads it from the portal", async () => {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  const page = await desk.newPage();
  await page.goto(`${retrace.base}/lots/${lotId}`);
  assert.match(page.url(), /\/login\?next=/);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${retrace.base}/lots/${lotId}`);
  const form = page.locator("#statement-form");
  await form.locator("input[name=scope][value=lot]").check();
  await form.locator("select[name=language]").selectOption("en");
  await Promise.all([page.waitForURL(/#statements$/), form.locator("button[type=submit]").click()]);
  const listed = page.locator("#lot-certificates li", { hasText: "attestation d’impact" });
  assert.equal(await listed.count(), 1);
  await desk.close();

  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "fr-FR", acceptDownloads: true,
  });
  const phone = await context.newPage();
  await phone.goto(link);
  const statement = phone.locator("ul.certificates a.button", { hasText: "attestation d’impact" });
  assert.equal(await statement.count(), 1);
  const { file, text } = await pdfBehind(phone, statement, "statement-e2e.pdf");
  assert.match(text, /Donation impact statement/);
  assert.match(text, /Mairie de Brest/);
  assert.match(text, /ESRS E5/);
  assert.match(await verify(file), /^ok /);
  await context.close();
});
