// Every main page of Retrace, on a phone and on a desk, as the demo's people
// see it: `scripts/screenshots.sh` runs this against a fresh `serve --demo`
// and writes docs/screenshots/{phone,desktop}/<page>.png, which the README
// shows. Run it again after changing a page.
//
// Needs a built `retrace` binary (RETRACE_BIN) and Chromium (CHROMIUM).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { root, launchChromium } from "./retrace.js";
import { startDemo, demoPages, demoPassword as password } from "./demo.js";

const out = process.env.SCREENSHOTS ?? join(root, "docs/screenshots");
const screens = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1366, height: 900 } },
};

/// The page as far as two screens and a half: what a person sees of it
/// first (a list of two hundred devices would weigh megabytes).
async function shoot(page, path) {
  const { width, height } = page.viewportSize();
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, Math.round(height * 2.5)) } });
}

try {
  for (const [screen, options] of Object.entries(screens)) {
    mkdirSync(join(out, screen), { recursive: true });
    for (const [email, list] of Object.entries(demoPages)) {
      const context = await browser.newContext({ ...options, locale: "fr-FR" });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", password);
      await page.click("main button[type=submit]");
      await page.waitForLoadState();
      for (const [name, path] of await list(page, base)) {
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
