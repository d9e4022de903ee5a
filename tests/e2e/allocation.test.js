// Giving a device away in a real headless Chromium on a phone-sized screen:
// a coordinator records a beneficiary, allocates a ready laptop from the
// stock, prints the handover form, has it signed with a finger and hands the
// laptop over; later a technician scans it back in and records the return.
//
// Needs a built `retrace` binary and Chromium, as workshop.test.js.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRetrace, root, email, password, launchChromium } from "./retrace.js";

const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");
const technician = "technicien@atelier.test";

let retrace;
let browser;

before(async () => {
  retrace = await startRetrace();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  await retrace.api("POST", "/api/v1/users", {
    email: technician, role: "technician", site_id: retrace.siteId, password,
  });
});

after(async () => {
  await browser?.close();
  retrace?.stop();
});

async function phone() {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "fr-FR",
  });
  return context.newPage();
}

async function signIn(page, who, next) {
  await page.goto(retrace.base + next);
  await page.fill("input[name=email]", who);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(retrace.base + next);
}

/// A laptop through erasure, refurbishment and QC: ready to give.
async function readyLaptop(serial) {
  const { api } = retrace;
  let device = await retrace.laptop(serial);
  const medium = await api("POST", `/api/v1/devices/${device.id}/media`, { kind: "ssd", serial_number: `${serial}-SSD` });
  const step = async (action, extra = {}) => {
    const answer = await api("POST", `/api/v1/devices/${device.id}/events`, { action, expected_version: device.version, ...extra });
    device = answer.device;
  };
  await step("audit");
  await api("POST", `/api/v1/media/${medium.id}/events`, { action: "record_erasure", expected_version: medium.version, outcome: "passed", method: "nwipe PRNG" });
  device = await api("GET", `/api/v1/devices/${device.id}`);
  await step("start_refurbish");
  await step("install_os", { os: "Linux Mint 22.1" });
  await step("pass_qc", { checklist: { boot: true, keyboard: true, screen: true, battery: true, network: true, os: true } });
  assert.equal(device.state, "ready");
  return device;
}

test("a coordinator allocates a ready laptop, prints and signs the handover form on a phone", async () => {
  const device = await readyLaptop("PF1ALLOC1");
  const page = await phone();
  await signIn(page, email, "/beneficiaries");

  // A beneficiary: pseudonymous, a name for the workshop's eyes only.
  await page.selectOption("select[name=category]", "job_seeker");
  await page.fill("input[name=postcode]", "29200");
  await page.fill("input[name=referring_partner]", "Pôle emploi Brest");
  await page.fill("input[name=name]", "Maël Le Bihan");
  await page.click("#new-beneficiary button[type=submit]");
  await page.waitForURL(/\/beneficiaries\/[0-9a-f-]+$/);
  const reference = (await page.textContent("#reference")).trim();
  assert.match(reference, /^BRE-B-/);

  // From the stock to the allocation.
  await page.goto(`${retrace.base}/stock`);
  const card = page.locator(`li[data-tag="${device.asset_tag}"]`);
  await card.locator("a.button").click();
  await page.waitForURL(/\/allocations\/new\?device_id=/);
  await page.check("input[name=conditions][value=solidarity_price]");
  await page.fill("input[name=price_euros]", "40");
  await page.screenshot({ path: join(shots, "allocate.png"), fullPage: true });
  await page.click("#allocate button[type=submit]");
  await page.waitForURL(/\/allocations\/[0-9a-f-]+$/);
  assert.equal(await page.getAttribute("#allocation-state", "data-state"), "reserved");
  const allocation = page.url();

  // The handover form, as the phone's browser downloads it.
  const href = await page.getAttribute("#handover-form", "href");
  const form = await page.request.get(retrace.base + href);
  assert.equal(form.headers()["content-type"], "application/pdf");
  const pdf = join(root, "target", "handover-e2e.pdf");
  writeFileSync(pdf, await form.body());
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  assert.match(text, /Fiche de remise/);
  assert.match(text, /Maël Le Bihan/);
  assert.match(text, new RegExp(device.asset_tag));

  // Signed with a finger on the pad.
  const pad = await page.locator("#pad").boundingBox();
  assert.ok(pad.width > 300, "the pad fills the phone's width");
  await page.mouse.move(pad.x + 20, pad.y + pad.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(pad.x + 20 + i * 22, pad.y + pad.height * (0.7 - 0.4 * Math.sin(i / 2)));
  }
  await page.mouse.up();
  assert.equal(await page.isDisabled("#save-signature"), false);
  await page.screenshot({ path: join(shots, "signature.png"), fullPage: true });
  await page.click("#save-signature");
  await page.waitForURL(allocation);
  assert.equal(await page.getAttribute("#acceptance", "data-acceptance"), "signed_on_device");

  // The signature is on the form now.
  const signed = await page.request.get(retrace.base + href);
  assert.ok((await signed.body()).length > (await form.body()).length, "the strokes are drawn into the form");

  await page.click("#deliver");
  await page.waitForURL(allocation);
  assert.equal(await page.getAttribute("#allocation-state", "data-state"), "delivered");
  assert.equal((await retrace.api("GET", `/api/v1/devices/${device.id}`)).state, "delivered");
  await page.context().close();
});

test("a technician scans a returned laptop and records why it came back", async () => {
  const device = await readyLaptop("PF1ALLOC2");
  const { api } = retrace;
  const person = await api("POST", "/api/v1/beneficiaries", { category: "school" });
  const allocation = await api("POST", "/api/v1/allocations", {
    device_id: device.id, beneficiary_id: person.id, conditions: { kind: "free" }, warranty_months: 6,
  });
  await api("POST", `/api/v1/allocations/${allocation.id}/deliver`, { expected_version: allocation.version });

  const page = await phone();
  await signIn(page, technician, "/scan");
  await page.fill("#scan-code", device.asset_tag);
  await page.press("#scan-code", "Enter");
  await page.waitForURL(`${retrace.base}/d/${device.asset_tag}`);
  assert.equal(await page.getAttribute("#device-state", "data-state"), "delivered");
  await page.selectOption("select[name=reason]", "warranty_fault");
  await page.fill("form:has(button[data-action=return]) input[name=note]", "écran qui clignote");
  await page.screenshot({ path: join(shots, "return.png"), fullPage: true });
  await page.click("button[data-action=return]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "received");

  const after = await api("GET", `/api/v1/allocations/${allocation.id}`);
  assert.equal(after.state, "returned");
  assert.equal(after.return.reason, "warranty_fault");
  assert.equal(after.return.fault_description, "écran qui clignote");
  await page.context().close();
});
