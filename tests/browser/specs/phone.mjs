// A phone, 390 x 844: nothing scrolls sideways, the map shows, the sidebar
// starts closed and opens with its toggle, a name brings back the map.
import assert from "node:assert/strict";
import { MAP, searchBox, sidebarToggle, directory, sidebarOf, clickableMarker, markerCentre } from "../lib/page.mjs";

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/* Phone emulation shrinks a page that is too wide to fit (and innerWidth
   grows with it), so the width is also held against the 390 px screen. */
const overflow = (page) => page.evaluate((screen) => {
  const w = Math.min(window.innerWidth, screen), sw = document.documentElement.scrollWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.checkVisibility() && e.getBoundingClientRect().right > w + 1)
    .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1)
    .slice(0, 4)
    .map((e) => `<${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.getAttribute("class") ? "." + e.getAttribute("class").split(/\s+/).join(".") : ""}> right=${Math.round(e.getBoundingClientRect().right)}`);
  return { w, sw, inner: window.innerWidth, wide };
}, PHONE.viewport.width);

async function noSideScroll(page, what) {
  const o = await overflow(page);
  assert.ok(o.sw <= o.w && o.inner <= PHONE.viewport.width,
    `${what}: the page scrolls sideways (scrollWidth ${o.sw}, innerWidth ${o.inner}, screen ${PHONE.viewport.width}); too wide: ${o.wide.join(", ")}`);
}

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;

  test("phone 390x844: no sideways scrolling on the home, institution, network and country pages", async (t) => {
    const page = await t.open("", PHONE);
    await noSideScroll(page, "home");
    await sidebarToggle(page).click();
    await noSideScroll(page, "home with the sidebar open");
    const inst = site.institutions.reduce((a, b) => (b.name.length > a.name.length ? b : a));
    for (const p of [`institutions/${inst.slug}/`, "institutions/makerere-university/", `networks/${site.networks[0].slug}/`, `countries/${inst.country.toLowerCase()}/`, "about/"]) {
      const res = await page.goto(t.url(p));
      if (res.status() === 404 && p === "about/") continue;
      assert.equal(res.status(), 200, p);
      await noSideScroll(page, p);
    }
  });

  test("phone 390x844: the map shows, the sidebar starts closed and its toggle opens it", async (t) => {
    const page = await t.open("", PHONE);
    const toggle = sidebarToggle(page);
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "on a phone the sidebar should start closed");
    assert.ok(await (await sidebarOf(page)).isHidden(), "the closed sidebar is shown");
    const frame = page.locator(".map-frame");
    assert.ok(await frame.isVisible(), "the map is not visible");
    const f = await frame.boundingBox();
    assert.ok(f.width >= 300 && f.height >= 150, `the map is too small: ${f.width} x ${f.height}`);
    assert.ok(f.x >= 0 && f.x + f.width <= 390, "the map does not fit the screen");
    const svg = await page.locator(MAP).boundingBox();
    assert.ok(svg.height >= 150, "the map's SVG is squashed");
    assert.ok(await page.getByRole("button", { name: "Zoom in" }).isVisible(), "the zoom buttons are not visible");
    // laid over a map this small, the buttons hid East Asia's markers
    const z = await page.locator(".zoom-controls").boundingBox();
    assert.ok(z.y + z.height <= f.y + 1,
      `the zoom buttons lie over the map (buttons ${Math.round(z.y)}..${Math.round(z.y + z.height)}, map from ${Math.round(f.y)})`);
    for (const b of await page.locator(".zoom-controls button").all()) {
      const r = await b.boundingBox();
      assert.ok(r.width >= 24 && r.height >= 24, "a zoom button is too small to tap");
    }
    // the search comes first in the drawer: on a phone its boxes are long
    const tb = await toggle.boundingBox();
    assert.ok(tb.width >= 24 && tb.height >= 24, "the toggle is too small to tap");

    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.ok(await searchBox(page).isVisible(), "the search box does not show when the sidebar opens");
    const sb = await searchBox(page).boundingBox(), first = await page.locator(".filter").first().boundingBox();
    assert.ok(sb.y < first.y, "the search box comes after the filters in the drawer");
    assert.ok(sb.y + sb.height <= 844, "the search box is not on the first screen of the open drawer");
    const dir = directory(page);
    const inst = site.bySlug.get("makerere-university") || site.institutions[0];
    const name = dir.getByRole("button", { name: inst.name, exact: true });
    await searchBox(page).fill("kampala");
    assert.ok(await name.isVisible(), "the directory entry is not visible in the open sidebar");
    await name.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "choosing a name does not close the sidebar over the map");
    const popup = page.getByRole("dialog", { name: inst.name });
    await popup.waitFor({ state: "visible" });
    assert.ok(await frame.isVisible(), "the map is not visible after choosing a name");
    const p = await popup.boundingBox();
    assert.ok(p.x >= 0 && p.x + p.width <= 390, `the popup does not fit the screen: x ${p.x}..${p.x + p.width}`);
    await noSideScroll(page, "home with a popup open");

    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await searchBox(page).inputValue(), "kampala", "reopening the sidebar lost the search");
    // the count is under the search box, in sight while one types
    const st = await page.locator("#filter-status").boundingBox(), sb2 = await searchBox(page).boundingBox();
    assert.ok(st.y >= sb2.y + sb2.height && st.y + st.height <= 844, "the live count is not in sight under the search box");
    // Escape empties the search, then closes the sidebar, focus back on its toggle
    await searchBox(page).focus();
    await page.keyboard.press("Escape");
    assert.equal(await searchBox(page).inputValue(), "", "Escape did not empty the search");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true", "the first Escape closed the sidebar");
    await page.keyboard.press("Escape");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false", "a second Escape did not close the sidebar");
    assert.ok(await toggle.evaluate((b) => b === document.activeElement), "the focus did not go back to the toggle");
  });

  test("phone 390x844: a tap on a marker opens its popup", async (t) => {
    const page = await t.open("", PHONE);
    const slug = await clickableMarker(page);
    const { x, y } = await markerCentre(page, slug);
    await page.touchscreen.tap(x, y);
    await page.getByRole("dialog", { name: site.bySlug.get(slug).name }).waitFor({ state: "visible" });
    assert.match(new URL(page.url()).pathname, /\/$|index\.html$/, "a tap followed the marker's link");
  });
}
