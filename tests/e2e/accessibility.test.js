// Every main page of the demo, for every role that opens it and for anyone
// without an account (sign-in, a donor's portal, a label's public card),
// read by axe-core in the same Chromium: no serious or critical WCAG 2.2
// A/AA violation. The demo's data fills every list and detail page.
//
// Needs a built `retrace` binary (RETRACE_BIN) and Chromium (CHROMIUM).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, launchChromium } from "./retrace.js";
import { startDemo, demoPages, demoPassword } from "./demo.js";

const axeSource = readFileSync(join(root, "tests/e2e/node_modules/axe-core/axe.min.js"), "utf8");
let demo;
let browser;

before(async () => {
  demo = await startDemo();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  demo?.stop();
});

async function violations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

for (const [email, list] of Object.entries(demoPages)) {
  test(`every page ${email} opens reads well to axe-core`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR", bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${demo.base}/login`);
    await page.fill("input[name=email]", email);
    await page.fill("input[name=password]", demoPassword);
    await page.click("main button[type=submit]");
    await page.waitForLoadState();
    const pages = (await list(page, demo.base)).filter(([, path]) => path);
    assert.ok(pages.length >= 5, `${email}: ${pages}`);
    for (const [name, path] of pages) {
      const response = await page.goto(demo.base + path);
      assert.ok(response.status() < 400, `${name} (${path}): ${response.status()}`);
      assert.deepEqual(await violations(page), [], `${name} (${path})`);
    }
    await context.close();
  });
}

test("the pages anyone opens read well to axe-core", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR", bypassCSP: true });
  const page = await context.newPage();
  for (const address of [`${demo.base}/login`, demo.portal, `${demo.base}/d/BRE-000001-K`, `${demo.base}/nowhere`]) {
    await page.goto(address);
    assert.deepEqual(await violations(page), [], address);
  }
  await context.close();
});
