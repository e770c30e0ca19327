// Finding a school: where focus goes when the popup closes, how often the
// live count speaks, the popup beside (never over) the zoom buttons, and the
// facet filters (elective type and the rest), their counts, the URL and the
// CSV of the filtered list.
import assert from "node:assert/strict";
import fs from "node:fs";
import { eventually } from "../lib/harness.mjs";
import path from "node:path";
import { MAP, focusInfo, describe, directory, searchBox, sidebarToggle, expectShown, netBox, settledViewBox } from "../lib/page.mjs";
import { PHONE } from "./phone.mjs";

const DESKTOP = { viewport: { width: 1280, height: 900 } };

/* The directory's "show on map" button of an institution. */
const nameButton = (page, inst) => directory(page).getByRole("button", { name: inst.name, exact: true });

/* Focus is on the element that matches `sel` and has data-slug `slug`. */
async function expectFocus(page, sel, slug, what) {
  await eventually(async () => {
    const f = await focusInfo(page);
    const ok = await page.evaluate(([sel, slug]) => {
      const e = document.activeElement;
      return !!e && e.matches(sel) && e.getAttribute("data-slug") === slug;
    }, [sel, slug]);
    assert.ok(ok, `${what}: focus is on ${describe(f)}, not ${sel} of ${slug}`);
  }, 2000);
}

/* The fieldset of a facet, by the start of its legend. */
const facetGroup = (page, legend) => page.getByRole("group", { name: new RegExp("^" + legend) });

/* Press Tab until the element whose id is `id` has focus, at most `most`
 * times; returns what has focus last looked at. */
async function tabUntil(page, id, most) {
  let f;
  for (let k = 0; k < most && (f = await focusInfo(page)).id !== id; k++) await page.keyboard.press("Tab");
  return f;
}

/* Focus the first box of the facet `group` (its ids begin `prefix`), then
 * Tab on to the box `id` (`what` names it); returns what has focus. */
async function tabToFacetBox(page, group, prefix, id, what) {
  await facetGroup(page, group).getByRole("checkbox").first().focus();
  const first = await focusInfo(page);
  assert.ok(first.id.startsWith(prefix), `the first ${group.toLowerCase()} box is ${describe(first)}`);
  const f = await tabUntil(page, id, 60);
  assert.equal(f.id, id, `Tab did not reach ${what}`);
  return f;
}

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;
  const inst = site.bySlug.get("makerere-university") || site.institutions[0];

  test("find: a popup opened from a name in the directory gives focus back to that name (Escape and Close)", async (t) => {
    const page = await t.open("", DESKTOP);
    for (const close of ["Escape", "button"]) {
      await nameButton(page, inst).focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: inst.name });
      await dialog.waitFor();
      if (close === "Escape") await page.keyboard.press("Escape");
      else await dialog.getByRole("button", { name: "Close" }).click();
      await dialog.waitFor({ state: "hidden" });
      await expectFocus(page, ".directory .show-on-map", inst.slug, `closed with ${close}`);
    }
  });

  test("find: a popup opened from a marker gives focus back to the marker", async (t) => {
    const page = await t.open("", DESKTOP);
    const marker = page.locator(`${MAP} #marker-${inst.slug}`);
    await marker.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: inst.name }).waitFor();
    await page.keyboard.press("Escape");
    await expectFocus(page, "a.marker", inst.slug, "opened from the marker");
  });

  test("find: on a phone, closing the popup opened from the list reopens the list at that name", async (t) => {
    const page = await t.open("", PHONE);
    await sidebarToggle(page).click();
    await nameButton(page, inst).click();
    const dialog = page.getByRole("dialog", { name: inst.name });
    await dialog.waitFor();
    assert.equal(await sidebarToggle(page).getAttribute("aria-expanded"), "false", "the list should fold away to show the map");
    await page.keyboard.press("Escape");
    await expectFocus(page, ".directory .show-on-map", inst.slug, "phone, closed with Escape");
    assert.equal(await sidebarToggle(page).getAttribute("aria-expanded"), "true");
    assert.ok(await nameButton(page, inst).isVisible(), "the name that opened the popup is not visible");
  });

  test("find: the live count changes once after typing pauses, not once per key", async (t) => {
    const page = await t.open("", DESKTOP);
    await page.evaluate(() => {
      const s = document.querySelector('[role="status"]');
      window.__statusTexts = [];
      new MutationObserver(() => window.__statusTexts.push(s.textContent)).observe(s, { childList: true, characterData: true, subtree: true });
    });
    /* The page's own timers run on a fake clock that stands still but
       when told, so a slow machine cannot stretch a gap between two keys
       past the pause (STATUS_DELAY, 500 ms in app.js). */
    await page.clock.install();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await searchBox(page).focus();
    for (const key of "kampa") {
      await page.keyboard.type(key);
      await page.clock.runFor(400);
    }
    const texts = () => page.evaluate(() => window.__statusTexts);
    assert.deepEqual(await texts(), [], "the status changed while typing, 400 ms between keys");
    await page.clock.runFor(99);
    assert.deepEqual(await texts(), [], "the status changed 499 ms after the last key");
    await page.clock.runFor(1);
    const want = site.expected({ q: "kampa" }).length;
    assert.deepEqual(await texts(), [`Showing ${want} of ${site.institutions.length} institutions`], "one status change 500 ms after the last key");
    await page.clock.runFor(2000);
    assert.equal((await texts()).length, 1, "the status changed again with no key pressed");
  });

  /* Open every visible marker's popup in turn and report each one whose
     box meets a zoom button's box. */
  async function popupsOverZoom(page) {
    return page.evaluate((MAP) => {
      const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const pop = document.querySelector(".map-popup");
      const buttons = [...document.querySelectorAll("[data-zoom]")];
      const bad = [];
      for (const m of document.querySelectorAll(`${MAP} a.marker`)) {
        if (!m.checkVisibility()) continue;
        m.focus();
        m.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        const p = pop.getBoundingClientRect();
        if (pop.hidden) continue;
        if (buttons.some((b) => meets(p, b.getBoundingClientRect()))) bad.push(m.getAttribute("data-slug"));
        m.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      }
      return bad;
    }, MAP);
  }

  for (const [what, opts] of [["1280 px", DESKTOP], ["390 px", PHONE]]) {
    test(`find: the popup never covers the zoom buttons (${what}, whole map and zoomed in)`, async (t) => {
      const page = await t.open("", opts);
      assert.deepEqual(await popupsOverZoom(page), [], "popups over the zoom buttons, whole map");
      for (let k = 0; k < 3; k++) await page.locator('[data-zoom="in"]').click();
      await settledViewBox(page);
      assert.deepEqual(await popupsOverZoom(page), [], "popups over the zoom buttons, zoomed in");
    });
  }

  /* What the tests expect of the elective facet, from partners.geojson
     (never from the page under test). */
  const features = JSON.parse(fs.readFileSync(path.join(site.dir, "partners.geojson"), "utf8")).features;
  const electives = new Map(features.map((f) => [f.properties.slug, f.properties.electives || []]));
  const offering = (types, among = site.expected()) =>
    among.filter((slug) => electives.get(slug).some((e) => types.includes(e))).sort();
  const TYPES = ["clinical", "research", "observership"];
  const total = site.institutions.length;
  const typeGroup = (page) => page.getByRole("group", { name: /^Elective type/ });
  const typeBox = (page, type) => typeGroup(page).getByRole("checkbox", { name: new RegExp("^" + type, "i") });
  const hashOf = (page) => decodeURIComponent(new URL(page.url()).hash);

  test("find: the elective-type facet lists each type with its count, none ticked, nothing hidden", async (t) => {
    const page = await t.open("", DESKTOP);
    assert.equal(await typeGroup(page).evaluate((e) => e.tagName), "FIELDSET");
    const rows = await typeGroup(page).locator("li").evaluateAll((lis) => lis.map((li) => [
      li.querySelector("input").value, li.querySelector("input").checked,
      li.querySelector(".check-count").firstChild.textContent.trim()]));
    assert.deepEqual(rows, TYPES.map((type) => [type, false, String(offering([type]).length)]));
    await expectShown(page, site.expected(), total, "no type ticked");
  });

  test("find: ticking elective types with the mouse filters, is kept in the URL, restored on reload, undone by Back", async (t) => {
    const page = await t.open("", DESKTOP);
    await typeBox(page, "observership").click();
    const obs = offering(["observership"]);
    assert.ok(obs.length > 0 && obs.length < total, "the example has some observerships, not everywhere");
    await expectShown(page, obs, total, "observership");
    await eventually(async () => assert.equal(hashOf(page), "#type=observership"));
    await typeBox(page, "research").click();
    const both = offering(["observership", "research"]);
    await expectShown(page, both, total, "observership or research");
    await eventually(async () => assert.equal(hashOf(page), "#type=research,observership"));
    await page.reload();
    assert.ok(await typeBox(page, "research").isChecked() && await typeBox(page, "observership").isChecked());
    assert.equal(await typeBox(page, "clinical").isChecked(), false);
    await expectShown(page, both, total, "after reload");
    await page.goBack();
    await eventually(async () => assert.equal(await typeBox(page, "research").isChecked(), false, "Back did not untick research"));
    await expectShown(page, obs, total, "after Back");
    /* with a network filter too: both must hold */
    await netBox(page, site.networks.find((n) => n.slug === "africa")).uncheck();
    const nets = site.networks.map((n) => n.slug).filter((s) => s !== "africa");
    await expectShown(page, offering(["observership"], site.expected({ nets })), total, "observership, without africa");
    await eventually(async () => assert.equal(hashOf(page), "#net=global,south-east-asia&type=observership"));
  });

  test("find: the elective-type facet works from the keyboard alone", async (t) => {
    const page = await t.open("", DESKTOP);
    await page.getByRole("group", { name: "Exchange level", exact: true }).getByRole("checkbox").last().focus();
    await page.keyboard.press("Tab");
    const f = await focusInfo(page);
    assert.equal(f.id, "filter-type-clinical", `Tab after the last level went to ${describe(f)}`);
    await page.keyboard.press("Space");
    await expectShown(page, offering(["clinical"]), total, "clinical by keyboard");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await expectShown(page, offering(["clinical", "observership"]), total, "clinical or observership by keyboard");
    await eventually(async () => assert.equal(hashOf(page), "#type=clinical,observership"));
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Space");
    await expectShown(page, offering(["observership"]), total, "clinical unticked by keyboard");
  });

  test("find: a fresh visit to a filtered URL shows that filter", async (t) => {
    const page = await t.open("#type=research&q=uni", DESKTOP);
    assert.ok(await typeBox(page, "research").isChecked());
    await expectShown(page, offering(["research"], site.expected({ q: "uni" })), total, "research, search uni");
  });

  test("find: Download this list gives the filtered rows of partners.csv, same header, same order", async (t) => {
    const page = await t.open("#type=observership", DESKTOP);
    const want = offering(["observership"]);
    await expectShown(page, want, total, "observership");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download this list (CSV)" }).click()]);
    const got = fs.readFileSync(await download.path(), "utf8");
    const full = fs.readFileSync(path.join(site.dir, "partners.csv"), "utf8").split("\r\n");
    const slugOf = (line) => line.split(",")[0];
    const expected = [full[0], ...full.slice(1).filter((l) => want.includes(slugOf(l)))].join("\r\n") + "\r\n";
    assert.equal(got, expected);
    assert.equal(download.suggestedFilename(), "partners-filtered.csv");
  });

  test("find: screenshots of the home page filtered to clinical electives (1280 and 390 px), axe finds nothing", async (t) => {
    const page = await t.open("#type=clinical", DESKTOP);
    await expectShown(page, offering(["clinical"]), total, "clinical");
    await t.shot(page, "find-filter-1280.png", { fullPage: false });
    const phone = await t.open("#type=clinical", PHONE);
    await sidebarToggle(phone).click();
    await typeGroup(phone).scrollIntoViewIfNeeded();
    await t.shot(phone, "find-filter-390.png");
    await page.addScriptTag({ path: t.suite.axePath });
    const v = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
    assert.deepEqual(v.violations.map((x) => x.id), []);
  });

  /* The expectation for the discipline, language and month facets, worked
     out from the offers partners.geojson carries: the slugs of the
     institutions with an offer in that discipline, language or month. */
  const withOffer = (test) => site.institutions
    .filter((i) => i.offers.some(test)).map((i) => i.slug).sort();
  const byLang = (tag) => withOffer((o) => (o.languages || []).some((l) => l.toLowerCase() === tag));
  const OFFERS = {
    discipline: { surgery: withOffer((o) => (o.disciplines || []).includes("surgery")),
      paediatrics: withOffer((o) => (o.disciplines || []).includes("paediatrics")) },
    lang: { fr: byLang("fr"), "pt-br": byLang("pt-br"), en: byLang("en") },
    month: {},
  };
  /* two months some offer is in: the first French offer's first month
     (for the keyboard test) and the last month any offer is in */
  const inMonth = (m) => withOffer((o) => (o.months || []).includes(m));
  const allMonths = [...new Set(site.institutions.flatMap((i) => i.offers.flatMap((o) => o.months || [])))].sort((a, b) => a - b);
  const frMonth = site.institutions.flatMap((i) => i.offers)
    .filter((o) => (o.languages || []).some((l) => l.toLowerCase() === "fr") && (o.months || []).length)
    .map((o) => o.months[0])[0];
  for (const m of [frMonth, allMonths[allMonths.length - 1]]) OFFERS.month[m] = inMonth(m);
  const both = (a, b) => a.filter((x) => b.includes(x));
  const facetBox = (page, param, value) => page.locator(`#filter-${param}-${value}`);
  const LEGEND = { discipline: "Discipline", lang: "Language", month: "Month" };

  test("find: discipline, language and month facets show their counts and filter with the mouse; the URL keeps them", async (t) => {
    const page = await t.open("", DESKTOP);
    for (const [param, values] of Object.entries(OFFERS)) {
      for (const [value, want] of Object.entries(values)) {
        const row = facetGroup(page, LEGEND[param]).locator("li", { has: facetBox(page, param, value) });
        assert.equal((await row.locator(".check-count").evaluate((e) => e.firstChild.textContent)).trim(), String(want.length), `${param}=${value} count`);
        await facetBox(page, param, value).click();
        await expectShown(page, want, total, `${param}=${value}`);
        await eventually(async () => assert.equal(hashOf(page), `#${param}=${value}`));
        await page.reload();
        assert.ok(await facetBox(page, param, value).isChecked(), `reload lost ${param}=${value}`);
        await expectShown(page, want, total, `${param}=${value} after reload`);
        await facetBox(page, param, value).click();
        await expectShown(page, site.expected(), total, `${param}=${value} unticked`);
      }
    }
    /* two facets together: both must hold */
    await facetBox(page, "lang", "en").click();
    await facetBox(page, "month", String(frMonth)).click();
    await expectShown(page, both(OFFERS.lang.en, OFFERS.month[frMonth]), total, "English and a month");
    await eventually(async () => assert.equal(hashOf(page), `#lang=en&month=${frMonth}`));
  });

  test("find: the discipline facet from the keyboard alone", async (t) => {
    const page = await t.open("", DESKTOP);
    await tabToFacetBox(page, "Discipline", "filter-discipline-", "filter-discipline-surgery", "Surgery");
    await page.keyboard.press("Space");
    await expectShown(page, OFFERS.discipline.surgery, total, "Surgery by keyboard");
    await eventually(async () => assert.equal(hashOf(page), "#discipline=surgery"));
    await page.keyboard.press("Space");
    await expectShown(page, site.expected(), total, "Surgery unticked by keyboard");
  });

  test("find: the language and month facets from the keyboard alone", async (t) => {
    const page = await t.open("", DESKTOP);
    /* Tab through the languages to French */
    let f = await tabToFacetBox(page, "Language", "filter-lang-", "filter-lang-fr", "French");
    await page.keyboard.press("Space");
    await expectShown(page, OFFERS.lang.fr, total, "French by keyboard");
    /* Tab on through the rest of the languages to the months */
    for (let k = 0; k < 60; k++) {
      f = await focusInfo(page);
      if (f.id.startsWith("filter-month-")) break;
      await page.keyboard.press("Tab");
    }
    assert.match(f.id, /^filter-month-/, "Tab did not reach the months");
    await tabUntil(page, `filter-month-${frMonth}`, 12);
    await page.keyboard.press("Space");
    const frAndMonth = both(OFFERS.lang.fr, OFFERS.month[frMonth]);
    assert.ok(frAndMonth.length > 0, "no French offer in its own month");
    await expectShown(page, frAndMonth, total, "French and a month by keyboard");
    await eventually(async () => assert.equal(hashOf(page), `#lang=fr&month=${frMonth}`));
  });
}
