// Long lists over numbered pages: the example built with page_size: 10,
// so its global network spans several pages. From the keyboard alone a
// reader reaches the pagination, goes to the next page and back; page 2
// marks itself current, names its neighbours in <link rel>, and axe-core
// finds no WCAG 2.x A/AA violation on it. Screenshots of page 2 at 1280
// and 390 px (the map's count markers and the pagination) to look at.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { serve } from "../lib/server.mjs";
import { axe } from "./pages.mjs";

const PAGE_SIZE = 10;

/* The example with page_size set, built and served from a temporary
   folder; resolves to {url, out, close()}. */
async function pagedExample(tool, root) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnermap-paging-"));
  const site = path.join(tmp, "site");
  ["content", "geodata", "themes", "site.yml"].forEach((part) =>
    fs.cpSync(path.join(root, part), path.join(site, part), { recursive: true }));
  fs.appendFileSync(path.join(site, "site.yml"), `\npage_size: ${PAGE_SIZE}\n`);
  const out = path.join(tmp, "out");
  const run = spawnSync(tool, ["build", "-q", "-C", site, "-o", out], { encoding: "utf8", timeout: 60000 });
  if (run.status !== 0) throw new Error(`the paged build failed: ${run.stderr}`);
  const server = await serve(out, "/");
  const close = async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { url: server.url, out, close };
}

/* Press Tab until the focused element matches `selector`; fails after
   `limit` presses. */
async function tabTo(page, selector, limit = 200) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  throw new Error(`${selector} was not reached in ${limit} presses of Tab`);
}

const NEXT = 'nav.pagination a[rel="next"]';
const PREV = 'nav.pagination a[rel="prev"]';

export default function register(suite, { tool, root }) {
  suite.test("paging: a network's pages are followed by keyboard, and page 2 passes axe", async (t) => {
    const site = await pagedExample(tool, root);
    try {
      const members = suite.site.institutions.filter((i) => i.networks.includes("global")).length;
      const pages = Math.ceil(members / PAGE_SIZE);
      assert.ok(pages >= 3, `the global network has ${members} members: too few to page`);
      const page = await (await t.context()).newPage();
      await page.goto(site.url + "networks/global/");
      assert.equal(await page.locator("nav.pagination [aria-current=page]").textContent(), "1");
      await tabTo(page, NEXT);
      await Promise.all([page.waitForURL(/networks\/global\/page\/2\/(index\.html)?$/), page.keyboard.press("Enter")]);

      assert.equal(await page.locator("nav.pagination [aria-current=page]").textContent(), "2");
      assert.equal(await page.title(), `Global Network — page 2 of ${pages} · Health Professions Exchange Network`);
      assert.equal(await page.locator("li.inst").count(), PAGE_SIZE);
      const rel = async (r) => new URL(await page.getAttribute(`link[rel=${r}]`, "href"), page.url()).pathname;
      assert.equal(await rel("prev"), "/networks/global/index.html");
      assert.equal(await rel("next"), "/networks/global/page/3/index.html");
      const v = await axe(t, page, "/networks/global/page/2/");
      assert.equal(v.length, 0, `${v.length} violation(s):\n` + v.join("\n"));
      await t.shot(page, "paging-network-2-1280.png", { fullPage: true });

      await tabTo(page, PREV);
      await Promise.all([page.waitForURL(/networks\/global\/(index\.html)?$/), page.keyboard.press("Enter")]);
      assert.equal(await page.locator("nav.pagination [aria-current=page]").textContent(), "1");

      const phone = await (await t.context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
      await phone.goto(site.url + "networks/global/page/2/");
      await t.shot(phone, "paging-network-2-390.png", { fullPage: true });
    } finally {
      await site.close();
    }
  }, { timeout: 120000 });
}
