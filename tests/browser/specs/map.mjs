// Home page: markers and their popup, zoom and pan by buttons, wheel, drag
// and pinch, marker sizes, and shapes as well as colours.
import assert from "node:assert/strict";
import { eventually } from "../lib/harness.mjs";
import { clickableMarker, markerCentre, settledViewBox, viewBox, MAP } from "../lib/page.mjs";

/* A point on the map's land or sea, away from markers, popup and buttons. */
const emptyMapPoint = (page) => page.evaluate((MAP) => {
  const f = document.querySelector(".map-frame").getBoundingClientRect();
  for (let gy = 0.2; gy < 0.95; gy += 0.1) {
    for (let gx = 0.05; gx < 0.95; gx += 0.1) {
      const x = f.left + f.width * gx, y = f.top + f.height * gy;
      const e = document.elementFromPoint(x, y);
      if (e && e.closest(MAP) && !e.closest("a.marker")) {
        const clear = [[-20, 0], [20, 0], [0, -20], [0, 20]].every(([dx, dy]) => {
          const n = document.elementFromPoint(x + dx, y + dy);
          return n && n.closest(MAP) && !n.closest("a.marker");
        });
        if (clear) return { x, y };
      }
    }
  }
  return null;
}, MAP);

const near = (a, b, tol = 0.5) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;

  test("markers: clicking one opens its popup; the popup's link leads to the institution's page", async (t) => {
    const page = await t.open("");
    const slug = await clickableMarker(page, ["makerere-university", "mahidol-university"]);
    const inst = site.bySlug.get(slug);
    const { x, y } = await markerCentre(page, slug);
    await page.mouse.click(x, y);
    const popup = page.getByRole("dialog", { name: inst.name });
    await popup.waitFor({ state: "visible" });
    const text = (await popup.textContent()).replace(/\s+/g, " ");
    for (const part of [inst.name, inst.city, inst.countryName]) assert.ok(text.includes(part), `the popup does not say "${part}"`);
    assert.match((await page.locator(`${MAP} #marker-${slug}`).getAttribute("class")) || "", /\bis-active\b/);
    assert.match(new URL(page.url()).pathname, /\/$|index\.html$/, "clicking a marker must not leave the home page");

    await popup.getByRole("link", { name: /details/i }).click();
    await page.waitForURL(new RegExp(`/institutions/${slug}/(index\\.html)?$`));
    assert.equal((await page.getByRole("heading", { level: 1 }).textContent()).trim(), inst.name, "the institution page's h1");
  });

  test("markers: Escape and the close button close the popup, focus goes back to the marker", async (t) => {
    const page = await t.open("");
    const slug = await clickableMarker(page, ["universidade-de-sao-paulo"]);
    const inst = site.bySlug.get(slug);
    const popup = page.getByRole("dialog", { name: inst.name });

    let { x, y } = await markerCentre(page, slug);
    await page.mouse.click(x, y);
    await popup.waitFor({ state: "visible" });
    assert.ok(await popup.evaluate((p) => p.contains(document.activeElement)), "the popup does not take focus when it opens");
    await page.keyboard.press("Escape");
    await popup.waitFor({ state: "hidden" });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), `marker-${slug}`, "focus did not return to the marker after Escape");
    assert.doesNotMatch((await page.locator(`#marker-${slug}`).getAttribute("class")) || "", /\bis-active\b/, "the marker stays highlighted after closing");

    ({ x, y } = await markerCentre(page, slug));
    await page.mouse.click(x, y);
    await popup.waitFor({ state: "visible" });
    await popup.getByRole("button", { name: "Close" }).click();
    await popup.waitFor({ state: "hidden" });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), `marker-${slug}`, "focus did not return to the marker after the close button");

    ({ x, y } = await markerCentre(page, slug));
    await page.mouse.click(x, y);
    await popup.waitFor({ state: "visible" });
    const empty = await emptyMapPoint(page);
    assert.ok(empty, "no spot of the map is free of markers and the popup");
    await page.mouse.click(empty.x, empty.y);
    await popup.waitFor({ state: "hidden" });
  });

  test("zoom: the +, - and reset buttons change the viewBox", async (t) => {
    const page = await t.open("");
    const initial = await viewBox(page);
    const zoomIn = page.getByRole("button", { name: "Zoom in" });
    const zoomOut = page.getByRole("button", { name: "Zoom out" });
    const reset = page.getByRole("button", { name: "Reset zoom" });
    assert.ok(await page.getByRole("group", { name: "Zoom", exact: true }).isVisible(), "no visible group of zoom buttons");

    await zoomIn.click();
    const in1 = await settledViewBox(page);
    assert.ok(in1[2] < initial[2] * 0.8, `+ did not zoom in: ${initial.join(" ")} -> ${in1.join(" ")}`);
    await zoomIn.click();
    const in2 = await settledViewBox(page);
    assert.ok(in2[2] < in1[2] * 0.8, "a second + did not zoom further");
    await zoomOut.click();
    const out1 = await settledViewBox(page);
    assert.ok(out1[2] > in2[2] * 1.2, "- did not zoom out");
    await reset.click();
    await eventually(async () => assert.ok(near(await viewBox(page), initial), `reset did not show the whole world: ${(await viewBox(page)).join(" ")}`));
    await zoomOut.click();
    assert.ok(near(await settledViewBox(page), initial), "zooming out past the whole world changes the viewBox");
  });

  test("zoom: the map's keys (+, -, 0, arrows) zoom and pan", async (t) => {
    const page = await t.open("");
    const initial = await viewBox(page);
    await page.locator(".map-frame").focus();
    await page.keyboard.press("+");
    const a = await settledViewBox(page);
    assert.ok(a[2] < initial[2] * 0.8, "+ on the map did not zoom in");
    await page.keyboard.press("ArrowRight");
    const b = await settledViewBox(page);
    assert.ok(b[0] > a[0] + 1, `ArrowRight did not pan east: x ${a[0]} -> ${b[0]}`);
    await page.keyboard.press("ArrowUp");
    const c = await settledViewBox(page);
    assert.ok(c[1] < b[1] - 1, `ArrowUp did not pan north: y ${b[1]} -> ${c[1]}`);
    await page.keyboard.press("-");
    const d = await settledViewBox(page);
    assert.ok(d[2] > c[2] * 1.2, "- on the map did not zoom out");
    await page.keyboard.press("+");
    await page.keyboard.press("0");
    await eventually(async () => assert.ok(near(await viewBox(page), initial), "0 did not reset the map"));
  });

  test("zoom: the mouse wheel over the map zooms around the pointer", async (t) => {
    const page = await t.open("");
    const initial = await viewBox(page);
    const f = await page.locator(".map-frame").boundingBox();
    const px = f.x + f.width * 0.7, py = f.y + f.height * 0.4;
    const under = () => page.evaluate(({ MAP, px, py }) => {
      const svg = document.querySelector(MAP);
      const p = new DOMPoint(px, py).matrixTransform(svg.getScreenCTM().inverse());
      return [p.x, p.y];
    }, { MAP, px, py });
    const before = await under();
    await page.mouse.move(px, py);
    await page.mouse.wheel(0, -300);
    const after = await eventually(async () => {
      const v = await viewBox(page);
      assert.ok(v[2] < initial[2] * 0.9, `the wheel did not zoom in: ${initial.join(" ")} -> ${v.join(" ")}`);
      return v;
    });
    const still = await under();
    assert.ok(Math.hypot(still[0] - before[0], still[1] - before[1]) < initial[2] / 100,
      `the point under the pointer moved: (${before.map((v) => v.toFixed(1))}) -> (${still.map((v) => v.toFixed(1))})`);
    await page.mouse.wheel(0, 300);
    await eventually(async () => assert.ok((await viewBox(page))[2] > after[2] * 1.2, "wheel down did not zoom out"));
  });

  test("zoom: dragging the zoomed map pans it and opens no popup", async (t) => {
    const page = await t.open("");
    await page.getByRole("button", { name: "Zoom in" }).click();
    await page.getByRole("button", { name: "Zoom in" }).click();
    const before = await settledViewBox(page);
    const f = await page.locator(".map-frame").boundingBox();
    const x0 = f.x + f.width / 2, y0 = f.y + f.height / 2;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x0 - 120, y0 - 60, { steps: 8 });
    await page.mouse.up();
    const after = await settledViewBox(page);
    const scale = f.width / before[2];
    assert.ok(after[0] > before[0] + 40 / scale, `dragging left did not move the view east: x ${before[0]} -> ${after[0]}`);
    assert.ok(after[1] > before[1] + 20 / scale, `dragging up did not move the view south: y ${before[1]} -> ${after[1]}`);
    assert.ok(Math.abs(after[2] - before[2]) < 0.01, "dragging changed the zoom");
    assert.ok(await page.locator(".map-popup").isHidden(), "a drag ended in a click that opened a popup");
    assert.match(new URL(page.url()).pathname, /\/$|index\.html$/, "a drag followed a marker's link");
  });

  test("zoom: markers keep their size on screen when the map zooms", async (t) => {
    const page = await t.open("");
    const slug = await clickableMarker(page, ["makerere-university"]);
    const shape = page.locator(`${MAP} #marker-${slug} .marker-shape`);
    const hit = page.locator(`${MAP} #marker-${slug} .marker-hit`);
    const a = await shape.boundingBox(), ha = await hit.boundingBox();
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Zoom in" }).click();
    const v = await settledViewBox(page);
    assert.ok(v[2] < 960 / 3, "the map did not zoom in enough to measure");
    const b = await shape.boundingBox(), hb = await hit.boundingBox();
    for (const [what, r] of [["width", b.width / a.width], ["height", b.height / a.height], ["hit area", hb.width / ha.width]]) {
      assert.ok(r > 0.75 && r < 1.25, `the marker's ${what} changed by ${r.toFixed(2)}x when zooming in (${a.width.toFixed(1)} -> ${b.width.toFixed(1)} px)`);
    }
  });

  test("zoom: two fingers pinch-zoom the map (touch via CDP)", async (t) => {
    const context = await t.context({ hasTouch: true });
    const page = await context.newPage();
    await page.goto(t.url(""));
    const initial = await viewBox(page);
    let cdp;
    try {
      cdp = await context.newCDPSession(page);
    } catch (err) {
      t.skip(`no CDP session to dispatch touches (${err.message})`);
    }
    const f = await page.locator(".map-frame").boundingBox();
    const cx = Math.round(f.x + f.width / 2), cy = Math.round(f.y + f.height / 2);
    const fingers = (d) => [
      { x: cx - d, y: cy, id: 1, radiusX: 2, radiusY: 2, force: 1 },
      { x: cx + d, y: cy, id: 2, radiusX: 2, radiusY: 2, force: 1 },
    ];
    try {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers(30) });
    } catch (err) {
      t.skip(`Input.dispatchTouchEvent is not available (${err.message})`);
    }
    for (let d = 40; d <= 150; d += 10) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers(d) });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    const after = await settledViewBox(page);
    assert.ok(after[2] < initial[2] * 0.6, `spreading two fingers did not zoom in: ${initial.join(" ")} -> ${after.join(" ")}`);
    assert.ok(await page.locator(".map-popup").isHidden(), "a pinch opened a popup");
    const vv = await page.evaluate(() => (window.visualViewport ? window.visualViewport.scale : 1));
    assert.equal(vv, 1, "the pinch zoomed the whole page instead of the map");
  });

  test("markers: each marker's hit area is at least 24 x 24 CSS px at 1280 px", async (t) => {
    const page = await t.open("");
    const boxes = await page.locator(`${MAP} a.marker .marker-hit`).evaluateAll((hs) =>
      hs.filter((h) => h.checkVisibility()).map((h) => {
        const r = h.getBoundingClientRect();
        return { slug: h.closest("a.marker").dataset.slug, w: r.width, h: r.height };
      }));
    assert.equal(boxes.length, site.institutions.length, "every marker has a visible .marker-hit");
    const small = boxes.filter((b) => b.w < 24 || b.h < 24);
    const min = Math.min(...boxes.map((b) => Math.min(b.w, b.h)));
    const frame = await page.locator(".map-frame").boundingBox();
    assert.equal(small.length, 0,
      `${small.length} of ${boxes.length} hit areas are under 24 x 24 px (smallest ${min.toFixed(1)} px; map frame ${Math.round(frame.width)} x ${Math.round(frame.height)} px), e.g. ` +
      small.slice(0, 3).map((b) => `${b.slug} ${b.w.toFixed(1)} x ${b.h.toFixed(1)}`).join(", "));
  });

  test("markers: each marker's hit area is at least 24 x 24 CSS px on a 390 px phone too", async (t) => {
    const page = await t.open("", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const sizes = await page.locator(`${MAP} a.marker .marker-hit`).evaluateAll((hs) =>
      hs.filter((h) => h.checkVisibility()).map((h) => {
        const r = h.getBoundingClientRect();
        return Math.min(r.width, r.height);
      }));
    assert.equal(sizes.length, site.institutions.length, "every marker has a visible .marker-hit on a phone");
    const min = Math.min(...sizes);
    t.note(`on a 390 px phone the smallest marker hit area is ${min.toFixed(1)} px`);
    assert.ok(min >= 24, `marker hit areas on a phone are only ${min.toFixed(1)} px (themes/README.md promises at least 24 CSS px)`);
  });

  test("colour is not the only cue: swatch shapes and marker shapes differ per network", async (t) => {
    const page = await t.open("");
    const swatchShape = {};
    for (const n of site.networks) {
      const label = page.locator(`label[for="${await page.getByRole("checkbox", { name: n.name }).getAttribute("id")}"]`);
      const shape = await label.locator("svg.swatch use").first().getAttribute("href").catch(() => null);
      assert.ok(shape, `the "${n.name}" checkbox's label has no swatch`);
      swatchShape[n.slug] = shape.replace(/^#shape-/, "");
      const defined = await page.locator(`[id="shape-${swatchShape[n.slug]}"]`).count();
      assert.equal(defined, 1, `the swatch refers to #shape-${swatchShape[n.slug]}, which the page does not define`);
      assert.equal(await label.locator("svg.swatch").getAttribute("aria-hidden"), "true", "the swatch is decoration, hidden from screen readers");
    }
    const shapes = Object.values(swatchShape);
    assert.equal(new Set(shapes).size, shapes.length, `two networks share a swatch shape: ${JSON.stringify(swatchShape)}`);

    const legend = await page.locator(".map-legend svg.swatch use").evaluateAll((us) => us.map((u) => u.getAttribute("href")));
    assert.deepEqual(legend.map((h) => h.replace(/^#shape-/, "")).sort(), [...shapes].sort(), "the map legend's shapes differ from the filters'");

    const markerShapes = await page.locator(`${MAP} a.marker`).evaluateAll((ms) => ms.map((m) => ({
      slug: m.dataset.slug,
      nets: (m.dataset.networks || "").split(/\s+/).filter(Boolean),
      shapes: [...m.querySelectorAll(".marker-shape")].flatMap((s) => [...s.classList].filter((c) => c.startsWith("shape-")).map((c) => c.slice(6))),
    })));
    const byNet = {};
    for (const m of markerShapes) {
      assert.equal(m.shapes.length, 1, `marker ${m.slug} has ${m.shapes.length} shape-* classes`);
      assert.ok(m.nets.map((n) => swatchShape[n]).includes(m.shapes[0]),
        `marker ${m.slug} (networks ${m.nets.join(", ")}) is a ${m.shapes[0]}, the shape of none of its networks`);
      if (m.nets.length === 1) (byNet[m.nets[0]] ||= new Set()).add(m.shapes[0]);
    }
    for (const n of site.networks) {
      assert.ok(byNet[n.slug], `no marker of an institution only in ${n.slug}`);
      assert.deepEqual([...byNet[n.slug]], [swatchShape[n.slug]], `markers of ${n.slug} alone are not all ${swatchShape[n.slug]}s`);
    }
  });
}
