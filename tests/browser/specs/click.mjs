// Filter clicks on the home page of a large site (the clustered site of
// cluster.mjs): each click redraws only the clusters, markers and
// countries whose count changed, so after any run of clicks the page must
// read exactly as the same filters give on a page opened fresh with them.
import assert from "node:assert/strict";

import { eventually } from "../lib/harness.mjs";
import { site } from "./cluster.mjs";

/* What the filters show: each cluster and marker of the map (hidden?, its
   name, its count), each country of the directory (hidden?, its count)
   and the live count. */
const snapshot = (page) => page.evaluate(() => ({
  map: [...document.querySelectorAll("svg.pm-map a.cluster, svg.pm-map a.marker")].map((a) => [
    a.dataset.key || a.dataset.slug, a.classList.contains("is-hidden"), a.getAttribute("aria-label"),
    a.querySelector(".cluster-count")?.textContent]),
  directory: [...document.querySelectorAll(".directory .dir-country")].map((g) => [
    g.dataset.country, g.hidden, g.querySelector(".dir-count").firstChild.nodeValue]),
  status: document.querySelector("#filter-status").textContent,
}));

export default function register(suite, { tool }) {
  const test = suite.test.bind(suite);

  test("click: after each of a run of ticks, the map and the directory read as a fresh page with those filters", async (t) => {
    const ctx = await t.context(), page = await ctx.newPage(), fresh = await ctx.newPage();
    t.watch(page);
    t.watch(fresh);
    const url = site(tool);
    await page.goto(url);
    const before = await snapshot(page);
    /* untick, untick another facet's, tick back in another order, then
       all as they started */
    const steps = [["#filter-net-africa", false], ["#filter-level-undergraduate", false], ["#filter-net-africa", true],
      ["#filter-net-global", false], ["#filter-level-undergraduate", true], ["#filter-net-global", true]];
    for (const [box, on] of steps) {
      await page.locator(box).setChecked(on);
      const hash = new URL(page.url()).hash;
      await fresh.goto("about:blank");
      await fresh.goto(url + hash);
      await eventually(async () => {
        const now = await snapshot(page);
        /* once the facet index is in: counts of matches while filtering */
        assert.equal(now.directory.some((d) => / match /.test(d[2])), !!hash, hash);
        assert.deepEqual(now, await snapshot(fresh), `${box} ${on}, ${hash}`);
      }, 15000);
      if (hash) assert.notDeepEqual((await snapshot(page)).map, before.map, `${box} ${on} changes the map`);
    }
    assert.deepEqual(await snapshot(page), before, "all ticked again: the page as built");
  }, { timeout: 180000 });
}
