#!/usr/bin/env node
// Time the home page of a built site in Debian's headless Chromium, opened
// from disk: first render (navigation start to the load event, by then the
// map and the directory are drawn) and a filter click (from the click on
// the first network's box to the second animation frame after it, by then
// the page has been filtered and painted). Median of RUNS fresh pages.
// Prints figures; asserts nothing.
//
//   node tests/bench/page_timing.mjs OUTPUT_FOLDER
import path from "node:path";
import { pathToFileURL } from "node:url";

const RUNS = 5;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main() {
  const { chromium } = await import("../browser/node_modules/playwright-core/index.mjs");
  const url = pathToFileURL(path.resolve(process.argv[2], "index.html")).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  const render = [], click = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url, { waitUntil: "load", timeout: 120000 });
      render.push(await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0];
        return n.loadEventEnd || n.duration;
      }));
      click.push(await page.evaluate(() => new Promise((done) => {
        const box = document.querySelector('.filter[data-facet="networks"] input');
        const t0 = performance.now();
        box.click();
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
      })));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log("%s %s ms", "first render (median of " + RUNS + ")".padEnd(40), median(render).toFixed(0).padStart(10));
  console.log("%s %s ms", "filter click (median of " + RUNS + ")".padEnd(40), median(click).toFixed(0).padStart(10));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
