// Every kind of page: axe-core finds no WCAG 2.x A/AA violation, none logs a
// console error with JavaScript on, and the screenshots for people to look at.
import assert from "node:assert/strict";
import { PHONE } from "./phone.mjs";
import { sidebarToggle, directory } from "../lib/page.mjs";

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export async function axe(t, page, what) {
  await page.addScriptTag({ path: t.suite.axePath });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), AXE_TAGS);
  return result.violations.map((v) => {
    const n = v.nodes[0] || {};
    return `${what}: ${v.id} (${v.impact}) ${v.nodes.length} node(s), first ${JSON.stringify(n.target)}: ${v.help}` +
      (n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, " ").slice(0, 240)}` : "");
  });
}

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;
  const inst = site.bySlug.get("makerere-university") || site.institutions[0];
  const kinds = [
    ["home page", ""],
    ["institution page", `institutions/${inst.slug}/`],
    ["network page", `networks/${site.networks.find((n) => n.slug === "africa")?.slug || site.networks[0].slug}/`],
    ["country page", `countries/${inst.country.toLowerCase()}/`],
  ];

  for (const [what, p] of kinds) {
    test(`axe: no WCAG 2.2 A/AA violations on the ${what} (/${p})`, async (t) => {
      const page = await t.open(p);
      const v = await axe(t, page, `/${p}`);
      assert.equal(v.length, 0, `${v.length} violation(s):\n` + v.join("\n"));
    });
  }

  test("axe: no violations on the home page with a popup open, nor on a phone with the sidebar open", async (t) => {
    const page = await t.open("");
    await directory(page).getByRole("button", { name: inst.name, exact: true }).click();
    await page.getByRole("dialog", { name: inst.name }).waitFor();
    const v = await axe(t, page, "home with popup");
    const phone = await t.open("", PHONE);
    await sidebarToggle(phone).click();
    v.push(...(await axe(t, phone, "phone home, sidebar open")));
    assert.equal(v.length, 0, `${v.length} violation(s):\n` + v.join("\n"));
  });

  test("console: no errors with JavaScript on any kind of page (home, institutions, networks, countries, free pages, 404)", async (t) => {
    const context = await t.context();
    const page = await context.newPage();
    /* Only the home page runs a script; the other pages of a kind share a
       template, so a sample of each kind tells as much as all of them. */
    const longest = [...site.institutions].sort((a, b) => b.name.length - a.name.length)[0];
    const most = [...site.institutions].sort((a, b) => b.networks.length - a.networks.length)[0];
    const nonAscii = site.institutions.find((i) => /[^\x00-\x7f]/.test(i.name)) || longest;
    const insts = [...new Set([site.institutions[0], site.institutions[site.institutions.length - 1], inst, longest, most, nonAscii])];
    const countries = [...new Set([site.countries[0], site.countries[site.countries.length - 1], inst.country, longest.country])];
    const paths = [
      "",
      ...insts.map((i) => `institutions/${i.slug}/`),
      ...site.networks.map((n) => `networks/${n.slug}/`),
      ...countries.map((c) => `countries/${c.toLowerCase()}/`),
      "about/",
      "join/",
    ];
    for (const p of paths) {
      const res = await page.goto(t.url(p));
      assert.equal(res.status(), 200, `/${p} answers ${res.status()}`);
      assert.equal(await page.getByRole("heading", { level: 1 }).count(), 1, `/${p} has no single h1`);
      const css = await page.evaluate(() => getComputedStyle(document.body).display);
      assert.equal(css, "flex", `/${p}: the stylesheet did not apply`);
    }
    await page.goto(t.url(""));
    await directory(page).getByRole("button", { name: inst.name, exact: true }).click();
    await page.getByRole("dialog", { name: inst.name }).waitFor();
    await page.getByRole("button", { name: "Zoom in" }).click();
    await page.keyboard.press("Escape");
    await page.waitForTimeout(500);

    /* A miss anywhere below the site gets the styled 404 page. */
    for (const miss of ["no-such-page.html", "institutions/no-such-school/", "a/b/c/d/"]) {
      const at = esc(new URL(t.url(miss)).pathname);
      t.allow(new RegExp(`console error on ${at}: Failed to load resource: the server responded with a status of 404 .*\\(${at}:0\\)$`));
      const res = await page.goto(t.url(miss));
      assert.equal(res.status(), 404, `/${miss}`);
      assert.match(await page.getByRole("heading", { level: 1 }).textContent(), /not found/i, `the 404 page at /${miss}`);
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).display), "flex", `the 404 page at /${miss} is unstyled`);
      const home = page.getByRole("link", { name: /partner map/i }).first();
      const href = new URL(await home.getAttribute("href"), page.url()).href;
      assert.ok(href === t.url("") || href === t.url("index.html"), `the 404 page at /${miss} links home to ${href}`);
    }
    t.note(`visited ${paths.length + 4} pages`);
  });

  test("screenshots: home and institution page at 1280x900 and 390x844 (tests/out/browser/)", async (t) => {
    const desk = await t.open("");
    await t.shot(desk, "home-1280.png");
    await directory(desk).getByRole("button", { name: inst.name, exact: true }).click();
    await desk.getByRole("dialog", { name: inst.name }).waitFor();
    await desk.waitForTimeout(600);
    await t.shot(desk, "home-1280-popup.png");
    await desk.goto(t.url(`institutions/${inst.slug}/`));
    await t.shot(desk, "institution-1280.png", { fullPage: true });

    const phone = await t.open("", { ...PHONE, deviceScaleFactor: 1 });
    await t.shot(phone, "home-390.png");
    await sidebarToggle(phone).click();
    await t.shot(phone, "home-390-sidebar.png");
    await phone.goto(t.url(`institutions/${inst.slug}/`));
    await t.shot(phone, "institution-390.png", { fullPage: true });
    t.note(`screenshots in tests/out/browser/`);
  });
}
