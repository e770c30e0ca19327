// Finding a school: where focus goes when the popup closes, how often the
// live count speaks, the popup beside (never over) the zoom buttons, and the
// facet filters (elective type and the rest), their counts, the URL and the
// CSV of the filtered list.
import assert from "node:assert/strict";
import fs from "node:fs";
import { eventually } from "../lib/harness.mjs";
import { MAP, focusInfo, describe, directory, searchBox, sidebarToggle } from "../lib/page.mjs";
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
    await searchBox(page).focus();
    await page.keyboard.type("kampa", { delay: 60 });
    const during = await page.evaluate(() => window.__statusTexts.length);
    assert.equal(during, 0, "the status changed while typing");
    const want = site.expected({ q: "kampa" }).length;
    await page.waitForTimeout(1200);
    const texts = await page.evaluate(() => window.__statusTexts);
    assert.deepEqual(texts, [`Showing ${want} of ${site.institutions.length} institutions`], "one status change after the pause");
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
      await page.waitForTimeout(300);
      assert.deepEqual(await popupsOverZoom(page), [], "popups over the zoom buttons, zoomed in");
    });
  }
}

