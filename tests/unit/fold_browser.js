/* fold_browser.js CASES APP_JS - fold every case of CASES (a JSON file:
 * {"pairs": "đ:d …", "cases": [[text, folded by C], …]}) with the fold of
 * APP_JS (the part between its "fold:begin" and "fold:end" comments) and
 * print each case where the two disagree. Exit status 1 when any does,
 * 2 when APP_JS holds no fold. Run by test_text_unicode_browser. */
"use strict";
const fs = require("fs");
const [cases, app] = process.argv.slice(2);
const src = fs.readFileSync(app, "utf8");
const m = /\/\* fold:begin[\s\S]*?\*\/([\s\S]*?)\/\* fold:end \*\//.exec(src);
if (!m) {
  console.log(`${app}: no fold:begin ... fold:end part`);
  process.exit(2);
}
const makeFold = new Function(`${m[1]}; return makeFold;`)();
const data = JSON.parse(fs.readFileSync(cases, "utf8"));
const fold = makeFold(data.pairs);
const hex = (s) => [...s].map((c) => c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")).join(" ");
let bad = 0, skipped = 0;
for (const [text, want] of data.cases) {
  /* a code point this engine's Unicode does not have yet */
  if (/\p{Cn}/u.test(text)) {
    skipped++;
    continue;
  }
  const got = fold(text);
  if (got !== want) {
    if (bad++ < 40)
      console.log(`${hex(text)}: browser "${got}" [${hex(got)}], build "${want}" [${hex(want)}]`);
  }
}
console.log(`${data.cases.length} cases, ${bad} differ, ${skipped} skipped (Unicode ${process.versions.unicode})`);
process.exit(bad ? 1 : 0);
