// The example site in Arabic, right to left: axe-core finds no WCAG 2.x
// A/AA violation, the layout mirrors (the sidebar on the right, the zoom
// buttons on the left) while the map keeps its geography, and the status
// line the script writes is Arabic, with Arabic digits and the plural form
// of the total. Screenshots at 1280 and 390 px for people to look at.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { serve } from "../lib/server.mjs";
import { axe } from "./pages.mjs";

/* The example (records, basemap, theme from root) built in `language`
   into a temporary folder and served; resolves to {url, close()}. */
async function buildIn(tool, root, language) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnermap-i18n-"));
  const site = path.join(tmp, "site");
  for (const part of ["content", "geodata", "themes"]) {
    fs.cpSync(path.join(root, part), path.join(site, part), { recursive: true });
  }
  /* one language: the example's translation files (<slug>.<lang>.md,
     index.<lang>.md) go */
  for (const f of fs.readdirSync(path.join(site, "content"), { recursive: true })) {
    if (/\.[^./]+\.md$/.test(f)) fs.rmSync(path.join(site, "content", f));
  }
  const yml = fs.readFileSync(path.join(root, "site.yml"), "utf8").replace(/^languages?:.*$/m, `language: ${language}`);
  fs.writeFileSync(path.join(site, "site.yml"), yml);
  const out = path.join(tmp, "out");
  const built = spawnSync(tool, ["build", "-q", "-C", site, "-o", out], { encoding: "utf8", timeout: 60000 });
  if (built.status !== 0) throw new Error(`the ${language} build failed: ${built.stderr}`);
  const server = await serve(out, "/");
  return {
    url: server.url,
    close: async () => {
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export default function register(suite, { tool, root }) {
  suite.test("i18n: the Arabic home page is right to left, passes axe, and its script speaks Arabic", async (t) => {
    const ar = await buildIn(tool, root, "ar");
    try {
      const context = await t.context();
      const page = await context.newPage();
      await page.goto(ar.url);
      assert.equal(await page.getAttribute("html", "dir"), "rtl");
      assert.equal(await page.getAttribute("html", "lang"), "ar");
      const v = await axe(t, page, "/ (ar)");
      assert.equal(v.length, 0, `${v.length} violation(s):\n` + v.join("\n"));

      /* mirrored: the sidebar right of the map, the zoom buttons at the
         map's left; the map itself is not mirrored (west stays left) */
      const box = (sel) => page.locator(sel).first().boundingBox();
      const [sidebar, map, zoom] = [await box("#sidebar"), await box(".map-frame"), await box(".zoom-controls")];
      assert.ok(sidebar.x > map.x, `the sidebar (x ${sidebar.x}) is not right of the map (x ${map.x})`);
      assert.ok(zoom.x < map.x + map.width / 2, "the zoom buttons are not on the map's left");
      const west = await box('.map-frame svg a.marker[data-slug="pontificia-universidad-catolica-de-chile"]');
      const east = await box('.map-frame svg a.marker[data-slug="makerere-university"]');
      assert.ok(west && east && west.x < east.x, "the map is mirrored: Chile is not west of Uganda");

      await page.getByRole("searchbox").fill("kampala");
      await page.waitForFunction(() => !/٧٧ من أصل/.test(document.querySelector("#filter-status").textContent));
      assert.equal(await page.textContent("#filter-status"), "عرض ١ من أصل ٧٧ مؤسسة");
      await page.getByRole("searchbox").fill("");
      await t.shot(page, "ar-home-1280.png");

      const phone = await (await t.context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
      await phone.goto(ar.url);
      await t.shot(phone, "ar-home-390.png");
    } finally {
      await ar.close();
    }
  }, { timeout: 90000 });
}
