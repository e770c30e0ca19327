// Helpers that read the home page the way a visitor sees it.
import assert from "node:assert/strict";
import { eventually } from "./harness.mjs";

export const MAP = ".map-frame svg.pm-map";

/* The slugs of the markers and directory entries that are really shown
   (display, visibility and opacity all considered), and the live status. */
export async function shown(page) {
  return page.evaluate((MAP) => {
    const vis = (e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    const slugs = (sel) => [...document.querySelectorAll(sel)].filter(vis).map((e) => e.getAttribute("data-slug")).sort();
    const status = document.querySelector('[role="status"]');
    return {
      markers: slugs(`${MAP} a.marker`),
      items: slugs(".directory li.inst"),
      status: status ? status.textContent.replace(/\s+/g, " ").trim() : null,
    };
  }, MAP);
}

/* Same as `shown`, but the list entries count even when the sidebar is
   closed (li.inst not [hidden] and its country group not [hidden]). */
export async function filtered(page) {
  return page.evaluate((MAP) => {
    const items = [...document.querySelectorAll(".directory li.inst")]
      .filter((li) => !li.closest("[hidden]"))
      .map((li) => li.getAttribute("data-slug"))
      .sort();
    const markers = [...document.querySelectorAll(`${MAP} a.marker`)]
      .filter((m) => getComputedStyle(m).display !== "none")
      .map((m) => m.getAttribute("data-slug"))
      .sort();
    return { items, markers };
  }, MAP);
}

/* Check that markers, list and status all show exactly `slugs`. */
export async function expectShown(page, slugs, total, what) {
  await eventually(async () => {
    const s = await shown(page);
    const want = [...slugs].sort();
    const diff = (a, b) => a.filter((x) => !b.includes(x));
    const explain = (kind, got) =>
      `${what}: ${kind} show ${got.length}, expected ${want.length}` +
      (diff(got, want).length ? `; shown but should not be: ${diff(got, want).slice(0, 6).join(", ")}` : "") +
      (diff(want, got).length ? `; missing: ${diff(want, got).slice(0, 6).join(", ")}` : "");
    assert.deepEqual(s.markers, want, explain("the markers", s.markers));
    assert.deepEqual(s.items, want, explain("the directory entries", s.items));
    assert.equal(s.status, `Showing ${want.length} of ${total} institutions`, `${what}: the status region`);
  }, 2000);
}

export async function viewBox(page) {
  const v = await page.locator(MAP).getAttribute("viewBox");
  return v.trim().split(/[\s,]+/).map(Number);
}

/* Wait until the viewBox stops moving (zoom animations), then return it. */
export async function settledViewBox(page, timeout = 3000) {
  const end = Date.now() + timeout;
  let last = await viewBox(page);
  for (;;) {
    await page.waitForTimeout(120);
    const now = await viewBox(page);
    if (now.every((v, i) => Math.abs(v - last[i]) < 1e-6) || Date.now() > end) return now;
    last = now;
  }
}

export const networkGroup = (page) => page.getByRole("group", { name: "Networks", exact: true });
export const levelGroup = (page) => page.getByRole("group", { name: "Exchange level", exact: true });
export const netBox = (page, net) => networkGroup(page).getByRole("checkbox", { name: net.name });
export const levelBox = (page, level) => levelGroup(page).getByRole("checkbox", { name: new RegExp("^" + level, "i") });
export const searchBox = (page) => page.getByRole("searchbox", { name: /search/i });
export const sidebarToggle = (page) => page.getByRole("button", { name: "Filters and list" });
export const directory = (page) => page.getByRole("region", { name: "Institutions by country" });
/* The sidebar, found as the toggle says: through its aria-controls. */
export async function sidebarOf(page) {
  const id = await sidebarToggle(page).getAttribute("aria-controls");
  assert.ok(id, "the sidebar toggle has no aria-controls");
  return page.locator(`[id="${id}"]`);
}

/* A visible marker whose middle is not covered by another one, so that a
   click there lands on it. Prefers the given slugs, in order. */
export async function clickableMarker(page, prefer = []) {
  const slug = await page.evaluate(
    ({ MAP, prefer }) => {
      const ms = [...document.querySelectorAll(`${MAP} a.marker`)].filter((m) => m.checkVisibility());
      ms.sort((a, b) => {
        const ia = prefer.indexOf(a.dataset.slug), ib = prefer.indexOf(b.dataset.slug);
        return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
      });
      for (const m of ms) {
        const r = (m.querySelector(".marker-shape") || m).getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (hit && hit.closest("a.marker") === m) return m.dataset.slug;
      }
      return null;
    },
    { MAP, prefer }
  );
  assert.ok(slug, "no visible marker can be clicked on: every one is covered");
  return slug;
}

/* The middle of a marker's shape, in page coordinates. */
export async function markerCentre(page, slug) {
  const box = await page.locator(`${MAP} #marker-${slug} .marker-shape`).boundingBox();
  assert.ok(box, `marker ${slug} has no box on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

/* What has focus, and whether that is visible to the eye: an outline or a
   box-shadow on the element, or (markers draw their ring inside the SVG) a
   stroke on the marker's hit circle. */
export async function focusInfo(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: "body", ring: "none" };
    const cs = getComputedStyle(e);
    let ring = "none";
    if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) ring = `outline ${cs.outlineWidth} ${cs.outlineStyle}`;
    else if (cs.boxShadow && cs.boxShadow !== "none") ring = `box-shadow ${cs.boxShadow}`;
    else {
      const hit = e.matches("a.marker") && e.querySelector(".marker-hit");
      if (hit) {
        const hs = getComputedStyle(hit);
        if (hs.stroke && hs.stroke !== "none" && parseFloat(hs.strokeWidth) > 0) ring = `marker ring ${hs.strokeWidth} ${hs.stroke}`;
      }
    }
    const label = (e.getAttribute("aria-label") || e.textContent || e.value || "").replace(/\s+/g, " ").trim().slice(0, 60);
    return {
      tag: e.tagName.toLowerCase(),
      id: e.id || "",
      type: e.getAttribute("type") || "",
      name: e.getAttribute("name") || "",
      cls: typeof e.className === "string" ? e.className : e.getAttribute("class") || "",
      slug: e.getAttribute("data-slug") || "",
      label,
      isMarker: e.matches("a.marker"),
      isFrame: e.matches(".map-frame"),
      inDirectory: !!e.closest(".directory"),
      inFilters: !!e.closest(".filters"),
      inPopup: !!e.closest(".map-popup"),
      ring,
    };
  });
}

export const describe = (f) => `<${f.tag}${f.id ? "#" + f.id : ""}${f.cls ? "." + f.cls.split(/\s+/).join(".") : ""}> "${f.label}"`;
