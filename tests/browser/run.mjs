#!/usr/bin/env node
// Browser tests of the example site in Debian's headless Chromium.
//
//   node tests/browser/run.mjs            from the repo root (make test does)
//   node tests/browser/run.mjs filter     only the tests whose name matches
//
// Builds the example site (the repo root, or the site folder $PARTNERMAP_SITE)
// with the repo's ./partnermap (or $PARTNERMAP) into a temporary folder, serves it on 127.0.0.1, runs every test in fresh
// browser contexts, saves screenshots in tests/out/browser/, and prints one
// line per test and, last, "N passed, M failed". Exits 1 on any failure.
// Needs `npm ci` in tests/browser first; never downloads a browser.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { serve } from "./lib/server.mjs";
import { loadSite } from "./lib/site.mjs";
import { Suite } from "./lib/harness.mjs";
import filters from "./specs/filters.mjs";
import directory from "./specs/directory.mjs";
import map from "./specs/map.mjs";
import keyboard from "./specs/keyboard.mjs";
import nojs from "./specs/nojs.mjs";
import phone from "./specs/phone.mjs";
import pages from "./specs/pages.mjs";
import maptheme from "./specs/maptheme.mjs";
import serveSpec from "./specs/serve.mjs";
import find from "./specs/find.mjs";
import search from "./specs/search.mjs";
import i18n from "./specs/i18n.mjs";
import paging from "./specs/paging.mjs";
import languages from "./specs/languages.mjs";
import cluster from "./specs/cluster.mjs";
import click from "./specs/click.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const OUT = path.join(ROOT, "tests", "out", "browser");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

let browser = null, server = null, tmp = null, suite = null, finished = false;

async function cleanup() {
  if (browser) {
    const b = browser;
    browser = null;
    await b.close().catch(() => {});
  }
  if (server) {
    const s = server;
    server = null;
    await s.close().catch(() => {});
  }
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  }
}

function setupFailure(msg) {
  console.log(`FAIL setup: ${msg}`);
  console.log("0 passed, 1 failed");
  return 1;
}

async function main() {
  const only = process.argv[2] ? new RegExp(process.argv[2], "i") : null;
  const started = Date.now();

  const tool = process.env.PARTNERMAP ? path.resolve(process.env.PARTNERMAP) : path.join(ROOT, "partnermap");
  try {
    fs.accessSync(tool, fs.constants.X_OK);
  } catch {
    const shown = process.env.PARTNERMAP || "./partnermap at the repo root";
    return setupFailure(`no executable partnermap binary (${shown}): run \`make partnermap\` first`);
  }
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch {
    return setupFailure(`no Chromium at ${CHROMIUM}: install Debian's chromium package (make test-deps)`);
  }
  let chromium, axePath;
  try {
    ({ chromium } = await import("playwright-core"));
    axePath = path.join(HERE, "node_modules", "axe-core", "axe.min.js");
    fs.accessSync(axePath);
  } catch {
    return setupFailure("playwright-core or axe-core is missing: run `npm ci` in tests/browser");
  }

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnermap-browser-"));
  const siteDir = path.join(tmp, "site");
  const source = process.env.PARTNERMAP_SITE ? path.resolve(process.env.PARTNERMAP_SITE) : ROOT;
  const built = spawnSync(tool, ["build", "-o", siteDir], { cwd: source, encoding: "utf8", timeout: 60000 });
  if (built.status !== 0) {
    return setupFailure(`partnermap build exited ${built.status ?? built.signal}:\n${built.stderr || built.error}`);
  }
  const site = loadSite(siteDir);
  console.log(`site: ${site.institutions.length} institutions, ${site.countries.length} countries, ` +
    `${site.networks.length} networks (${site.networks.map((n) => n.slug).join(", ")})`);

  server = await serve(siteDir, site.basePath);
  /* This script, not Playwright, decides what a signal does (see stop()). */
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    timeout: 30000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  console.log(`browser: Chromium ${browser.version()}, serving on ${server.url}`);

  suite = new Suite({ browser, baseURL: server.url, site, outDir: OUT });
  suite.axePath = axePath;
  for (const register of [filters, directory, map, keyboard, nojs, phone, pages, maptheme, serveSpec, find, search, i18n, paging, languages, cluster, click]) register(suite, { tool, root: source });
  const { passed, failed, skipped } = await suite.run(only);
  finished = true;
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s` + (skipped ? `, ${skipped} skipped` : ""));
  console.log(`${passed} passed, ${failed} failed`);
  return failed || passed === 0 ? 1 : 0;
}

const stop = (signal) => {
  if (suite) suite.stopped = true;
  cleanup().finally(() => {
    if (!finished) console.log(`interrupted by ${signal}\n0 passed, 1 failed`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
};
process.once("SIGINT", () => stop("SIGINT"));
process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGHUP", () => stop("SIGHUP"));

let code = 1;
try {
  code = await main();
} catch (err) {
  console.log(`FAIL setup: ${err && err.stack ? err.stack : err}`);
  console.log("0 passed, 1 failed");
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
