// Home page: the collapsible sidebar, the search box and the directory's
// "show on the map" names.
import assert from "node:assert/strict";
import { eventually } from "../lib/harness.mjs";
import { expectShown, searchBox, sidebarToggle, settledViewBox, viewBox, shown, MAP, directory, sidebarOf } from "../lib/page.mjs";

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;
  const total = site.institutions.length;

  test("sidebar: the toggle's aria-expanded flips and hides / shows the sidebar", async (t) => {
    const page = await t.open("");
    const toggle = sidebarToggle(page);
    const sidebar = await sidebarOf(page);
    assert.equal(await toggle.getAttribute("aria-expanded"), "true", "at 1280 px the sidebar starts open");
    assert.equal(await toggle.getAttribute("aria-controls"), await sidebar.getAttribute("id"), "aria-controls names the sidebar");
    assert.ok(await sidebar.isVisible(), "the sidebar is visible at first");
    const frameBefore = await page.locator(".map-frame").boundingBox();

    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "aria-expanded after closing");
    assert.ok(await sidebar.isHidden(), "the sidebar is still shown after closing");
    assert.ok(await page.getByRole("searchbox").isHidden(), "the search box is still shown after closing");
    const frameAfter = await page.locator(".map-frame").boundingBox();
    assert.ok(frameAfter.width > frameBefore.width + 100, `the map does not take the room: ${frameBefore.width} -> ${frameAfter.width} px`);

    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true", "aria-expanded after opening again");
    assert.ok(await sidebar.isVisible(), "the sidebar did not come back");
    assert.ok(await page.getByRole("searchbox").isVisible());
  });

  test("search: 'kampala' narrows the list and the markers to Kampala's institutions", async (t) => {
    const page = await t.open("");
    const kampala = site.institutions.filter((i) => i.city === "Kampala").map((i) => i.slug).sort();
    assert.ok(kampala.length >= 1, "the example has institutions in Kampala");
    const want = site.expected({ q: "kampala" });
    assert.deepEqual(want, kampala, "only Kampala's institutions mention kampala");
    await searchBox(page).pressSequentially("kampala", { delay: 10 });
    await expectShown(page, want, total, "typing kampala");
    await searchBox(page).fill("");
    await expectShown(page, site.expected(), total, "search cleared");
  });

  test("search: accents and case are ignored", async (t) => {
    const page = await t.open("");
    const cases = [
      ["universite", (i) => /Université/.test(i.name)],
      ["sao paulo", (i) => i.city === "São Paulo"],
      ["KAMPALA", (i) => i.city === "Kampala"],
      ["SÃO Paulo", (i) => i.city === "São Paulo"],
      ["yaounde", (i) => i.city === "Yaoundé"],
    ];
    for (const [q, must] of cases) {
      const mustSlugs = site.institutions.filter(must).map((i) => i.slug);
      assert.ok(mustSlugs.length > 0, `the example has institutions for "${q}"`);
      await searchBox(page).fill(q);
      const want = site.expected({ q });
      for (const s of mustSlugs) assert.ok(want.includes(s));
      await expectShown(page, want, total, `search "${q}"`);
    }
    await searchBox(page).fill("no such place anywhere");
    await expectShown(page, [], total, "a search that matches nothing");
  });

  test("search: words combine with the network filter", async (t) => {
    const page = await t.open("");
    await page.getByRole("checkbox", { name: site.networks.find((n) => n.slug === "global").name }).uncheck();
    await searchBox(page).fill("university");
    const nets = site.networks.map((n) => n.slug).filter((s) => s !== "global");
    await expectShown(page, site.expected({ nets, q: "university" }), total, "university outside the global network");
  });

  test("directory: a name shows the institution on the map (highlight, popup, zoom)", async (t) => {
    const page = await t.open("");
    const inst = site.bySlug.get("makerere-university") || site.institutions[0];
    const before = await viewBox(page);
    const dir = directory(page);
    await dir.getByRole("button", { name: inst.name, exact: true }).click();

    const marker = page.locator(`${MAP} #marker-${inst.slug}`);
    await eventually(async () => assert.match((await marker.getAttribute("class")) || "", /\bis-active\b/, "the marker is not highlighted (is-active)"));
    const popup = page.getByRole("dialog", { name: inst.name });
    assert.ok(await popup.isVisible(), "no popup (dialog) named after the institution");
    const text = (await popup.textContent()).replace(/\s+/g, " ");
    for (const part of [inst.name, inst.city, inst.countryName]) assert.ok(text.includes(part), `the popup does not say "${part}": ${text}`);
    for (const n of inst.networks) {
      const name = site.networks.find((x) => x.slug === n).name;
      assert.ok(text.includes(name), `the popup does not name the network "${name}": ${text}`);
    }
    const link = popup.getByRole("link", { name: /details/i });
    const href = new URL(await link.getAttribute("href"), page.url());
    assert.match(href.pathname, new RegExp(`/institutions/${inst.slug}/(index\\.html)?$`), "the popup's link");
    const li = page.locator(`.directory li.inst[data-slug="${inst.slug}"]`);
    assert.match((await li.getAttribute("class")) || "", /\bis-active\b/, "the directory entry is not highlighted");

    const after = await settledViewBox(page);
    assert.ok(after[2] < before[2] * 0.5, `the map did not zoom in: viewBox ${before.join(" ")} -> ${after.join(" ")}`);
    const m = await page.locator(`${MAP} #marker-${inst.slug} .marker-shape`).boundingBox();
    const f = await page.locator(".map-frame").boundingBox();
    const cx = m.x + m.width / 2, cy = m.y + m.height / 2;
    assert.ok(cx > f.x && cx < f.x + f.width && cy > f.y && cy < f.y + f.height, "the marker is outside the visible map after zooming to it");
    const p = await popup.boundingBox();
    assert.ok(p.x >= f.x - 1 && p.x + p.width <= f.x + f.width + 1 && p.y >= f.y - 1 && p.y + p.height <= f.y + f.height + 1, "the popup overflows the map");
  });

  test("directory: choosing another name moves the highlight", async (t) => {
    const page = await t.open("");
    const [a, b] = site.institutions.filter((i) => i.country !== site.institutions[0].country).slice(0, 2);
    const dir = directory(page);
    await dir.getByRole("button", { name: a.name, exact: true }).click();
    await page.getByRole("dialog", { name: a.name }).waitFor();
    await dir.getByRole("button", { name: b.name, exact: true }).click();
    await page.getByRole("dialog", { name: b.name }).waitFor();
    const active = await page.locator(`${MAP} a.marker.is-active`).evaluateAll((ms) => ms.map((m) => m.dataset.slug));
    assert.deepEqual(active, [b.slug], "exactly the last chosen marker is highlighted");
    const activeItems = await page.locator(".directory li.inst.is-active").evaluateAll((ls) => ls.map((l) => l.dataset.slug));
    assert.deepEqual(activeItems, [b.slug], "exactly the last chosen list entry is highlighted");
    const s = await shown(page);
    assert.equal(s.items.length, total, "choosing a name must not filter the list");
  });
}
