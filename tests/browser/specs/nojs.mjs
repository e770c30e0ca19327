// Without JavaScript: the directory lists everyone with working links, the
// markers are plain links, network and country pages list their members.
import assert from "node:assert/strict";
import { MAP, clickableMarker, markerCentre } from "../lib/page.mjs";

const slugOf = (href) => (/institutions\/([^/]+)\/(index\.html)?$/.exec(href) || [])[1];

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;
  const all = site.institutions.map((i) => i.slug).sort();

  test("no JavaScript: the directory lists all institutions and every link works", async (t) => {
    const page = await t.open("", { js: false });
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains("js")), false);
    const entries = await page.locator(".directory li.inst").evaluateAll((ls) => ls.filter((l) => l.checkVisibility()).map((l) => ({
      slug: l.dataset.slug,
      text: l.textContent.replace(/\s+/g, " ").trim(),
      links: [...l.querySelectorAll("a[href]")].filter((a) => a.checkVisibility()).map((a) => a.href),
    })));
    assert.deepEqual(entries.map((e) => e.slug).sort(), all, "the directory does not show every institution");
    for (const e of entries) {
      const inst = site.bySlug.get(e.slug);
      assert.ok(e.text.includes(inst.name), `the entry of ${e.slug} does not show its name`);
      assert.ok(e.links.some((h) => slugOf(h) === e.slug), `the entry of ${e.slug} has no visible link to its page`);
    }
    for (const hidden of ["Zoom in", "Filters and list"]) {
      assert.equal(await page.getByRole("button", { name: hidden }).isVisible(), false, `"${hidden}" shows but cannot work without JavaScript`);
    }
    assert.equal(await page.getByRole("checkbox").count() > 0 && await page.getByRole("checkbox").first().isVisible(), false, "filters show but cannot work without JavaScript");
    assert.equal(await page.locator(".map-popup").isVisible(), false);

    const hrefs = [...new Set(entries.flatMap((e) => e.links))];
    for (const href of hrefs) {
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, `${href.replace(t.url(""), "/")} answers ${res.status()}`);
    }

    const inst = site.bySlug.get("makerere-university") || site.institutions[0];
    /* Chromium names this link "Details : <name>" (the visually hidden
       span is absolutely positioned, so it counts as a block). */
    const li = page.locator(`.directory li.inst[data-slug="${inst.slug}"]`);
    await li.getByRole("link", { name: /^Details\b/ }).click();
    await page.waitForURL(new RegExp(`/institutions/${inst.slug}/(index\\.html)?$`));
    assert.equal((await page.getByRole("heading", { level: 1 }).textContent()).trim(), inst.name);
  });

  test("no JavaScript: the markers are plain links to the institution pages", async (t) => {
    const page = await t.open("", { js: false });
    const markers = await page.locator(`${MAP} a.marker`).evaluateAll((ms) => ms.map((m) => ({
      slug: m.dataset.slug,
      href: m.href && m.href.baseVal !== undefined ? new URL(m.href.baseVal, location.href).href : m.href,
      visible: m.checkVisibility(),
      label: m.getAttribute("aria-label") || (m.querySelector("title") || {}).textContent || "",
    })));
    assert.deepEqual(markers.map((m) => m.slug).sort(), all, "one marker per institution");
    for (const m of markers) {
      assert.ok(m.visible, `marker ${m.slug} is not shown`);
      assert.equal(slugOf(m.href), m.slug, `marker ${m.slug} links to ${m.href}`);
      assert.ok(m.label.includes(site.bySlug.get(m.slug).name), `marker ${m.slug} has no accessible name with the institution's name`);
    }
    const slug = await clickableMarker(page);
    const { x, y } = await markerCentre(page, slug);
    await page.mouse.click(x, y);
    await page.waitForURL(new RegExp(`/institutions/${slug}/(index\\.html)?$`));
    assert.equal((await page.getByRole("heading", { level: 1 }).textContent()).trim(), site.bySlug.get(slug).name, "the page a marker leads to");
  });

  test("no JavaScript: network and country pages list their members", async (t) => {
    const context = await t.context({ js: false });
    const page = await context.newPage();
    const listed = () => page.locator("li.inst").evaluateAll((ls) => ls.map((l) => {
      const a = l.querySelector("a[href]");
      return { slug: l.dataset.slug, href: a ? a.href : "" };
    }));
    for (const n of site.networks) {
      const res = await page.goto(t.url(`networks/${n.slug}/`));
      assert.equal(res.status(), 200, `networks/${n.slug}/`);
      assert.equal((await page.getByRole("heading", { level: 1 }).textContent()).trim(), n.name);
      const got = await listed();
      assert.deepEqual(got.map((g) => g.slug).sort(), [...n.members].sort(), `the members listed on networks/${n.slug}/`);
      for (const g of got) assert.equal(slugOf(g.href), g.slug, `the link of ${g.slug} on networks/${n.slug}/`);
    }
    /* Every country page would take a while: the largest ones, and a few. */
    const sizes = site.countries.map((c) => [c, site.institutions.filter((i) => i.country === c).length]);
    const sample = [...sizes.sort((a, b) => b[1] - a[1]).slice(0, 4).map((s) => s[0]), site.countries[0], site.countries[site.countries.length - 1]];
    for (const code of [...new Set(sample)]) {
      const c = code.toLowerCase();
      const res = await page.goto(t.url(`countries/${c}/`));
      assert.equal(res.status(), 200, `countries/${c}/`);
      const want = site.institutions.filter((i) => i.country === code);
      assert.equal((await page.getByRole("heading", { level: 1 }).textContent()).trim(), want[0].countryName, `countries/${c}/ h1`);
      const got = await listed();
      assert.deepEqual(got.map((g) => g.slug).sort(), want.map((i) => i.slug).sort(), `the institutions listed on countries/${c}/`);
    }
    const n = site.networks[0];
    await page.goto(t.url(`networks/${n.slug}/`));
    const first = site.bySlug.get([...n.members].sort()[0]);
    await page.getByRole("link", { name: first.name, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/institutions/${first.slug}/(index\\.html)?$`));
  });
}
