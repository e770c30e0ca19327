/* partnermap default theme: filters, directory and map of the home page.
 * Keyboard: the map frame is one tab stop (+/- zoom, arrows pan, 0 resets);
 * the markers are the next, as one (roving tabindex: only the current
 * marker has tabindex 0, the rest -1). On a marker the arrows move to the
 * nearest visible marker that way, Home/End to the first/last, Enter or
 * Space opens its popup, a dialog that takes focus; Escape or its close
 * button closes it and focus returns to what opened it: the marker, or the
 * name in the directory (WAI-ARIA APG, dialog pattern). The live count is
 * announced once typing pauses (STATUS_DELAY), not on every key.
 * Data comes only from the page (data-* attributes, the directory) and,
 * on a large site, from scripts added when needed: no fetch, so it works
 * from disk. Without the script all are plain links. */
(() => {
  "use strict";
  const doc = document, win = window;
  doc.documentElement.classList.add("js");

  const $ = (s, e) => (e || doc).querySelector(s);
  const all = (s, e) => [...(e || doc).querySelectorAll(s)];
  const words = (s) => (s || "").split(/\s+/).filter(Boolean);
  /* fold:begin - the search fold of generator/util/text_unicode.h, step
     for step: NFKD; each code point to lower case, NFKD again; drop
     nonspacing marks (Mn) and format characters (Cf); the letters that do
     not decompose through the build's table (the search field's
     data-fold, "đ:d ł:l …"); punctuation, separators and controls as one
     space, none at either end. */
  const makeFold = (pairs) => {
    const table = new Map(pairs.split(" ").filter(Boolean).map((p) => {
      const c = p.indexOf(":");
      return [p.slice(0, c), p.slice(c + 1)];
    }));
    const one = (c) => /[\p{Mn}\p{Cf}]/u.test(c) ? "" :
      /[\p{P}\p{Z}\p{Cc}]/u.test(c) ? " " : table.get(c) ?? c;
    return (s) => [...[...s.normalize("NFKD")].map((c) => c.toLowerCase()).join("").normalize("NFKD")]
      .map(one).join("").replace(/ +/g, " ").trim();
  };
  /* fold:end */
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const attr = (e, a) => e.getAttribute(a) || "";
  const on = (e, t, f, o) => e && e.addEventListener(t, f, o);
  const text = (e, s) => ((e = e && $(s, e)) ? e.textContent.trim() : "");
  const media = (q) => win.matchMedia(q).matches;
  /* The texts the script writes, in the page's language (JSON the build
     writes into the status line's data-texts): {shown}, {city}, {country} and {name} are filled
     here, numbers in the digits the pages use (its "digits"). */
  let num;
  const say = (() => {
    const e = $("#filter-status");
    let t = {};
    try { t = JSON.parse((e && attr(e, "data-texts")) || "{}"); } catch (err) { t = {}; }
    const lang = t.lang || doc.documentElement.lang || "en";
    try { num = new Intl.NumberFormat(lang, { numberingSystem: t.digits || "latn" }); } catch (err) { num = new Intl.NumberFormat(lang); }
    return (key, fill) => (t[key] || "").replace(/\{(\w+)\}/g, (m, k) =>
      (fill && k in fill ? (typeof fill[k] === "number" ? num.format(fill[k]) : fill[k]) : m));
  })();

  const explorer = $("#explorer"), sidebar = $("#sidebar"), search = $("#search");
  const fold = makeFold(search ? attr(search, "data-fold") : "");
  const frame = $(".map-frame"), svg = frame && $("svg", frame), pop = $(".map-popup"), zoom = $(".zoom-controls");
  /* One facet per fieldset[data-facet]: its check boxes test the words of
     each entry's data-<facet> attribute; data-param is its key in the URL.
     A plain facet starts all ticked (unticking hides); a data-narrow one
     starts empty and, once something is ticked, keeps only what matches. */
  const FACETS = all("fieldset[data-facet]").map((f) => ({
    attr: "data-" + attr(f, "data-facet"), param: attr(f, "data-param"),
    boxes: all('input[type="checkbox"]', f), narrow: f.hasAttribute("data-narrow"),
  }));
  const markers = svg ? all("a.marker", svg) : [];
  let items = [];
  const itemOf = {}, markerOf = {};
  const adopt = () => {
    items = all(".directory li.inst");
    items.forEach((li) => { itemOf[attr(li, "data-slug")] = li; });
  };
  adopt();
  markers.forEach((m) => { markerOf[attr(m, "data-slug")] = m; });
  const reduced = media("(prefers-reduced-motion: reduce)"), PHONE = "(max-width: 699.98px)";
  /* Zoom: from the whole map (ZOOM_MIN) to ZOOM_MAX times closer, by
     ZOOM_STEP a button or key press; arrow keys pan PAN_STEP CSS px. */
  const ZOOM_MIN = 1, ZOOM_MAX = 12, ZOOM_STEP = 1.6, PAN_STEP = 80;
  /* A marker reached by keyboard further than this share of the view
     from its centre brings the map along. */
  const KEEP_IN_VIEW = 0.45;
  /* The popup: this far from its marker, and this far inside the frame. */
  const POPUP_GAP = 10, POPUP_INSET = 8;
  /* The status region waits this long (ms) after the last key press, so a
     screen reader reads the count once, not once per letter typed. */
  const STATUS_DELAY = 500;
  const isHidden = (m) => m.classList.contains("is-hidden") || m.classList.contains("is-split");
  let toggle = $(".sidebar-toggle"), popFor = null, current = null, opener = null, statusTimer = 0;

  /* Sidebar: collapsed at first on narrow screens. */
  function setSidebar(open) {
    sidebar.hidden = !open;
    toggle.setAttribute("aria-expanded", open);
    explorer.classList.toggle("is-collapsed", !open);
  }
  if (toggle && sidebar && explorer) {
    setSidebar(!media(PHONE));
    on(toggle, "click", () => setSidebar(sidebar.hidden));
    /* On a phone the open sidebar covers the map: Escape closes it (once
       the search box, which Escape first empties, is empty) and gives
       the focus back to its toggle. */
    on(sidebar, "keydown", (e) => {
      if (e.key !== "Escape" || !media(PHONE) || sidebar.hidden) return;
      if (e.target.type === "search" && e.target.value) return;
      setSidebar(false);
      toggle.focus();
    });
  } else toggle = null;

  /* Filters: in every facet, any ticked value (a facet left as it starts
     keeps all), AND every word of the search. */
  const checked = (boxes) => boxes.filter((b) => b.checked).map((b) => b.value);
  const allOn = (boxes) => boxes.every((b) => b.checked);
  const idle = (f) => (f.narrow ? !f.boxes.some((b) => b.checked) : allOn(f.boxes));
  const keeps = (f, e) => idle(f) || words(attr(e, f.attr)).some((w) => checked(f.boxes).includes(w));
  /* Write the live count now, or after STATUS_DELAY ms without a newer
     call; an unchanged text is not written again (no repeat announcement). */
  function setStatus(msg, delay) {
    const status = $("#filter-status");
    clearTimeout(statusTimer);
    const write = () => { if (status && status.textContent !== msg) status.textContent = msg; };
    if (delay) statusTimer = setTimeout(write, delay);
    else write();
  }
  function applyFilters(typing) {
    const q = words(fold(search ? search.value : ""));
    const pass = (e, s) => FACETS.every((f) => keeps(f, e)) && q.every((w) => s.includes(w));
    let shown = items.filter((li) => !(li.hidden = !pass(li, attr(li, "data-search")))).length;
    /* On a large site, once the facet index is in, paintMap decides. */
    if (!(compact && facetIx)) markers.forEach((m) => {
      const li = itemOf[attr(m, "data-slug")];
      m.classList.toggle("is-hidden", !!li && li.hidden);
    });
    if (compact && (q.length || !FACETS.every(idle))) wantIndex(q.length > 0);
    if (compact) shown = matchCountries(q);
    else all(".directory .dir-country").forEach((g) => { g.hidden = !$("li.inst:not([hidden])", g); });
    if (shown >= 0) setStatus(say("status", { shown }), typing ? STATUS_DELAY : 0);
    if (popFor && isHidden(popFor)) closePopup();
    if (current && isHidden(current)) setCurrent(markers.find((m) => !isHidden(m)));
  }

  /* A large site's directory lists countries with their counts. A
     country's entries (its list.js), the facet index (facets.js, on the
     first tick) and the search texts (search.js, on the first keystroke)
     are scripts added when first needed, each handing its data to pmData. */
  const compact = !!$(".directory .dir-count");
  const loaded = {}, pending = {};
  /* Countries whose matches are at most this many open by themselves. */
  const OPEN_MAX = 60;
  let facetIx = null, texts = null;
  win.pmData = (key, value) => {
    loaded[key] = value;
    (pending[key] || []).forEach((f) => f(value));
    delete pending[key];
  };
  const load = (key, src) => new Promise((done) => {
    if (key in loaded) return done(loaded[key]);
    if (pending[key]) return pending[key].push(done);
    pending[key] = [done];
    const s = doc.createElement("script");
    s.src = src;
    doc.head.append(s);
  });
  /* A country's entries come in chunks (list-1.js, list-2.js …, each
     naming the next): the button of a country, "Show the list" then "Show
     more", loads its next chunk at the end of its list. Resolves to the
     first new entry, or null when nothing was loaded. */
  function loadChunk(g) {
    const b = $(".dir-open, .dir-more", g), src = b && attr(b, "data-list");
    if (!b || b.disabled) return Promise.resolve(null);
    b.disabled = true;
    return load(attr(g, "data-country") + "-" + /(\d+)\.js$/.exec(src)[1], src).then((part) => {
      let ul = $("ul.inst-list", g);
      if (!ul) {
        ul = doc.createElement("ul");
        ul.className = "inst-list";
        b.closest(".dir-count").after(ul);
      }
      const first = ul.children.length;
      ul.insertAdjacentHTML("beforeend", part.html);
      b.remove();
      if (part.next) {
        const more = doc.createElement("button");
        more.type = "button";
        more.className = "dir-more";
        more.textContent = say("show_more");
        more.setAttribute("data-list", src.replace(/[^/]*$/, part.next));
        more.setAttribute("aria-describedby", "dir-" + attr(g, "data-country"));
        ul.after(more);
      }
      adopt();
      applyFilters();
      return ul.children[first] || null;
    });
  }
  /* Load g's chunks until its entry number `upto` (from 0) is in. */
  const openCountry = (g, upto) => loadChunk(g).then((li) =>
    li && $("ul.inst-list", g).children.length <= upto ? openCountry(g, upto) : li);
  /* Row sets: a country's rows (its institutions in directory order) as a
     bitset, a Uint32Array holding row k in bit k % 32 of word k >> 5, no
     bit set past the last row. A click ANDs and ORs a few of them and
     counts their bits, not a value per row. */
  const rowSet = (n) => new Uint32Array((n + 31) >> 5);
  /* Call f(k) for each row k in set s, in order. */
  const eachRow = (s, f) => {
    for (let i = 0; i < s.length; i++)
      for (let v = s[i]; v; v &= v - 1) f((i << 5) + 31 - Math.clz32(v & -v));
  };
  /* How many rows s holds (bits counted 8 at a time). */
  const POP8 = new Uint8Array(256).map((_, b) => (b & 1) + (b & 2 ? 1 : 0) + (b & 4 ? 1 : 0) + (b & 8 ? 1 : 0) +
    (b & 16 ? 1 : 0) + (b & 32 ? 1 : 0) + (b & 64 ? 1 : 0) + (b & 128 ? 1 : 0));
  const rowCount = (s) => {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      n += POP8[v & 255] + POP8[(v >>> 8) & 255] + POP8[(v >>> 16) & 255] + POP8[v >>> 24];
    }
    return n;
  };
  /* The rows of country code with word c of facet at, decoded once, on
     their first use, from their runs in facets.js: rows skipped, then
     rows taken, in base 36 ("0 3 2 1": rows 0, 1, 2 and 5). */
  const decoded = {};
  function wordRows(code, at, c, n) {
    const key = code + " " + at + " " + c;
    let s = decoded[key];
    if (s) return s;
    s = decoded[key] = rowSet(n);
    const runs = words(((facetIx.rows[code] || [])[at] || [])[c]).map((r) => parseInt(r, 36));
    for (let i = 0, k = 0; i + 1 < runs.length; i += 2)
      for (let end = Math.min(n, (k += runs[i]) + runs[i + 1]); k < end; k++) s[k >> 5] |= 1 << (k & 31);
    return s;
  }
  /* Which of country code's n institutions pass every test (a facet's
     place in facetIx.facets and the codes of its ticked words: any of
     them) and hold every word of q: a row set. */
  function matchRows(code, n, tests, q) {
    const hits = rowSet(n), any = rowSet(n), text = q.length ? texts[code] : null;
    hits.fill(~0);
    if (n & 31) hits[hits.length - 1] = 2 ** (n & 31) - 1;
    tests.forEach((t) => {
      any.fill(0);
      t.codes.forEach((c) => {
        const s = wordRows(code, t.at, c, n);
        for (let i = 0; i < any.length; i++) any[i] |= s[i];
      });
      for (let i = 0; i < hits.length; i++) hits[i] &= any[i];
    });
    if (text) eachRow(hits, (k) => { if (!q.every((w) => text[k].includes(w))) hits[k >> 5] &= ~(1 << (k & 31)); });
    return hits;
  }
  /* Per country, how many of its institutions match the search's words
     and the facets' ticks; their sum, or -1 before the indexes needed are
     loaded. A search matching few opens their countries. */
  function matchCountries(q) {
    if (!facetIx || (q.length && !texts)) return -1;
    const tests = FACETS.filter((f) => !idle(f)).map((f) => {
      const at = facetIx.facets.findIndex((p) => "data-" + p[0] === f.attr), on = checked(f.boxes);
      const words = at < 0 ? [] : facetIx.facets[at][1];
      return { at, codes: words.map((w, c) => (on.includes(w) ? c : -1)).filter((c) => c >= 0) };
    });
    const open = [], filtering = tests.length || q.length;
    let total = 0;
    masks = filtering ? {} : null;
    dirGroups().forEach((g) => {
      const code = attr(g, "data-country"), cells = facetIx.cells[code], count = cells ? cells.of.length : 0;
      const mask = filtering ? matchRows(code, count, tests, q) : null, n = mask ? rowCount(mask) : count;
      if (masks) masks[code] = mask;
      if (g.hidden !== !n) g.hidden = !n;
      setDirCount(g, n, count);
      total += n;
      if (n && q.length) open.push([g, mask]);
    });
    paintMap();
    if (q.length && total <= OPEN_MAX) open.forEach(([g, mask]) => { let k = 0; eachRow(mask, (e) => { k = e; }); openCountry(g, k); });
    return total;
  }
  /* The directory's countries, found once. */
  let groupList = null;
  const dirGroups = () => groupList || (groupList = all(".directory .dir-country"));
  /* A country's count in the directory: its total, or while something
     filters, how many of them match; written only when it changes. */
  function setDirCount(g, shown, count) {
    const t = $(".dir-count", g), node = t && t.firstChild;
    if (!node || node.nodeType !== 3) return;
    if (!("total" in t.dataset)) t.dataset.total = node.nodeValue;
    const v = masks ? say("count_matches", { shown, count }) + " " : t.dataset.total;
    if (node.nodeValue !== v) node.nodeValue = v;
  }
  /* Load script key (from the search box's data-<name>) once, then filter again. */
  const loadOnce = (key, name, set) => {
    if (!(key in loaded) && !pending[key]) load(key, attr(search, "data-" + name)).then((v) => { set(v); applyFilters(); });
  };
  function wantIndex(withText) {
    if (!compact) return;
    loadOnce("facets", "facets", (v) => { facetIx = v; });
    if (withText) loadOnce("search", "index", (v) => { texts = v; });
  }
  on(search, "focus", () => wantIndex(false));
  /* A pointer over the filters, or focus reaching them, comes before a
     tick: the facet index is then usually in by the time it lands. */
  ["pointerover", "focusin"].forEach((t) => on($(".filters"), t, () => wantIndex(false), { once: true }));
  on(search, "keydown", () => wantIndex(true));
  on(doc, "click", (e) => {
    const b = e.target.closest(".dir-open, .dir-more"), g = b && b.closest(".dir-country");
    if (g) loadChunk(g).then((li) => { const f = li && $("button, a", li); if (f) f.focus(); });
  });

  /* The clustered map splits as it zooms: level n of RENDER_CLUSTER_LEVELS
     (generator/render/render.h) shows from zoom 2^n, a country's finer
     levels coming from its zoom.js, loaded once one of its clusters is in
     view. A level is {k: [[x, y, count, name, label, href], …], of: the
     place in k of each of the country's entries}; while something filters,
     a cluster counts its matches (masks, from the search index) and one
     without any is hidden. */
  /* ZOOM_SETTLE: ms without a zoom or a pan before the level follows. */
  const LEVELS = 4, ZOOM_SETTLE = 80, SVGNS = "http://www.w3.org/2000/svg";
  const layer = compact && svg && $("g.markers", svg);
  const pageClusters = layer ? all("a.cluster", svg) : [];
  const codeOf = (a) => attr(a, "data-key").split("-")[0];
  const clusterOf = {}, zooms = {}, drawn = {}, drawnLevel = {};
  pageClusters.forEach((a) => { clusterOf[attr(a, "data-key")] = a; });
  let masks = null, level = 0, focusNear = null, levelTimer = 0;
  const levelAt = (k) => clamp(Math.floor(Math.log2(k) + 1e-6), 0, LEVELS - 1);
  const names = {};
  const nameOf = (code) => names[code] || (names[code] = text($(`.dir-country[data-country="${code}"]`), "h3"));
  /* How many of each cluster of level L of country code match. */
  const countsOf = (code, L) => {
    const mask = masks && masks[code];
    if (!mask) return L.k.map((it) => it[2]);
    const n = new Uint32Array(L.k.length), of = L.of;
    eachRow(mask, (e) => { if (of[e] >= 0) n[of[e]]++; });
    return n;
  };
  const svgEl = (tag, attrs, parent) => {
    const e = doc.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach((k) => e.setAttribute(k, attrs[k]));
    if (parent) parent.append(e);
    return e;
  };
  /* A cluster's count and name: shown of count, its label as built when
     nothing filters. */
  function setCount(a, shown, count, code) {
    if (!a.dataset.label) a.dataset.label = attr(a, "aria-label");
    const label = masks ? say("cluster_matches", { country: nameOf(code), shown, count }) : a.dataset.label;
    a.setAttribute("aria-label", label);
    $("title", a).textContent = label;
    $(".cluster-count", a).textContent = num.format(shown);
  }
  /* One cluster of a finer level, drawn as the build draws level 0 (geo/svg.c):
     a disc growing 3 units a digit, the count on it; an institution alone
     as a small disc linking to its page. */
  function drawItem(g, it, shown, code) {
    const one = it[2] === 1, a = svgEl("a", { class: one ? "cluster is-one" : "cluster", href: it[5], "data-key": it[3],
      "data-count": it[2], "data-x": it[0], "data-y": it[1], "aria-label": it[4] }, g);
    svgEl("title", {}, a).textContent = it[4];
    const body = svgEl("g", { class: "marker-body" }, svgEl("g", { class: "marker-pos", transform: `translate(${it[0]} ${it[1]})` }, a));
    svgEl("circle", { class: "cluster-disc", r: one ? 6 : 12 + 3 * (String(it[2]).length - 1) }, body);
    if (!one) {
      svgEl("text", { class: "cluster-count", "text-anchor": "middle", dy: ".35em", "aria-hidden": "true" }, body);
      setCount(a, shown, it[2], code);
    }
  }
  /* Country code's markers at level lv: the page's own (level 0), or
     level lv of its zoom.js drawn in their place. */
  function drawCountry(code, lv) {
    const z = zooms[code], L0 = z.levels[0];
    if (drawn[code]) drawn[code].remove();
    delete drawn[code];
    drawnLevel[code] = lv;
    L0.k.forEach((it) => {
      const e = it[2] > 1 ? clusterOf[it[3]] : markerOf[it[3]];
      if (e) e.classList.toggle("is-split", lv > 0);
    });
    if (!lv) return;
    const g = drawn[code] = svgEl("g", { class: "zoom-level", "data-country": code }, layer), L = z.levels[lv];
    countsOf(code, L).forEach((n, j) => { if (n) drawItem(g, L.k[j], n, code); });
    if (focusNear && focusNear.code === code) {
      const f = focusNear, near = all("a", g).sort((a, b) => Math.hypot(attr(a, "data-x") - f.x, attr(a, "data-y") - f.y) -
        Math.hypot(attr(b, "data-x") - f.x, attr(b, "data-y") - f.y))[0];
      focusNear = null;
      if (near) near.focus({ preventScroll: true });
    }
  }
  /* Level 0 as the page draws it, recounted while something filters;
     only the clusters and markers whose count (or whether something
     filters) changed since the last time are touched. */
  const painted = {};
  function paintPage(code) {
    const L = facetIx.cells[code], n = countsOf(code, L), was = painted[code], same = was && was.filtering === !!masks;
    painted[code] = { n, filtering: !!masks };
    L.k.forEach((it, j) => {
      const e = it[2] > 1 ? clusterOf[it[3]] : markerOf[it[3]];
      if (!e || (same && was.n[j] === n[j])) return;
      e.classList.toggle("is-hidden", !n[j]);
      if (it[2] > 1) setCount(e, n[j], it[2], code);
    });
  }
  function paintMap() {
    if (!layer) return;
    if (facetIx) Object.keys(facetIx.cells).forEach(paintPage);
    Object.keys(zooms).forEach((code) => { if (zooms[code]) drawCountry(code, level); });
  }
  /* After a zoom or a pan: the level for the zoom, and the zoom.js of
     every country with a cluster in view. */
  function followZoom() {
    level = levelAt(view.k);
    const w = W / view.k / 2, h = H / view.k / 2;
    if (level) pageClusters.forEach((a) => {
      const code = codeOf(a);
      if (code in zooms || Math.abs(attr(a, "data-x") - view.x) > w || Math.abs(attr(a, "data-y") - view.y) > h) return;
      zooms[code] = null;
      load(code + "-zoom", attr(a, "href").replace(/[^/]*$/, "zoom.js")).then((z) => { zooms[code] = z; drawCountry(code, level); });
    });
    Object.keys(zooms).forEach((code) => { if (zooms[code] && drawnLevel[code] !== level) drawCountry(code, level); });
  }
  /* A cluster clicked or entered: closer, to the next level, focus then
     on the marker of the new level nearest it; at the last level its link. */
  function zoomInto(a) {
    if (!layer || level >= LEVELS - 1) return false;
    const code = attr(a, "data-key").split("-")[0], x = +attr(a, "data-x"), y = +attr(a, "data-y");
    focusNear = { code, x, y };
    flyTo(Math.max(view.k, 2 ** (level + 1)), x, y);
    return true;
  }

  /* State in the fragment, facets as they start left out (#net=global,
     africa&level=postgraduate&type=clinical&q=kampala); a plain fragment
     such as #main is left alone. */
  function saveState(push) {
    const p = [], q = search ? search.value.trim() : "";
    FACETS.forEach((f) => {
      if (!idle(f)) p.push(f.param + "=" + checked(f.boxes).map(encodeURIComponent).join(","));
    });
    if (q) p.push("q=" + encodeURIComponent(q));
    const h = p.length ? "#" + p.join("&") : "";
    if (h !== location.hash) history[push ? "pushState" : "replaceState"](null, "", h || location.pathname + location.search);
  }
  function loadState() {
    const h = location.hash.slice(1), p = new URLSearchParams(h);
    if (h && !h.includes("=")) return;
    FACETS.forEach((f) => {
      const v = p.get(f.param);
      f.boxes.forEach((b) => { b.checked = v === null ? !f.narrow : v.split(",").includes(b.value); });
    });
    if (search) search.value = p.get("q") || "";
    applyFilters();
  }
  FACETS.forEach((f) => f.boxes.forEach((b) => on(b, "change", () => { applyFilters(); saveState(true); })));

  /* "Download this list": the shown entries' rows of partners.csv (each
     entry's data-csv), in that file's order, under its header. */
  on($(".csv-link"), "click", (e) => {
    const link = e.currentTarget, rows = items.filter((li) => !li.hidden)
      .sort((a, b) => (attr(a, "data-slug") < attr(b, "data-slug") ? -1 : 1)).map((li) => attr(li, "data-csv"));
    const a = doc.createElement("a");
    e.preventDefault();
    a.href = URL.createObjectURL(new Blob([[attr(link, "data-head"), ...rows].join("\r\n") + "\r\n"], { type: "text/csv" }));
    a.download = "partners-filtered.csv";
    doc.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  on(search, "input", () => { applyFilters(true); saveState(false); });
  on(win, "popstate", loadState);

  /* Zoom and pan change the viewBox. Markers keep their size on screen:
     bodies are scaled by 1/zoom, and up where the map is drawn small: shapes
     to at least 3/4 of their size in CSS pixels, hit areas (r 12) to 25 px. */
  const vb = svg && svg.viewBox.baseVal, X0 = vb && vb.x, Y0 = vb && vb.y, W = vb && vb.width, H = vb && vb.height;
  let view = { k: 1, x: X0 + W / 2, y: Y0 + H / 2 }, anim = 0;
  function setView(k, x, y) {
    k = clamp(k, ZOOM_MIN, ZOOM_MAX);
    const w = W / k, h = H / k;
    x = clamp(x, X0 + w / 2, X0 + W - w / 2);
    y = clamp(y, Y0 + h / 2, Y0 + H - h / 2);
    view = { k, x, y };
    svg.setAttribute("viewBox", [x - w / 2, y - h / 2, w, h].map((v) => +v.toFixed(2)).join(" "));
    const box = svg.getBoundingClientRect(), base = Math.min(box.width / W, box.height / H) || 1;
    const u = Math.max(1, 0.75 / base);
    svg.style.setProperty("--marker-scale", u / k);
    svg.style.setProperty("--hit-scale", Math.max(1, 1.04 / base) / u);
    frame.classList.toggle("is-zoomed", k > 1.01);
    placePopup();
    if (layer) {
      clearTimeout(levelTimer);
      levelTimer = setTimeout(followZoom, ZOOM_SETTLE);
    }
  }
  /* Zoom by f keeping the point under (cx, cy), or the centre, still. */
  function zoomAt(f, cx, cy) {
    cancelAnimationFrame(anim);
    const p = cx === undefined ? view : new DOMPoint(cx, cy).matrixTransform(svg.getScreenCTM().inverse());
    const k = clamp(view.k * f, ZOOM_MIN, ZOOM_MAX), r = view.k / k;
    setView(k, p.x + (view.x - p.x) * r, p.y + (view.y - p.y) * r);
  }
  function panBy(dx, dy) {
    const s = svg.getScreenCTM().a;
    setView(view.k, view.x - dx / s, view.y - dy / s);
  }
  function flyTo(k, x, y) {
    cancelAnimationFrame(anim);
    if (reduced) return setView(k, x, y);
    const a = view, t0 = performance.now();
    const step = (t) => {
      const u = clamp((t - t0) / 400, 0, 1), e = u * (2 - u);
      setView(a.k * Math.pow(k / a.k, e), a.x + (x - a.x) * e, a.y + (y - a.y) * e);
      if (u < 1) anim = requestAnimationFrame(step);
    };
    anim = requestAnimationFrame(step);
  }
  const home = () => flyTo(ZOOM_MIN, X0 + W / 2, Y0 + H / 2);
  const pointOf = (m) => ({ x: +attr(m, "data-x"), y: +attr(m, "data-y") });

  /* Markers: roving tabindex; the arrows go to the nearest visible marker
     that way as drawn (spread markers share a point), scoring distance
     along plus twice the distance across. */
  function setCurrent(m) {
    if (current) current.setAttribute("tabindex", "-1");
    current = m || null;
    if (current) current.setAttribute("tabindex", "0");
  }
  const markerAt = (e) => e.closest("a.marker");
  function nextMarker(m, key) {
    const list = markers.filter((o) => !isHidden(o)), at = (o) => {
      const r = $(".marker-shape", o).getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, p = at(m);
    if (!/^Arrow/.test(key)) return list[key === "Home" ? 0 : list.length - 1];
    const horiz = /Left|Right/.test(key), sign = /Left|Up/.test(key) ? -1 : 1;
    let best = null, score = Infinity;
    list.forEach((o) => {
      const q = at(o), along = sign * (horiz ? q.x - p.x : q.y - p.y);
      const s = along + 2 * Math.abs(horiz ? q.y - p.y : q.x - p.x);
      if (along > 0 && s < score) { score = s; best = o; }
    });
    return best;
  }

  /* The popup, an HTML dialog over the map, filled from the directory. */
  function openPopup(m, from) {
    closePopup();
    opener = from || m;
    const li = itemOf[attr(m, "data-slug")] || m, name = text(li, ".show-on-map") || attr(m, "aria-label");
    const tags = $(".tags", li);
    $(".popup-name", pop).textContent = name;
    $(".popup-place", pop).textContent = say("place", { city: text(li, ".inst-city"), country: text(li.closest(".dir-country"), "h3") });
    $(".popup-tags", pop).replaceChildren(...(tags ? [tags.cloneNode(true)] : []));
    $(".popup-link", pop).setAttribute("href", attr(m, "href"));
    $(".popup-for", pop).textContent = say("details_of", { name });
    pop.setAttribute("aria-label", name);
    li.classList.add("is-active");
    m.classList.add("is-active");
    setCurrent(popFor = m);
    pop.hidden = false;
    placePopup();
    pop.focus({ preventScroll: true });
  }
  function closePopup(refocus) {
    const m = popFor;
    if (!m) return;
    popFor = null;
    pop.hidden = true;
    m.classList.remove("is-active");
    all(".directory .is-active").forEach((li) => li.classList.remove("is-active"));
    if (!refocus) return;
    /* Back to what opened it; a name in a sidebar folded away on a phone
       brings the sidebar back first. */
    if (toggle && sidebar.contains(opener) && sidebar.hidden) setSidebar(true);
    (opener && opener.isConnected ? opener : m).focus({ preventScroll: true });
  }
  /* Above its marker if there is room, else below; always inside the frame,
     and never over the zoom buttons (they stay focusable while it is open):
     beside them when it fits, else below them. */
  function placePopup() {
    if (!popFor) return;
    const r = ($(".marker-shape", popFor) || popFor).getBoundingClientRect(), f = frame.getBoundingClientRect();
    const pw = pop.offsetWidth, ph = pop.offsetHeight;
    let top = r.top - f.top - ph - POPUP_GAP;
    if (top < POPUP_INSET) top = Math.min(r.bottom - f.top + POPUP_GAP, f.height - ph - POPUP_INSET);
    top = Math.max(POPUP_INSET, top);
    let left = clamp(r.left + r.width / 2 - f.left - pw / 2, POPUP_INSET, f.width - pw - POPUP_INSET);
    const z = zoom && zoom.getBoundingClientRect();
    if (z && z.width && left < z.right - f.left && left + pw > z.left - f.left && top < z.bottom - f.top && top + ph > z.top - f.top) {
      if (z.left - f.left - POPUP_GAP - pw >= POPUP_INSET) left = z.left - f.left - POPUP_GAP - pw;
      else top = z.bottom - f.top + POPUP_GAP;
    }
    pop.style.left = Math.round(left) + "px";
    pop.style.top = Math.round(top) + "px";
  }

  loadState();
  applyFilters();
  if (!svg || !pop) return;
  frame.tabIndex = 0;
  frame.setAttribute("role", "group");
  frame.setAttribute("aria-label", say("map_keys"));
  markers.forEach((m) => m.setAttribute("tabindex", "-1"));
  setCurrent(markers.find((m) => !isHidden(m)));
  on($(".popup-close", pop), "click", () => closePopup(true));
  all("[data-zoom]").forEach((b) => on(b, "click", () => {
    const z = attr(b, "data-zoom");
    if (z === "reset") home();
    else zoomAt(z === "in" ? ZOOM_STEP : 1 / ZOOM_STEP);
  }));

  on(frame, "keydown", (e) => {
    const m = markerAt(e.target), key = e.key, arrow = /^Arrow(.*)/.exec(key);
    if (key === "Escape" && popFor) return closePopup(true);
    if ((e.target !== frame && !m) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (key === "+" || key === "=") zoomAt(ZOOM_STEP);
    else if (key === "-" || key === "_") zoomAt(1 / ZOOM_STEP);
    else if (key === "0") home();
    else if (m && (key === "Enter" || key === " ")) openPopup(m);
    else if (m && (arrow || key === "Home" || key === "End")) {
      const next = nextMarker(m, key), p = next && pointOf(next);
      if (next) {
        setCurrent(next);
        next.focus({ preventScroll: true });
        if (Math.abs(p.x - view.x) > W / view.k * KEEP_IN_VIEW || Math.abs(p.y - view.y) > H / view.k * KEEP_IN_VIEW) flyTo(view.k, p.x, p.y);
      }
    } else if (arrow) {
      const d = { Left: [PAN_STEP, 0], Right: [-PAN_STEP, 0], Up: [0, PAN_STEP], Down: [0, -PAN_STEP] }[arrow[1]];
      panBy(d[0], d[1]);
    } else return;
    e.preventDefault();
  });
  on(svg, "click", (e) => {
    const c = e.target.closest("a.cluster:not(.is-one)");
    if (c && !(e.ctrlKey || e.metaKey || e.shiftKey) && zoomInto(c)) return e.preventDefault();
    /* Hit areas may overlap a neighbour's shape: a shape under the pointer wins. */
    const shape = doc.elementsFromPoint(e.clientX, e.clientY).find((x) => x.matches(".marker-shape"));
    const m = markerAt(shape || e.target);
    if (!m) return closePopup();
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    openPopup(m);
  });
  on(svg, "wheel", (e) => {
    const f = Math.exp(-e.deltaY * (e.deltaMode ? 30 : 1) * 0.002);
    if (f < 1 ? view.k <= ZOOM_MIN : view.k >= ZOOM_MAX) return; /* let the page scroll */
    e.preventDefault();
    zoomAt(f, e.clientX, e.clientY);
  }, { passive: false });

  /* Drag pans once past a few pixels (so clicks stay clicks); two
     pointers pinch-zoom around their midpoint. */
  const pts = new Map();
  let start, dragged = false;
  on(svg, "pointerdown", (e) => {
    if (e.button) return;
    pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pts.size === 1) { start = { x: e.clientX, y: e.clientY }; dragged = false; }
  });
  on(svg, "pointermove", (e) => {
    const p = pts.get(e.pointerId), x = e.clientX, y = e.clientY;
    if (!p) return;
    if (pts.size === 1) {
      if (!dragged && Math.abs(x - start.x) + Math.abs(y - start.y) < 6) return;
      if (!dragged) svg.setPointerCapture(e.pointerId);
      dragged = true;
      frame.classList.add("is-dragging");
      panBy(x - p.x, y - p.y);
    } else {
      const o = [...pts.values()].find((v) => v !== p), d = Math.hypot(p.x - o.x, p.y - o.y);
      dragged = true;
      if (d) zoomAt(Math.hypot(x - o.x, y - o.y) / d, (x + o.x) / 2, (y + o.y) / 2);
      panBy((x - p.x) / 2, (y - p.y) / 2);
    }
    p.x = x;
    p.y = y;
  });
  const up = (e) => {
    pts.delete(e.pointerId);
    if (!pts.size) frame.classList.remove("is-dragging");
  };
  on(svg, "pointerup", up);
  on(svg, "pointercancel", up);
  /* A drag must not end in a click that opens or follows a marker. */
  on(svg, "click", (e) => {
    if (dragged) { dragged = false; e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  /* A name in the directory: show its marker and open its popup. */
  on(doc, "click", (e) => {
    const b = e.target.closest(".show-on-map"), m = b && markerOf[attr(b, "data-slug")];
    if (!m) return;
    if (toggle && media(PHONE)) setSidebar(false);
    const f = frame.getBoundingClientRect(), p = pointOf(m);
    if (f.top < 0 || f.bottom > win.innerHeight) frame.scrollIntoView({ block: "nearest", behavior: reduced ? "auto" : "smooth" });
    openPopup(m, b);
    /* Leave room above the marker for the popup. */
    const k = Math.max(view.k, 4), s = svg.getScreenCTM().a * k / view.k;
    flyTo(k, p.x, p.y - (pop.offsetHeight / 2 + 12) / s);
  });
  if (win.ResizeObserver) new ResizeObserver(() => setView(view.k, view.x, view.y)).observe(frame);
  else setView(ZOOM_MIN, view.x, view.y);
})();
