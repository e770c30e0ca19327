// What the tests expect, worked out from the built site's open data
// (partners.geojson) and its network pages, never from the home page the
// tests look at, so a filter that counts wrongly cannot agree with itself.
import fs from "node:fs";
import path from "node:path";

/* Lower case without accents: "Université" -> "universite". */
export const fold = (s) => String(s).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decodeHtml(s) {
  return s
    .replace(/<[^>]*>/g, "")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(+d))
    .replace(/&([a-z]+);/gi, (m, n) => ENTITIES[n.toLowerCase()] ?? m)
    .replace(/\s+/g, " ")
    .trim();
}

export function loadSite(dir) {
  const geo = JSON.parse(fs.readFileSync(path.join(dir, "partners.geojson"), "utf8"));
  const institutions = geo.features.map((f) => {
    const p = f.properties;
    return {
      slug: p.slug,
      name: p.name,
      city: p.city,
      country: p.country,
      countryName: p.country_name,
      networks: p.networks || [],
      exchanges: p.exchanges || [],
      offers: p.offers || [],
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
    };
  });
  const bySlug = new Map(institutions.map((i) => [i.slug, i]));

  const netSlugs = [...new Set(institutions.flatMap((i) => i.networks))].sort();
  const networks = netSlugs.map((slug) => {
    const html = fs.readFileSync(path.join(dir, "networks", slug, "index.html"), "utf8");
    const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
    if (!h1) throw new Error(`networks/${slug}/index.html has no <h1>`);
    return { slug, name: decodeHtml(h1[1]), members: institutions.filter((i) => i.networks.includes(slug)).map((i) => i.slug) };
  });
  const levels = [...new Set(institutions.flatMap((i) => i.exchanges))].sort();

  /* The slugs a visitor should see: in any checked network, at any checked
     level, and matching every word of the search (accents and case aside). */
  function expected({ nets = netSlugs, lvls = levels, q = "" } = {}) {
    const words = fold(q).split(/\s+/).filter(Boolean);
    return institutions
      .filter((i) => i.networks.some((n) => nets.includes(n)))
      .filter((i) => i.exchanges.some((l) => lvls.includes(l)))
      .filter((i) => {
        const hay = fold(`${i.name} ${i.city} ${i.countryName}`);
        return words.every((w) => hay.includes(w));
      })
      .map((i) => i.slug)
      .sort();
  }

  const countries = [...new Set(institutions.map((i) => i.country))].sort();

  /* Where the site will live (site.yml's base_url, as the home page's
     canonical link says): served there, the 404 page's links resolve. */
  const home = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const canonical = /<link rel="canonical" href="([^"]+)"/.exec(home);
  const basePath = canonical ? new URL(decodeHtml(canonical[1])).pathname.replace(/[^/]*$/, "") : "/";
  return { dir, institutions, bySlug, networks, levels, countries, basePath, expected };
}
