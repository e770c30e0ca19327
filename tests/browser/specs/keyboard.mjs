// Home page by keyboard alone: Tab from the top reaches the search box,
// the filters, the directory, the map and its markers, each with a visible
// focus ring; on the markers the arrows move, Enter opens, Escape closes.
// (app.js documents the scheme at its top: the map frame is one tab stop,
// the markers the next one, with a roving tabindex.)
import assert from "node:assert/strict";
import { describe, focusInfo, MAP } from "../lib/page.mjs";

const MAX_TABS = 400;

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;

  test("keyboard: Tab from the top reaches filters, search, directory, map and markers, focus always visible", async (t) => {
    const page = await t.open("");
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    const seen = [], unringed = [];
    const at = {};
    for (let i = 0; i < MAX_TABS; i++) {
      await page.keyboard.press("Tab");
      const f = await focusInfo(page);
      seen.push(f);
      if (f.tag === "body") continue;
      if (f.ring === "none") unringed.push(describe(f));
      const mark = (k) => { if (at[k] === undefined) at[k] = i; };
      if (f.inFilters && f.type === "checkbox" && f.name === "net") mark("network checkbox");
      if (f.inFilters && f.type === "checkbox" && f.name === "level") mark("level checkbox");
      if (f.inFilters && f.type === "search") mark("search box");
      if (f.inDirectory && /show-on-map/.test(f.cls)) mark("directory name");
      if (f.isFrame) mark("map frame");
      if (f.isMarker) { mark("marker"); break; }
    }
    // the search box first: on a phone the drawer's boxes are long
    const order = ["search box", "network checkbox", "level checkbox", "directory name", "map frame", "marker"];
    for (const k of order) assert.ok(at[k] !== undefined, `Tab never reached the ${k} (${seen.length} presses; last: ${describe(seen[seen.length - 1])})`);
    for (let i = 1; i < order.length; i++) {
      assert.ok(at[order[i - 1]] < at[order[i]], `the ${order[i - 1]} comes after the ${order[i]} in tab order`);
    }
    const uniq = [...new Set(unringed)];
    assert.equal(uniq.length, 0, `focus is invisible (no outline, box-shadow or ring) on ${uniq.length} element(s): ${uniq.slice(0, 6).join("; ")}`);
    t.note(`Tab reached the first marker after ${at.marker + 1} presses`);
  });

  test("keyboard: the skip links lead past the header and the list", async (t) => {
    const page = await t.open("");
    await page.keyboard.press("Tab");
    let f = await focusInfo(page);
    assert.match(f.label, /skip to content/i, `the first Tab stop is not the skip link: ${describe(f)}`);
    assert.notEqual(f.ring, "none", "the skip link's focus is invisible");
    const box = await page.getByRole("link", { name: /skip to content/i }).boundingBox();
    assert.ok(box && box.y >= 0 && box.width > 20, "the focused skip link is not on screen");
    const skip = page.getByRole("link", { name: /skip the list/i });
    await skip.focus();
    assert.ok(await skip.isVisible(), "the focused 'skip the list' link is not visible");
    await page.keyboard.press("Enter");
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      f = await focusInfo(page);
      if (f.isFrame || f.isMarker) break;
    }
    assert.ok(f.isFrame || f.isMarker, `after 'skip the list', Tab does not reach the map soon: ${describe(f)}`);
  });

  test("keyboard: arrows move between markers, Enter opens the popup, Escape closes it", async (t) => {
    const page = await t.open("");
    await page.locator(".map-frame").focus();
    await page.keyboard.press("Tab");
    let f = await focusInfo(page);
    assert.ok(f.isMarker, `Tab from the map frame does not reach a marker: ${describe(f)}`);
    const tabbable = await page.locator(`${MAP} a.marker`).evaluateAll((ms) => ms.filter((m) => m.tabIndex >= 0).length);
    assert.equal(tabbable, 1, `${tabbable} markers are in the tab order (roving tabindex wants exactly one)`);
    assert.notEqual(f.ring, "none", "the focused marker shows no focus ring");

    const visited = new Set([f.slug]);
    for (const key of ["ArrowRight", "ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "End", "Home"]) {
      await page.keyboard.press(key);
      const g = await focusInfo(page);
      assert.ok(g.isMarker, `${key} took focus off the markers: ${describe(g)}`);
      assert.notEqual(g.ring, "none", `the marker reached by ${key} shows no focus ring`);
      visited.add(g.slug);
      f = g;
    }
    assert.ok(visited.size >= 3, `the arrow keys visited only ${visited.size} marker(s)`);
    const roving = await page.locator(`${MAP} a.marker`).evaluateAll((ms) => ms.filter((m) => m.tabIndex >= 0).map((m) => m.dataset.slug));
    assert.deepEqual(roving, [f.slug], "the focused marker is not the one in the tab order");

    const inst = site.bySlug.get(f.slug);
    await page.keyboard.press("Enter");
    const popup = page.getByRole("dialog", { name: inst.name });
    await popup.waitFor({ state: "visible" });
    const p = await focusInfo(page);
    assert.ok(p.inPopup, `Enter opened the popup but focus is elsewhere: ${describe(p)}`);
    assert.notEqual(p.ring, "none", "the focused popup shows no focus ring");
    assert.match(new URL(page.url()).pathname, /\/$|index\.html$/, "Enter on a marker followed its link instead of opening the popup");
    await page.keyboard.press("Tab");
    const inside = await focusInfo(page);
    assert.ok(inside.inPopup, `Tab from the popup leaves it at once: ${describe(inside)}`);
    await page.keyboard.press("Escape");
    await popup.waitFor({ state: "hidden" });
    f = await focusInfo(page);
    assert.ok(f.isMarker && f.slug === inst.slug, `Escape did not return focus to the marker: ${describe(f)}`);
    assert.notEqual(f.ring, "none", "the marker shows no focus ring after Escape");

    await page.keyboard.press(" ");
    await popup.waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await popup.waitFor({ state: "hidden" });

    await page.keyboard.press("Tab");
    const next = await focusInfo(page);
    assert.ok(!next.isMarker, `Tab from a marker went to another marker (the markers should be one tab stop): ${describe(next)}`);
  });

  test("keyboard: markers hidden by a filter are skipped by the arrows", async (t) => {
    const page = await t.open("");
    const only = site.networks.find((n) => n.slug === "south-east-asia");
    for (const n of site.networks) await page.getByRole("checkbox", { name: n.name }).setChecked(n.slug === only.slug);
    await page.locator(".map-frame").focus();
    await page.keyboard.press("Tab");
    const members = new Set(only.members), visited = new Set();
    let before = "Tab";
    for (const key of ["Home", "ArrowRight", "ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "End", "Home"]) {
      const f = await focusInfo(page);
      assert.ok(f.isMarker && members.has(f.slug), `focus is on ${describe(f)}, which the filter hides (after ${before})`);
      const roving = await page.locator(`${MAP} a.marker`).evaluateAll((ms) => ms.filter((m) => m.tabIndex >= 0).map((m) => m.dataset.slug));
      assert.deepEqual(roving, [f.slug], `after ${before} the marker in the tab order is not the focused one`);
      visited.add(f.slug);
      await page.keyboard.press(key);
      before = key;
    }
    assert.ok(visited.size >= 4, `the keys moved between only ${visited.size} of the ${members.size} shown markers (stuck on hidden ones?)`);
  });
}
