// The map looks the same on the site and alone: map.svg opened by itself
// paints sea, land, borders and graticule in the colours the home page's
// map shows, and land is lighter than the sea in both.
import assert from "node:assert/strict";

/* The computed paint of the pieces a theme colours, in the page's map. */
function paints(page) {
  return page.evaluate(() => {
    const svg = document.querySelector("svg.pm-map");
    const css = (sel, prop) => {
      const e = svg.querySelector(sel);
      return e ? getComputedStyle(e)[prop] : null;
    };
    return {
      sea: css(".sphere", "fill"),
      coast: css(".sphere", "stroke"),
      graticule: css(".graticule", "stroke"),
      land: css(".country:not(.has-partners)", "fill"),
      partnerLand: css(".country.has-partners", "fill"),
      border: css(".country", "stroke"),
      markerOutline: css(".marker-shape", "stroke"),
      markerFill: css(".marker-shape", "fill"),
    };
  });
}

const lightness = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

export default function register(suite) {
  suite.test("map colours: map.svg alone looks like the home page's map (land lighter than sea)", async (t) => {
    const home = await t.open("");
    const site = await paints(home);
    const alone = await t.open("map.svg");
    const svg = await paints(alone);
    await t.shot(alone, "map-svg-alone.png");
    for (const [k, v] of Object.entries(site)) assert.ok(v && v !== "none", `the home map's ${k} is unpainted (${v})`);
    assert.deepEqual(svg, site, "map.svg alone and the home page's map differ in colour");
    assert.ok(lightness(site.land) > lightness(site.sea), `land ${site.land} is darker than the sea ${site.sea}`);
  });
}
