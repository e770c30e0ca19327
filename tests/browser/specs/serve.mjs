// partnermap serve in a browser: an institution page open while its record
// is edited reloads with the new text; a save that breaks the record shows
// the error over the page (the last good page under it); the fix takes the
// overlay away. The server runs on a copy of the minimal site of its own.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..", "..");
/* Builds share a busy machine with the browser: generous, but bounded. */
const WAIT = 40000;

/* The minimal site with copies of the basemap and the theme (a build reads
   nothing outside its site folder). */
function copySite(tmp) {
  const site = path.join(tmp, "site");
  fs.cpSync(path.join(ROOT, "tests", "fixtures", "site-min"), site, { recursive: true });
  fs.cpSync(path.join(ROOT, "themes"), path.join(site, "themes"), { recursive: true });
  fs.mkdirSync(path.join(site, "geodata"));
  for (const f of fs.readdirSync(path.join(ROOT, "geodata"))) {
    if (/^naturalearth_lowres\.(shp|shx|dbf|prj|cpg)$/.test(f)) {
      fs.copyFileSync(path.join(ROOT, "geodata", f), path.join(site, "geodata", f));
    }
  }
  return site;
}

/* partnermap serve on site at a free port; resolves to { url, stop }. */
function startServe(site, tmp) {
  const tool = process.env.PARTNERMAP ? path.resolve(process.env.PARTNERMAP) : path.join(ROOT, "partnermap");
  const child = spawn(tool, ["serve", "-C", site, "--port", "0"], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "", err = "";
  child.stderr.on("data", (d) => { err += d; });
  const exited = new Promise((resolve) => child.on("exit", (code, sig) => resolve(code ?? sig)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${WAIT} ms:\n${err}`)), WAIT);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^Serving .* at (http:\/\/127\.0\.0\.1:\d+\/) /m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop, stderr: () => err });
      }
    });
    exited.then((code) => reject(new Error(`serve ended (${code}) before printing its URL:\n${err}`)));
  });
}

/* Save as most editors do: write beside, then rename over the record, so
   that no build can see it half written. */
function save(file, text) {
  const side = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(side, text);
  fs.renameSync(side, file);
}

export default function register(suite) {
  const test = suite.test.bind(suite);

  test("serve: an edited record reloads its page, a broken one shows its error until fixed", async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnermap-serve-browser-"));
    let server = null;
    try {
      const site = copySite(tmp);
      const record = path.join(site, "content", "institutions", "makerere.md");
      const good = fs.readFileSync(record, "utf8");
      server = await startServe(site, tmp);
      const context = await t.context();
      const page = await context.newPage();
      const res = await page.goto(new URL("institutions/makerere/", server.url).href);
      assert.equal(res.status(), 200);
      const h1 = page.getByRole("heading", { level: 1 });
      assert.equal((await h1.textContent()).trim(), "Makerere University College of Health Sciences");

      // an edit: the page reloads by itself with the new name
      const loaded = page.waitForEvent("load", { timeout: WAIT });
      save(record, good.replace("name: Makerere University", "name: Makerere Renamed"));
      await loaded;
      assert.equal((await h1.textContent()).trim(), "Makerere Renamed College of Health Sciences");

      // a save that breaks it: the error over the last good page
      save(record, good.replace("city: Kampala", "city: [Kampala"));
      const overlay = page.locator("#partnermap-errors");
      await overlay.waitFor({ state: "visible", timeout: WAIT });
      const entries = await overlay.locator("li").allTextContents();
      assert.equal(entries.length, 1, entries.join("\n"));
      assert.match(entries[0], /^content\/institutions\/makerere\.md:\d+:\d+: error: \S/);
      const where = overlay.locator("a.partnermap-where");
      assert.equal(await where.getAttribute("href"), "/institutions/makerere/");
      assert.equal(await overlay.getAttribute("role"), "alert");
      assert.equal((await h1.textContent()).trim(), "Makerere Renamed College of Health Sciences");
      await t.shot(page, "serve-error-overlay.png");

      // forty errors in one file: thirty listed, the rest one note, all counted
      const many = Array.from({ length: 40 }, (_, i) =>
        `  - {type: clinical, capacity: ${i + 1}000000}`).join("\n");
      save(record, good.replace("electives: [clinical, research, observership]",
        "electives:\n" + many));
      await page.waitForFunction(() =>
        document.querySelectorAll("#partnermap-errors li").length > 1, null, { timeout: WAIT });
      const listed = await overlay.locator("li").allTextContents();
      assert.equal(listed.length, 31, listed.join("\n"));
      assert.match(listed[29], /: error: capacity must be /);
      assert.match(listed[30], /^content\/institutions\/makerere\.md:\d+:\d+: note: 10 more errors of this file are not listed: fix the ones above and save$/);
      assert.match(await overlay.locator("p").first().textContent(), /^40 errors stop the build/);

      // fixed: the overlay goes and the page shows the fix
      const fixed = page.waitForEvent("load", { timeout: WAIT });
      save(record, good.replace("name: Makerere University", "name: Makerere Fixed"));
      await fixed;
      await overlay.waitFor({ state: "detached", timeout: WAIT });
      assert.equal((await h1.textContent()).trim(), "Makerere Fixed College of Health Sciences");
      await context.close();

      const code = await server.stop();
      server = null;
      assert.equal(code, 0, "serve did not end cleanly on SIGINT");
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith("partnermap-serve-")), []);
    } finally {
      if (server) await server.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, { timeout: 4 * WAIT });
}
