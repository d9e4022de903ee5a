// Each role's day in a real headless Chromium, in French, and one person's
// in English: a technician takes a desktop from received to ready on a
// phone (the hardware report, a real nwipe log, a drive attached by hand, a
// destruction, the system, the check); a coordinator records a donor and a
// lot at a desk, imports the donor's list, prints the new labels, issues the
// donor certificate and opens its verify page, and invites a technician who
// signs in and switches to English; a funder lands on the report and is
// offered nothing they cannot do. axe-core checks every page each of them
// opens: no serious or critical WCAG 2.2 AA violation.
//
// Needs a built `retrace` binary (RETRACE_BIN) and Chromium (CHROMIUM).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRetrace, root, email, password, launchChromium } from "./retrace.js";

const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");
const axeSource = readFileSync(join(root, "tests/e2e/node_modules/axe-core/axe.min.js"), "utf8");
const fixture = (path) => join(root, "tests/fixtures", path);

let retrace;
let browser;

before(async () => {
  retrace = await startRetrace();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  retrace?.stop();
});

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desk = { viewport: { width: 1366, height: 900 } };

async function open(screen, locale = "fr-FR") {
  // axe-core is injected as a script of the test's own, which the pages'
  // Content-Security-Policy would (rightly) refuse.
  const context = await browser.newContext({ ...screen, locale, bypassCSP: true });
  return context.newPage();
}

/// WCAG 2.2 A and AA, as axe-core reads the page: nothing serious or critical.
async function accessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }));
  const serious = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(serious, [], `${what} (${page.url()})`);
}

/// Opens `path`, checks it answers and reads well; returns the page.
async function visit(page, path, what = path) {
  const response = await page.goto(retrace.base + path);
  assert.ok(response.status() < 400, `${what}: ${response.status()}`);
  await accessible(page, what);
  return page;
}

async function signIn(page, who, secret = password) {
  await page.goto(`${retrace.base}/login`);
  await accessible(page, "the sign-in page");
  await page.fill("input[name=email]", who);
  await page.fill("input[name=password]", secret);
  await page.click("main button[type=submit]");
  await page.waitForLoadState();
}

/// An account made through the API by the site's coordinator.
async function account(role, address) {
  await retrace.api("POST", "/api/v1/users", {
    email: address, role, site_id: retrace.siteId, password,
  });
  return address;
}

/// Every page this person's navigation offers, each opened and checked.
async function everyPageOffered(page, who) {
  const links = await page.locator("nav.wide a, .menu nav a").evaluateAll((as) =>
    [...new Set(as.map((a) => a.getAttribute("href")))]);
  assert.ok(links.length >= 4, `${who}: ${links}`);
  for (const link of links) {
    await visit(page, link, `${who}: ${link}`);
  }
  return links;
}

test("a technician takes a desktop from received to ready on a phone", async () => {
  const technician = await account("technician", "technicien-e2e@atelier.test");
  const device = await retrace.api("POST", "/api/v1/devices", { site_id: retrace.siteId, kind: "desktop" });
  const page = await open(phone);
  await signIn(page, technician);
  await accessible(page, "the technician's dashboard");
  assert.match(await page.textContent("#bench"), /à inventorier/);

  // Two taps to any page: the menu, then the link.
  await page.click(".menu summary");
  await page.click(".menu nav a[href='/scan']");
  await page.waitForURL(`${retrace.base}/scan`);
  await page.fill("#scan-code", device.asset_tag);
  await page.press("#scan-code", "Enter");
  await page.waitForURL(`${retrace.base}/d/${device.asset_tag}`);
  await accessible(page, "a received device");

  // The hardware report: the desktop's SATA drive, and the device inventoried.
  await page.setInputFiles("#lshw-form input[type=file]", fixture("hardware/lshw_hp_compaq_8100_elite_sff.json"));
  await page.click("#lshw-form button[type=submit]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "inventoried");
  await page.click("#add-medium summary");
  await page.selectOption("#medium-form select[name=kind]", "hdd");
  await page.fill("#medium-form input[name=serial_number]", "WD-OLD-E2E");
  await page.click("#medium-form button[type=submit]");
  await page.waitForLoadState();
  await page.click("button[data-action=start_erasure]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "erasing");
  await accessible(page, "a device being erased");

  // The real nwipe log: its drives match nothing here, and are listed.
  await page.setInputFiles("#nwipe-form input[type=file]", fixture("nwipe/dodshort_two_drives.log"));
  await page.click("#nwipe-form button[type=submit]");
  await page.waitForLoadState();
  assert.equal(await page.locator("form.attach").count(), 2);
  await accessible(page, "an nwipe log's drives to attach");
  await page.screenshot({ path: join(shots, "bench-log.png"), fullPage: true });
  // The first drive is the SSD the report listed.
  const ssd = await page.locator("form.attach").first().locator("select[name=medium] option", { hasText: "SSD" }).getAttribute("value");
  await page.locator("form.attach").first().locator("select[name=medium]").selectOption(ssd);
  await page.locator("form.attach").first().locator("button[type=submit]").click();
  await page.waitForURL(new RegExp(`/d/${device.asset_tag}#erasures$`));

  // The old disk is destroyed, before a witness.
  await page.click("#destroy summary");
  await page.selectOption("#destruction-form select[name=technique]", "shred");
  await page.fill("#destruction-form input[name=witness]", "Jeanne Témoin");
  await page.click("#destruction-form button[type=submit]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "sanitized");
  assert.match(await page.textContent("#erasures"), /Broyage/);
  assert.match(await page.textContent("#erasures"), /DoD Short/);

  // Refurbished, its system installed, checked: ready.
  await page.click("button[data-action=start_refurbish]");
  await page.waitForLoadState();
  await page.click("button[data-action=install_os]");
  await page.waitForLoadState();
  for (const box of await page.locator("input[name^=qc_]").all()) await box.check();
  await page.click("button[data-action=pass_qc]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "ready");
  await accessible(page, "a ready device");
  // The history says who did each step.
  assert.match(await page.textContent("#history"), /technicien-e2e|Technicien/i);
  await page.screenshot({ path: join(shots, "device-ready.png"), fullPage: true });

  await everyPageOffered(page, "technician");
  await page.context().close();
});

test("a coordinator records a donation, prints its new labels and certifies it, then invites someone", async () => {
  const page = await open(desk);
  await signIn(page, email);
  await accessible(page, "the coordinator's dashboard");

  await visit(page, "/donors");
  await page.fill("#new-donor input[name=name]", "Mairie de Brest");
  await page.selectOption("#new-donor select[name=kind]", "public_body");
  await page.fill("#new-donor input[name=siret]", "73282932000074");
  await page.click("#new-donor button[type=submit]");
  await page.waitForURL(/\/donors\/[0-9a-f-]+$/);
  await accessible(page, "a donor");
  await page.click("a[href^='/lots/new?donor_id=']");
  await page.waitForURL(/\/lots\/new\?donor_id=/);
  await accessible(page, "the new lot form");
  await page.fill("input[name=declared_count]", "2");
  await page.fill("input[name=weight_kg]", "14,5");
  await page.click("#new-lot button[type=submit]");
  await page.waitForURL(/\/lots\/[0-9a-f-]+$/);
  const lot = page.url().split("/").at(-1);

  // The donor's list of two laptops, checked then imported.
  const list = join(root, "target", "e2e-liste.csv");
  writeFileSync(list, "Numéro de série;Fabricant;Modèle;Type\nPF-E2E-LOT1;Lenovo;ThinkPad T480;Portable\nPF-E2E-LOT2;Dell;Latitude 5490;Portable\n");
  await page.setInputFiles("#import-form input[type=file]", list);
  await page.uncheck("#import-form input[name=dry_run]");
  await page.click("#import-form button[type=submit]");
  await page.waitForLoadState();
  assert.match(await page.textContent("#import-result"), /2/);
  await accessible(page, "a lot after its import");
  // The labels of the new devices only: a PDF in a new tab.
  const [labels] = await Promise.all([
    page.context().waitForEvent("page"),
    page.click("#new-labels button[type=submit]"),
  ]);
  // (The tab shows Chromium's PDF viewer; the document is what its address answers.)
  await labels.waitForLoadState();
  const printed = await page.context().request.get(labels.url());
  assert.equal(printed.headers()["content-type"], "application/pdf");
  assert.match(labels.url(), /since=/);
  await labels.close();

  // Both laptops are erased at the bench (through the API here), then the
  // donor certificate is issued from the lot page and verified.
  const devices = (await retrace.api("GET", `/api/v1/devices?lot_id=${lot}`)).items;
  for (const device of devices) {
    const medium = await retrace.api("POST", `/api/v1/devices/${device.id}/media`, { kind: "ssd", serial_number: `S-${device.asset_tag}` });
    await retrace.api("POST", `/api/v1/devices/${device.id}/events`, { action: "audit", expected_version: device.version });
    await retrace.api("POST", "/api/v1/erasures", {
      medium_id: medium.id, category: "purge", technique: "crypto_erase", verification: "sampling",
      verification_result: "passed", destination: "reuse_internal", outcome: "passed",
    });
  }
  await visit(page, `/lots/${lot}`, "a lot ready to certify");
  await page.click("#donor-certificate-form button[type=submit]");
  await page.waitForURL(new RegExp(`/lots/${lot}#statements$`));
  const verify = await page.locator("#lot-certificates a[href^='/verify/']").first().getAttribute("href");
  await visit(page, verify, "the certificate's verify page");
  assert.match(await page.textContent("body"), /Signature valide/);

  // An invitation; she signs in and reads English.
  await visit(page, "/users");
  await page.fill("#invite input[name=email]", "nolwenn-e2e@atelier.test");
  await page.fill("#invite input[name=display_name]", "Nolwenn Tanguy");
  await page.selectOption("#invite select[name=role]", "technician");
  await page.fill("#invite input[name=password]", "un premier mot de passe");
  await page.click("#invite button[type=submit]");
  await page.waitForURL(/\/users\/[0-9a-f-]+$/);
  await accessible(page, "an account");
  await page.screenshot({ path: join(shots, "users.png"), fullPage: true });
  await everyPageOffered(page, "coordinator");
  await page.context().close();

  const hers = await open(phone);
  await signIn(hers, "nolwenn-e2e@atelier.test", "un premier mot de passe");
  await visit(hers, "/account");
  await hers.selectOption("#language select[name=language]", "en");
  await hers.click("#language button[type=submit]");
  await hers.waitForLoadState();
  assert.equal(await hers.getAttribute("html", "lang"), "en");
  assert.match(await hers.textContent("h1"), /My account/);
  await visit(hers, "/", "an English dashboard");
  assert.match(await hers.textContent("main"), /At the bench/);
  await everyPageOffered(hers, "a technician in English");
  await hers.context().close();
});

test("a funder lands on the report and is offered nothing they cannot do", async () => {
  const viewer = await account("viewer", "financeur-e2e@atelier.test");
  const page = await open(desk);
  await signIn(page, viewer);
  assert.equal(new URL(page.url()).pathname, "/reports");
  await accessible(page, "the report");
  const links = await everyPageOffered(page, "viewer");
  for (const forbidden of ["/scan", "/audits", "/allocations", "/users", "/shipments"]) {
    assert.ok(!links.includes(forbidden), `a viewer is offered ${forbidden}`);
  }
  // On every page offered, no form but their own account's and signing out.
  for (const link of links) {
    await page.goto(retrace.base + link);
    const actions = await page.locator("main form[method=post]").evaluateAll((forms) => forms.map((f) => f.getAttribute("action")));
    const theirs = actions.filter((a) => !a.startsWith("/account"));
    assert.deepEqual(theirs, [], `${link} offers a viewer ${theirs}`);
  }
  await page.context().close();
});

test("without JavaScript, a device page still records a step and the menu still opens", async () => {
  const context = await browser.newContext({ ...phone, locale: "fr-FR", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${retrace.base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("main button[type=submit]");
  await page.waitForLoadState();
  const device = await retrace.api("POST", "/api/v1/devices", { site_id: retrace.siteId, kind: "laptop" });
  await page.goto(`${retrace.base}/d/${device.asset_tag}`);
  await page.click("button[data-action=audit]");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("#device-state", "data-state"), "inventoried");
  // The menu is a <details>: it opens without a script.
  await page.click(".menu summary");
  assert.ok(await page.isVisible(".menu nav a[href='/lots']"));
  await context.close();
});
