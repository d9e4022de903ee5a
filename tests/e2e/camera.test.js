// The scan page's camera: Chromium films a printed Retrace label (its fake
// capture device plays the label as a video) and the page must find the code,
// stop the camera and open the device.
//
// Chromium has no BarcodeDetector on Linux (it has one on Android, macOS and
// ChromeOS, where workshops' phones are), so the page is given a stand-in
// built on jsQR before it loads: what is tested is Retrace's page — that it
// offers the camera where a detector exists, feeds it the video and acts on
// what it reads — with a real QR decoder reading a real label from a video.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { startRetrace, email, password, launchChromium } from "./retrace.js";

const jsQR = createRequire(import.meta.url).resolve("jsqr/dist/jsQR.js");
const dir = mkdtempSync(join(tmpdir(), "retrace-camera-"));
let retrace;
let browser;

before(async () => {
  retrace = await startRetrace();
});

after(async () => {
  await browser?.close();
  retrace?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/// A still video (YUV4MPEG2, what Chromium's fake camera plays) of the
/// grayscale PGM image at `pgm`, centred on a white 640 × 480 frame.
function videoOf(pgm) {
  const bytes = readFileSync(pgm);
  const header = bytes.toString("latin1", 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  assert.ok(header, "pdftoppm -gray writes a binary PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = bytes.subarray(header[0].length);
  const [W, H] = [640, 480];
  assert.ok(width <= W && height <= H, `label image ${width}×${height} fits the frame`);
  const luma = Buffer.alloc(W * H, 255);
  const [left, top] = [(W - width) >> 1, (H - height) >> 1];
  for (let y = 0; y < height; y++) {
    pixels.copy(luma, (top + y) * W + left, y * width, (y + 1) * width);
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`),
    luma,
    chroma,
  ]);
}

test("the camera reads a printed label and opens its device", async () => {
  const { base, download } = retrace;
  const device = await retrace.laptop("PFCAM001");
  const pdf = join(dir, "label.pdf");
  writeFileSync(pdf, await download(`/api/v1/labels?device_ids=${device.id}&format=roll-62x29`));
  execFileSync("pdftoppm", ["-gray", "-r", "150", "-singlefile", pdf, join(dir, "label")]);
  const video = join(dir, "label.y4m");
  writeFileSync(video, videoOf(join(dir, "label.pgm")));

  browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`]);
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "fr-FR",
  });
  await context.grantPermissions(["camera"]);
  await context.addInitScript({ path: jsQR });
  await context.addInitScript(() => {
    window.BarcodeDetector = class {
      async detect(video) {
        const [width, height] = [video.videoWidth, video.videoHeight];
        if (!width) return [];
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d");
        context.drawImage(video, 0, 0);
        const code = jsQR(context.getImageData(0, 0, width, height).data, width, height);
        return code ? [{ format: "qr_code", rawValue: code.data }] : [];
      }
    };
  });
  const page = await context.newPage();
  await page.goto(`${base}/scan`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/scan`);

  assert.ok(await page.isVisible("#scan-camera"), "a detector: the camera is offered");
  await page.click("#scan-camera");
  await page.waitForURL(`${base}/d/${device.asset_tag}`);
  assert.equal(await page.textContent("#asset-tag"), device.asset_tag);
  await context.close();
});
