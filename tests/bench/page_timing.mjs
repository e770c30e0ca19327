#!/usr/bin/env node
// Time the home page of a built site in Debian's headless Chromium, opened
// from disk. Median of RUNS fresh pages of:
// - first render: navigation start to the load event (by then the map and
//   the directory are drawn);
// - first click: a click on the first network's box until the live count
//   is written and painted (on a large site this includes loading the
//   facet index, countries/facets.js);
// - then CLICKS clicks more on the same page, in turn on that box and on
//   the first exchange level's box: "filter click" from the click to the
//   second animation frame after it (by then the page has been filtered
//   and painted), and "handler" the page's own synchronous work (the
//   click's event dispatch, filtering included).
// Prints figures; asserts nothing.
//
//   node tests/bench/page_timing.mjs OUTPUT_FOLDER
import path from "node:path";
import { pathToFileURL } from "node:url";

const RUNS = 5, CLICKS = 6;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/* In the page: click the box matching selector; resolves to [handler ms,
   ms to the second frame after, and with count, ms until the live count
   is written and painted]. */
function timeClick([selector, count]) {
  return new Promise((done) => {
    const box = document.querySelector(selector), status = document.querySelector("#filter-status"), got = [];
    let t0 = 0;
    const frames = (k) => requestAnimationFrame(() => requestAnimationFrame(() => {
      got[k] = performance.now() - t0;
      if (got[1] !== undefined && (!count || got[2] !== undefined)) done(got);
    }));
    const seen = new MutationObserver(() => { seen.disconnect(); frames(2); });
    if (count) seen.observe(status, { childList: true, characterData: true, subtree: true });
    t0 = performance.now();
    box.click();
    got[0] = performance.now() - t0;
    frames(1);
  });
}

async function main() {
  const { chromium } = await import("../browser/node_modules/playwright-core/index.mjs");
  const url = pathToFileURL(path.resolve(process.argv[2], "index.html")).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  const render = [], first = [], click = [], handler = [];
  const boxes = ['.filter[data-facet="networks"] input', '.filter[data-facet="exchanges"] input'];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url, { waitUntil: "load", timeout: 120000 });
      render.push(await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0];
        return n.loadEventEnd || n.duration;
      }));
      first.push((await page.evaluate(timeClick, [boxes[0], true]))[2]);
      for (let c = 1; c <= CLICKS; c++) {
        const [h, f] = await page.evaluate(timeClick, [boxes[c % 2], false]);
        handler.push(h);
        click.push(f);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const line = (what, v) => console.log("%s %s ms", what.padEnd(40), median(v).toFixed(0).padStart(10));
  line(`first render (median of ${RUNS})`, render);
  line(`first click to count (median of ${RUNS})`, first);
  line(`filter click (median of ${RUNS * CLICKS})`, click);
  line(`filter click handler (median of ${RUNS * CLICKS})`, handler);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
