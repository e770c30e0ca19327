// A small test runner: tests run one after another, each with browser
// contexts of its own (closed when it ends, whatever happens) and a time
// limit. Every page of every context is watched: a console error or an
// uncaught page error fails the test that caused it.
import fs from "node:fs";
import path from "node:path";

export class Skip extends Error {}

const DEFAULT_CONTEXT = {
  viewport: { width: 1280, height: 900 },
  deviceScaleFactor: 1,
  locale: "en-GB",
  colorScheme: "light",
  reducedMotion: "no-preference",
  serviceWorkers: "block",
};

export class Suite {
  constructor({ browser, baseURL, site, outDir, testTimeout = 45000, actionTimeout = 5000 }) {
    Object.assign(this, { browser, baseURL, site, outDir, testTimeout, actionTimeout });
    this.tests = [];
    this.stopped = false;
  }

  test(name, fn, { timeout } = {}) {
    this.tests.push({ name, fn, timeout: timeout || this.testTimeout });
  }

  async run(only) {
    let passed = 0, failed = 0, skipped = 0, n = 0;
    for (const t of this.tests) {
      if (this.stopped) break;
      if (only && !only.test(t.name)) continue;
      n++;
      const started = Date.now();
      const ctx = new TestContext(this, t.name);
      let error = null, skipReason = null;
      let timer;
      try {
        /* A test that runs out of time goes on until its contexts close
           under it; what it throws then is of no interest. */
        const running = Promise.resolve().then(() => t.fn(ctx));
        running.catch(() => {});
        await Promise.race([
          running,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${t.timeout} ms`)), t.timeout);
          }),
        ]);
      } catch (err) {
        if (err instanceof Skip) skipReason = err.message;
        else error = err;
      } finally {
        clearTimeout(timer);
        await ctx.close();
      }
      if (this.stopped) break;
      const ms = Date.now() - started;
      if (!error && !skipReason && ctx.errors.length) {
        error = new Error(`the page reported ${ctx.errors.length} error(s):\n` + ctx.errors.join("\n"));
      }
      for (const note of ctx.notes) console.log(`  note: ${note}`);
      if (skipReason) {
        skipped++;
        console.log(`skip ${n} - ${t.name}: ${skipReason}`);
      } else if (error) {
        failed++;
        console.log(`FAIL ${n} - ${t.name} (${ms} ms)`);
        const msg = (error && error.message) || String(error);
        console.log(msg.split("\n").map((l) => "    " + l).join("\n"));
        if (ctx.errors.length && !msg.includes("reported")) {
          console.log("    and the page reported:\n" + ctx.errors.map((e) => "    " + e).join("\n"));
        }
      } else {
        passed++;
        console.log(`ok   ${n} - ${t.name} (${ms} ms)`);
      }
    }
    return { passed, failed, skipped };
  }
}

/* What a test gets: open pages in fresh contexts, the site's data, notes,
   screenshots. */
class TestContext {
  constructor(suite, name) {
    this.suite = suite;
    this.name = name;
    this.site = suite.site;
    this.contexts = [];
    this.errors = [];
    this.notes = [];
    this.allowed = [];
  }

  /* Console errors matching `re` are expected in this test (say, the 404
     of a page that a test asks for on purpose). */
  allow(re) {
    this.allowed.push(re);
  }

  url(p = "") {
    return new URL(p, this.suite.baseURL).href;
  }

  note(msg) {
    this.notes.push(msg);
  }

  skip(reason) {
    throw new Skip(reason);
  }

  watch(page) {
    const where = () => {
      try {
        return new URL(page.url()).pathname;
      } catch {
        return page.url();
      }
    };
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const loc = m.location() || {};
      /* Chromium asks every new profile for /favicon.ico by itself; the
         site names no such file, so its 404 says nothing about the pages. */
      if (loc.url && new URL(loc.url, this.suite.baseURL).pathname === "/favicon.ico") return;
      const at = loc.url ? ` (${new URL(loc.url, this.suite.baseURL).pathname}:${loc.lineNumber})` : "";
      const line = `  console error on ${where()}: ${m.text()}${at}`;
      if (!this.allowed.some((re) => re.test(line))) this.errors.push(line);
    });
    page.on("pageerror", (err) => this.errors.push(`  page error on ${where()}: ${err.message}`));
  }

  /* A fresh browser context: options as for browser.newContext (js: false
     turns JavaScript off). */
  async context(opts = {}) {
    const { js = true, ...rest } = opts;
    const context = await this.suite.browser.newContext({ ...DEFAULT_CONTEXT, javaScriptEnabled: js, ...rest });
    this.contexts.push(context);
    context.setDefaultTimeout(this.suite.actionTimeout);
    context.setDefaultNavigationTimeout(this.suite.actionTimeout * 2);
    context.on("page", (p) => this.watch(p));
    return context;
  }

  /* A page at `p` (relative to the site root) in a fresh context. */
  async open(p = "", opts = {}) {
    const context = await this.context(opts);
    const page = await context.newPage();
    const res = await page.goto(this.url(p));
    if (!res || !res.ok()) throw new Error(`GET /${p} answered ${res ? res.status() : "nothing"}`);
    return page;
  }

  async shot(page, file, opts = {}) {
    fs.mkdirSync(this.suite.outDir, { recursive: true });
    const to = path.join(this.suite.outDir, file);
    await page.screenshot({ path: to, ...opts });
    if (!(fs.statSync(to).size > 1000)) throw new Error(`the screenshot ${file} is empty`);
    return to;
  }

  async close() {
    for (const c of this.contexts.splice(0)) {
      try {
        await c.close();
      } catch {
        /* already gone */
      }
    }
  }
}

/* Retry an assertion until it holds or `timeout` ms pass (for animations
   and anything else that settles a little later). */
export async function eventually(fn, timeout = 3000, every = 50) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= end) throw err;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}
