// The home page of a large site (more than 1,000 institutions: clusters on
// the map, countries with counts in the directory, entries and the search
// index loaded as scripts when needed), on a 2,000-record site made as
// tests/bench/scale.py makes it and opened from disk (file:), where a page
// may not fetch() its data.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { eventually } from "../lib/harness.mjs";
import { axe } from "./pages.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..", "..");
const N = 2000;
/* A school of scale.py's site: the example's Moi University, copy 1046. */
const SCHOOL = { slug: "school-001046", name: "Moi University School of Medicine 1046", country: "ke" };

let built = null;
/* The site, built once for every test of this file; removed at exit. */
function site(tool) {
  if (built) return built;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnermap-cluster-"));
  process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = path.join(tmp, "src"), out = path.join(tmp, "out");
  const make = spawnSync("python3", ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import scale; scale.make_site(sys.argv[2], int(sys.argv[3]))",
    path.join(ROOT, "tests", "bench"), src, String(N)], { encoding: "utf8" });
  assert.equal(make.status, 0, make.stderr);
  const b = spawnSync(tool, ["build", "-q", "-C", src, "-o", out], { encoding: "utf8", timeout: 120000 });
  assert.equal(b.status, 0, b.stderr);
  built = pathToFileURL(path.join(out, "index.html")).href;
  return built;
}

/* The entries shown in the directory (not inside anything hidden). */
const shownEntries = (page) => page.evaluate(() =>
  [...document.querySelectorAll(".directory li.inst")].filter((li) => !li.closest("[hidden]")).map((li) => li.dataset.slug));

export default function register(suite, { tool }) {
  const test = suite.test.bind(suite);
  const opts = { timeout: 120000 };

  test("cluster: without JavaScript, clusters count every school and link to their country's page", async (t) => {
    const page = await (await t.context({ js: false })).newPage();
    t.watch(page);
    await page.goto(site(tool));
    const counts = await page.$$eval("svg.pm-map a.cluster", (as) => as.map((a) => [a.dataset.count, a.getAttribute("href")]));
    const lone = await page.locator("svg.pm-map a.marker").count();
    assert.ok(counts.length > 20, `${counts.length} clusters`);
    assert.equal(counts.reduce((s, c) => s + Number(c[0]), 0) + lone, N);
    for (const [, href] of counts) assert.match(href, /^countries\/[a-z]{2}\/index\.html$/);
    const kenya = page.locator('svg.pm-map a.cluster[href="countries/ke/index.html"]').first();
    /* from the keyboard: a neighbour's disc may overlap it on screen */
    await kenya.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/countries\/ke\/index\.html$/);
    assert.equal(await page.locator("h1").innerText(), "Kenya");
  }, opts);

  test("cluster: the directory opens a country from the keyboard, its entries loaded then", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    await page.goto(site(tool));
    assert.equal(await page.locator(".directory li.inst").count(), 0);
    const open = page.locator(`.dir-country[data-country="${SCHOOL.country}"] .dir-open`);
    await open.focus();
    await page.keyboard.press("Enter");
    await eventually(async () => assert.ok((await shownEntries(page)).includes(SCHOOL.slug)), 10000);
    const kenya = await page.locator(`.dir-country[data-country="${SCHOOL.country}"] li.inst`).count();
    assert.ok(kenya > 20, `${kenya} entries`);
    assert.equal(await page.evaluate(() => document.activeElement.closest("li.inst") !== null), true, "focus on the first entry");
  }, opts);

  test("cluster: a long country's list comes in chunks, Show more loads the next from the keyboard", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    await page.goto(site(tool));
    const chunk = Number(await page.locator("#search").getAttribute("data-chunk"));
    /* the country with the most entries, and how many it has */
    const [code, total] = await page.$$eval(".dir-country", (gs) => gs
      .map((g) => [g.dataset.country, Number(g.querySelector(".dir-count").textContent.replace(/\D/g, ""))])
      .sort((a, b) => b[1] - a[1])[0]);
    assert.ok(total > chunk, `${code}: ${total} entries, chunks of ${chunk}`);
    const g = page.locator(`.dir-country[data-country="${code}"]`);
    await g.locator(".dir-open").click();
    await eventually(async () => assert.equal(await g.locator("li.inst").count(), chunk), 10000);
    await g.locator(".dir-more").focus();
    assert.equal(await g.locator(".dir-more").innerText(), "Show more");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await g.locator("li.inst").count(), Math.min(2 * chunk, total)), 10000);
    /* focus on the first new entry */
    assert.equal(await page.evaluate(() => {
      const li = document.activeElement.closest("li.inst");
      return li ? [...li.parentNode.children].indexOf(li) : -1;
    }), chunk);
    assert.equal(await g.locator(".dir-more").count(), total > 2 * chunk ? 1 : 0);
  }, opts);

  test("cluster: a network box counts every institution without opening a country, then an opened country shows only its matches", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    const url = site(tool);
    await page.goto(url);
    /* what unticking "global" should leave, from partners.geojson */
    const geo = JSON.parse(fs.readFileSync(new URL("partners.geojson", url), "utf8"));
    const nets = await page.$$eval('input[name="net"]', (bs) => bs.map((b) => b.value));
    const keep = geo.features.map((f) => f.properties).filter((p) => p.networks.some((n) => n !== "global" && nets.includes(n)));
    const perCountry = {};
    keep.forEach((p) => { perCountry[p.country.toLowerCase()] = (perCountry[p.country.toLowerCase()] || 0) + 1; });
    assert.ok(keep.length > 0 && keep.length < N, `${keep.length} kept`);
    await page.locator("#filter-net-global").uncheck();
    const want = `Showing ${new Intl.NumberFormat("en").format(keep.length)} of 2,000 institutions`;
    await eventually(async () => assert.equal(await page.locator("#filter-status").innerText(), want), 10000);
    /* the countries left are those with a match */
    const shown = await page.$$eval(".dir-country", (gs) => gs.filter((g) => !g.hidden).map((g) => g.dataset.country));
    assert.deepEqual(shown.sort(), Object.keys(perCountry).sort());
    const code = shown[0], g = page.locator(`.dir-country[data-country="${code}"]`);
    await g.locator(".dir-open").click();
    await eventually(async () => assert.ok(await g.locator("li.inst").count() > 0), 10000);
    const slugs = new Set(keep.map((p) => p.slug));
    const entries = await g.locator("li.inst").evaluateAll((lis) => lis.filter((li) => !li.hidden).map((li) => li.dataset.slug));
    assert.ok(entries.length > 0 && entries.every((s) => slugs.has(s)), entries.join(" "));
  }, opts);

  test("cluster: search finds a school by name once its index has loaded", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    await page.goto(site(tool));
    await page.locator("#search").focus();
    await page.keyboard.type(SCHOOL.name.toLowerCase());
    await eventually(async () => assert.deepEqual(await shownEntries(page), [SCHOOL.slug]), 10000);
    await eventually(async () => assert.equal(await page.locator("#filter-status").innerText(), "Showing 1 of 2,000 institutions"), 5000);
  }, opts);

  test("cluster: axe finds nothing on the clustered home page", async (t) => {
    /* axe reads the style sheets itself, which file: refuses it (the
       page loads them): those errors are axe's, not the page's */
    t.allow(/CORS policy|ERR_FAILED/);
    const page = await (await t.context()).newPage();
    t.watch(page);
    await page.goto(site(tool));
    await page.locator(`.dir-country[data-country="${SCHOOL.country}"] .dir-open`).click();
    await page.waitForSelector(`li.inst[data-slug="${SCHOOL.slug}"]`);
    assert.deepEqual(await axe(t, page, "clustered home"), []);
  }, opts);
}
