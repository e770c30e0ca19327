// The example's French version (site.yml languages: [en, fr], at fr/): the
// search finds a name typed with its accents, without them and decomposed
// (NFD); the language switcher on an institution page, used from the
// keyboard, lands on the same institution in the other language; axe-core
// finds no WCAG 2.x A/AA violation on French pages. Screenshots of the
// French home and institution pages at 1280 and 390 px.
import assert from "node:assert/strict";

import { eventually } from "../lib/harness.mjs";
import { shown } from "../lib/page.mjs";
import { axe } from "./pages.mjs";

const YAOUNDE = "universite-de-yaounde-1";
const NAME = "Université de Yaoundé I";

export default function register(suite) {
  const test = suite.test.bind(suite);

  test("languages: the French search finds a name with accents, without them and decomposed (NFD)", async (t) => {
    const page = await t.open("fr/");
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    for (const query of [NAME, "universite de yaounde", NAME.normalize("NFD"), "YAOUNDÉ"]) {
      await page.getByRole("searchbox").fill(query);
      await eventually(async () => {
        const s = await shown(page);
        assert.deepEqual(s.items, [YAOUNDE], `search ${JSON.stringify(query)}: the directory shows ${s.items.join(", ")}`);
        assert.deepEqual(s.markers, [YAOUNDE], `search ${JSON.stringify(query)}: the map shows ${s.markers.join(", ")}`);
      }, 2000);
    }
  });

  test("languages: the switcher keeps the reader on the same institution, from the keyboard", async (t) => {
    const page = await t.open(`institutions/${YAOUNDE}/index.html`);
    const nav = page.getByRole("navigation", { name: "Languages" });
    const current = nav.locator('a[aria-current="page"]');
    assert.equal(await current.getAttribute("hreflang"), "en");
    const french = nav.getByRole("link", { name: "Français" });
    assert.equal(await french.getAttribute("lang"), "fr");
    await french.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/fr/institutions/${YAOUNDE}/index\\.html$`));
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.locator("h1").innerText(), "Université de Yaoundé I, Faculté de Médecine et des Sciences Biomédicales");
    const back = page.getByRole("navigation", { name: "Langues" });
    assert.equal(await back.locator('a[aria-current="page"]').getAttribute("hreflang"), "fr");
    await back.getByRole("link", { name: "English" }).click();
    await page.waitForURL(new RegExp(`/institutions/${YAOUNDE}/index\\.html$`));
    assert.ok(!page.url().includes("/fr/"), page.url());
    assert.equal(await page.getAttribute("html", "lang"), "en");
  });

  /* axe on a French page, then screenshots of it at 1280 and 390 px */
  const checked = (label, p) => test(`languages: the French ${label} passes axe`, async (t) => {
    const page = await t.open(p);
    const v = await axe(t, page, `/${p}`);
    assert.equal(v.length, 0, `${v.length} violation(s):\n` + v.join("\n"));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      await t.shot(page, `languages-fr-${label.replace(/ /g, "-")}-${width}.png`);
    }
  });
  checked("home page", "fr/");
  checked("institution page", `fr/institutions/${YAOUNDE}/index.html`);

  test("languages: a French page shown untranslated says so and marks the text English", async (t) => {
    const page = await t.open("fr/institutions/university-of-tokyo/index.html");
    const note = await page.locator(".fallback-note").innerText();
    assert.equal(note, "Cette description n’est pas encore disponible en français : elle est affichée dans la langue principale du site.");
    assert.equal(await page.locator(".institution .prose").first().getAttribute("lang"), "en");
  });
}
