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
export function site(tool) {
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

/* The value a data script of the site at url hands to pmData. */
const payload = (url, rel) => {
  const text = fs.readFileSync(new URL(rel, url), "utf8");
  return JSON.parse(text.slice(text.indexOf(",") + 1, -3));
};

/* The slugs of country code's entries in directory order, from its
   list chunks. */
function countrySlugs(url, code) {
  const slugs = [];
  for (let name = "list-1.js"; name;) {
    const part = payload(url, `countries/${code}/${name}`);
    slugs.push(...[...part.html.matchAll(/<li class="inst" data-slug="([^"]+)"/g)].map((m) => m[1]));
    name = part.next;
  }
  return slugs;
}

/* A cluster of the page (level 0) whose members fall in more than one
   cluster of level 1: {code, key, count, finer: {level-1 key: count}}. */
function findSplit(url) {
  const index = payload(url, "countries/facets.js");
  for (const [code, cells] of Object.entries(index.cells)) {
    const z = fs.existsSync(new URL(`countries/${code}/zoom.js`, url)) && payload(url, `countries/${code}/zoom.js`);
    if (!z) continue;
    const [l0, l1] = z.levels;
    for (let j = 0; j < cells.k.length; j++) {
      const finer = {};
      l0.of.forEach((c, e) => {
        if (c === j) finer[l1.k[l1.of[e]][3]] = (finer[l1.k[l1.of[e]][3]] || 0) + 1;
      });
      if (cells.k[j][2] > 1 && Object.keys(finer).length > 1) return { code, key: cells.k[j][3], count: cells.k[j][2], finer };
    }
  }
  return null;
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

  test("cluster: entering a cluster zooms in and splits it into the finer level's clusters, focus on one of them", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    const url = site(tool);
    await page.goto(url);
    /* a cluster of the page whose members fall in several clusters of
       level 1 (from its country's zoom.js), and those clusters' counts */
    const split = findSplit(url);
    assert.ok(split, "some cluster splits at level 1");
    const { code, key, count, finer } = split;
    await page.locator(`svg.pm-map a.cluster[data-key="${key}"]`).focus();
    await page.keyboard.press("Enter");
    const drawn = () => page.$$eval(`g.zoom-level[data-country="${code}"] a`, (as) =>
      Object.fromEntries(as.map((a) => [a.dataset.key, Number(a.dataset.count)])));
    await eventually(async () => {
      const got = await drawn();
      for (const [k, n] of Object.entries(finer)) assert.equal(got[k], n, k);
    }, 10000);
    assert.equal(Object.values(finer).reduce((a, b) => a + b, 0), count);
    /* the cluster split gives way to them, and focus is on one of them */
    assert.equal(await page.locator(`svg.pm-map a.cluster[data-key="${key}"]`).isVisible(), false);
    assert.ok(Object.keys(finer).includes(await page.evaluate(() => document.activeElement.dataset.key)));
    assert.equal(page.url(), url, "the page stays");
  }, opts);

  test("cluster: a tick loads only the facet index, the first keystroke in the search box the search texts", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    await page.goto(site(tool));
    const loaded = () => page.$$eval("head script[src]", (ss) => ss.map((s) => s.getAttribute("src")).filter((s) => s.startsWith("countries/")));
    await page.locator("#filter-net-africa").uncheck();
    await eventually(async () => assert.match(await page.locator("#filter-status").innerText(), /^Showing [0-9,]+ of 2,000 institutions$/), 10000);
    assert.deepEqual(await loaded(), ["countries/facets.js"]);
    await page.locator("#search").focus();
    assert.deepEqual(await loaded(), ["countries/facets.js"]);
    await page.keyboard.type(SCHOOL.name.toLowerCase());
    await eventually(async () => assert.deepEqual(await loaded(), ["countries/facets.js", "countries/search.js"]), 10000);
  }, opts);

  test("cluster: unticking a network recounts a country in the directory and its cluster on the map", async (t) => {
    const page = await (await t.context()).newPage();
    t.watch(page);
    const url = site(tool);
    await page.goto(url);
    /* per country, its institutions and those left once DROP is
       unticked, from partners.geojson (scale.py's site has countries
       with schools in the Africa network and schools out of it) */
    const DROP = "africa";
    const geo = JSON.parse(fs.readFileSync(new URL("partners.geojson", url), "utf8"));
    const nets = await page.$$eval('input[name="net"]', (bs) => bs.map((b) => b.value));
    const all = {}, kept = {}, stays = (p) => p.networks.some((n) => n !== DROP && nets.includes(n));
    geo.features.map((f) => f.properties).forEach((p) => {
      const c = p.country.toLowerCase();
      all[c] = (all[c] || 0) + 1;
      if (stays(p)) kept[c] = (kept[c] || 0) + 1;
    });
    /* a country some of whose institutions stay, and what each of its
       clusters should count: its members (facets.js) that stay, an entry
       being a slug of the country's list in directory order */
    const code = Object.keys(all).find((c) => kept[c] > 0 && kept[c] < all[c]);
    assert.ok(code, "a country partly kept");
    const keptSlugs = new Set(geo.features.map((f) => f.properties)
      .filter(stays).map((p) => p.slug));
    const slugs = countrySlugs(url, code), cells = payload(url, "countries/facets.js").cells[code];
    const want = cells.k.map((k, j) => [k[3], k[2], slugs.filter((sl, e) => cells.of[e] === j && keptSlugs.has(sl)).length]);
    const gone = Object.keys(all).find((c) => !kept[c]);
    await page.locator(`#filter-net-${DROP}`).uncheck();
    const fmt = (n) => new Intl.NumberFormat("en").format(n);
    const dir = page.locator(`.dir-country[data-country="${code}"] .dir-count`);
    await eventually(async () => assert.match(await dir.innerText(), new RegExp(`^${fmt(kept[code])} of ${fmt(all[code])} match the filters`)), 10000);
    const name = await page.locator(`#dir-${code}`).innerText();
    for (const [key, count, n] of want.filter((w) => w[1] > 1)) {
      const cluster = page.locator(`svg.pm-map a.cluster[data-key="${key}"]`);
      assert.equal(await cluster.isVisible(), n > 0, key);
      if (!n) continue;
      assert.equal(await cluster.getAttribute("aria-label"), `${name}: ${fmt(n)} of ${fmt(count)} match the filters`);
      assert.equal(await cluster.locator(".cluster-count").textContent(), fmt(n));
    }
    /* a country without a match: its cluster and its directory entry hidden */
    if (gone) {
      assert.equal(await page.locator(`svg.pm-map a.cluster[data-key^="${gone}-"]`).first().isVisible(), false);
      assert.equal(await page.locator(`.dir-country[data-country="${gone}"]`).isVisible(), false);
    }
    /* ticked again: the build's totals */
    await page.locator(`#filter-net-${DROP}`).check();
    await eventually(async () => assert.match(await dir.innerText(), new RegExp(`^${fmt(all[code])} partner institutions`)), 10000);
    const [key, count] = want.find((w) => w[1] > 1);
    assert.equal(await page.locator(`svg.pm-map a.cluster[data-key="${key}"] .cluster-count`).textContent(), fmt(count));
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
    /* and zoomed in, with a network unticked: the clusters drawn then */
    await page.locator("#filter-net-africa").uncheck();
    const { key, code } = findSplit(site(tool));
    await page.locator(`svg.pm-map a.cluster[data-key="${key}"]`).click();
    await page.waitForSelector(`g.zoom-level[data-country="${code}"] a`);
    assert.deepEqual(await axe(t, page, "clustered home, zoomed and filtered"), []);
  }, opts);
}
