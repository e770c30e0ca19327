#!/usr/bin/env node
// Time the home page of a built site in Debian's headless Chromium, opened
// from disk: first render (navigation start to the load event, by then the
// map and the directory are drawn) and a filter click (from the click on
// the first network's box to the second animation frame after it, by then
// the page has been filtered and painted), and that click until the
// live count is written and painted (on a large site, once the index the
// filters need has loaded). Median of RUNS fresh pages.
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
  const render = [], click = [], counted = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url, { waitUntil: "load", timeout: 120000 });
      render.push(await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0];
        return n.loadEventEnd || n.duration;
      }));
      const [c, n] = await page.evaluate(() => new Promise((done) => {
        const box = document.querySelector('.filter[data-facet="networks"] input');
        const status = document.querySelector("#filter-status"), got = [];
        const t0 = performance.now();
        const frames = (k) => requestAnimationFrame(() => requestAnimationFrame(() => {
          got[k] = performance.now() - t0;
          if (got[0] !== undefined && got[1] !== undefined) done(got);
        }));
        new MutationObserver((_, o) => { o.disconnect(); frames(1); })
          .observe(status, { childList: true, characterData: true, subtree: true });
        box.click();
        frames(0);
      }));
      click.push(c);
      counted.push(n);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log("%s %s ms", "first render (median of " + RUNS + ")".padEnd(40), median(render).toFixed(0).padStart(10));
  console.log("%s %s ms", "filter click (median of " + RUNS + ")".padEnd(40), median(click).toFixed(0).padStart(10));
  console.log("%s %s ms", "click to count (median of " + RUNS + ")".padEnd(40), median(counted).toFixed(0).padStart(10));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
