// The impact report's page in a real headless Chromium, in French and in
// English: the figures beside the period before, and the server's SVG charts
// drawn and visible — what a coordinator shows a funder.
//
// Needs a built `retrace` binary and Chromium, as workshop.test.js.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startRetrace, root, email, password, launchChromium } from "./retrace.js";

const english = "lecture.en@atelier.test";

const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");

let retrace;
let browser;

before(async () => {
  retrace = await startRetrace();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  const { api, siteId } = retrace;
  // A little of everything: devices in, a team with hours, a beneficiary served.
  for (const serial of ["RPT1", "RPT2", "RPT3"]) await retrace.laptop(serial);
  const worker = await api("POST", "/api/v1/workers", {
    display_name: "Nolwenn", contract_kind: "insertion", started_on: "2026-01-05", weekly_hours: 26,
  });
  const today = new Date().toISOString().slice(0, 10);
  await api("POST", "/api/v1/timesheets", { worker_id: worker.id, date: today, hours: 7, activity: "repair" });
  await api("POST", "/api/v1/beneficiaries", { site_id: siteId, category: "student", postcode: "29200" });
  // The pages speak the account's language first: an English-speaking viewer.
  await api("POST", "/api/v1/users", { email: english, role: "viewer", site_id: siteId, password, locale: "en" });
});

after(async () => {
  await browser?.close();
  retrace?.stop();
});

for (const [locale, who, title, reused] of [
  ["fr-FR", email, "Rapport d’impact", "Appareils réemployés (remis)"],
  ["en-GB", english, "Impact report", "Devices reused (delivered)"],
]) {
  test(`the report's page, in ${locale}, draws its charts`, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale });
    const page = await context.newPage();
    await page.goto(`${retrace.base}/reports`);
    await page.fill("input[name=email]", who);
    await page.fill("input[name=password]", password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${retrace.base}/reports`);
    assert.equal((await page.textContent("h1")).trim(), title);
    const charts = page.locator("#charts svg.chart");
    assert.equal(await charts.count(), 3);
    for (let i = 0; i < 3; i++) {
      const box = await charts.nth(i).boundingBox();
      assert.ok(box.width > 250 && box.height > 60, `chart ${i} is drawn: ${JSON.stringify(box)}`);
      assert.ok(await charts.nth(i).isVisible());
    }
    // Collected this year: the three laptops, drawn as a bar.
    assert.ok((await page.textContent("#figures")).includes(reused));
    const collected = await page.locator("#figures tbody tr").first().locator("td").first().textContent();
    assert.equal(collected.trim(), "3");
    const bar = charts.first().locator("rect[fill='#0b6e4f']").nth(1);
    assert.ok((await bar.boundingBox()).width > 20, "the collected bar has a length");
    if (locale === "fr-FR") await page.screenshot({ path: join(shots, "report.png"), fullPage: true });
    await context.close();
  });
}
