// Home page: network and exchange-level filters, the live status, and the
// filter state kept in the URL.
import assert from "node:assert/strict";
import { eventually } from "../lib/harness.mjs";
import { expectShown, netBox, levelBox, networkGroup, levelGroup, shown } from "../lib/page.mjs";

export default function register(suite) {
  const test = suite.test.bind(suite);
  const site = suite.site;
  const total = site.institutions.length;
  const net = (slug) => {
    const n = site.networks.find((x) => x.slug === slug);
    assert.ok(n, `the example site has no network "${slug}"`);
    return n;
  };
  const allNets = site.networks.map((n) => n.slug);

  test("filters: a Networks fieldset with one checked box per network, labelled with its name", async (t) => {
    const page = await t.open("");
    const group = networkGroup(page);
    assert.equal(await group.count(), 1, 'no group named "Networks" (fieldset + legend)');
    assert.equal(await group.evaluate((e) => e.tagName), "FIELDSET", "the Networks group is not a <fieldset>");
    const legend = (await group.locator("legend").first().textContent()).trim();
    assert.equal(legend, "Networks", "the fieldset's legend");
    const boxes = group.getByRole("checkbox");
    assert.equal(await boxes.count(), site.networks.length, "one checkbox per network");
    for (const n of site.networks) {
      const box = netBox(page, n);
      assert.equal(await box.count(), 1, `no checkbox labelled "${n.name}"`);
      assert.ok(await box.isVisible(), `the "${n.name}" checkbox is not visible`);
      assert.ok(await box.isChecked(), `the "${n.name}" checkbox is not checked at first`);
    }
    const levels = levelGroup(page).getByRole("checkbox");
    assert.equal(await levels.count(), site.levels.length, "one exchange-level checkbox per level");
    await expectShown(page, site.expected(), total, "at first");
  });

  test("filters: unchecking a network hides institutions in none of the checked networks", async (t) => {
    const page = await t.open("");
    const both = site.institutions.find((i) => i.networks.includes("global") && i.networks.includes("africa"));
    const onlyAfrica = site.institutions.find((i) => i.networks.length === 1 && i.networks[0] === "africa");
    assert.ok(both && onlyAfrica, "the example has an institution in global and africa, and one only in africa");

    await netBox(page, net("africa")).uncheck();
    const nets = allNets.filter((s) => s !== "africa");
    const want = site.expected({ nets });
    assert.ok(want.includes(both.slug) && !want.includes(onlyAfrica.slug));
    await expectShown(page, want, total, "without africa");
    assert.ok(await page.locator(`#marker-${both.slug}`).isVisible(), `${both.slug} (global and africa) must stay while global is checked`);
    assert.ok(await page.locator(`#marker-${onlyAfrica.slug}`).isHidden(), `${onlyAfrica.slug} (africa only) must be hidden`);

    await netBox(page, net("global")).uncheck();
    await expectShown(page, site.expected({ nets: ["south-east-asia"] }), total, "south-east-asia only");
    assert.ok(await page.locator(`#marker-${both.slug}`).isHidden(), `${both.slug} must go once both its networks are unchecked`);

    await netBox(page, net("africa")).check();
    await expectShown(page, site.expected({ nets: ["africa", "south-east-asia"] }), total, "africa and south-east-asia");
    assert.ok(await page.locator(`#marker-${both.slug}`).isVisible(), `${both.slug} is back with africa`);
  });

  test("filters: unchecking every network hides every institution", async (t) => {
    const page = await t.open("");
    for (const n of site.networks) await netBox(page, n).uncheck();
    await expectShown(page, [], total, "no network checked");
    const groups = await page.locator(".directory .dir-country").evaluateAll((gs) => gs.filter((g) => g.checkVisibility()).length);
    assert.equal(groups, 0, "country headings of the directory stay visible with nothing under them");
    for (const n of site.networks) await netBox(page, n).check();
    await expectShown(page, site.expected(), total, "every network checked again");
  });

  test("filters: each network alone shows exactly its members", async (t) => {
    const page = await t.open("");
    for (const only of site.networks) {
      for (const n of site.networks) await netBox(page, n).setChecked(n.slug === only.slug);
      const want = site.expected({ nets: [only.slug] });
      assert.deepEqual(want, [...only.members].sort());
      await expectShown(page, want, total, `${only.slug} alone`);
    }
  });

  test("filters: exchange level alone (undergraduate / postgraduate)", async (t) => {
    const page = await t.open("");
    const ug = levelBox(page, "undergraduate"), pg = levelBox(page, "postgraduate");
    assert.ok(await ug.isChecked() && await pg.isChecked(), "both levels are checked at first");

    await ug.uncheck();
    const pgOnly = site.expected({ lvls: ["postgraduate"] });
    assert.ok(pgOnly.length < total && pgOnly.length > 0);
    await expectShown(page, pgOnly, total, "postgraduate only");

    await ug.check();
    await pg.uncheck();
    await expectShown(page, site.expected({ lvls: ["undergraduate"] }), total, "undergraduate only");

    await ug.uncheck();
    await expectShown(page, [], total, "no level checked");
  });

  test("filters: exchange level combined with networks", async (t) => {
    const page = await t.open("");
    await netBox(page, net("global")).uncheck();
    await levelBox(page, "undergraduate").uncheck();
    const want = site.expected({ nets: ["africa", "south-east-asia"], lvls: ["postgraduate"] });
    assert.ok(want.length > 0);
    await expectShown(page, want, total, "africa + south-east-asia, postgraduate");
    for (const slug of want) {
      const i = site.bySlug.get(slug);
      assert.ok(i.exchanges.includes("postgraduate") && !i.networks.every((n) => n === "global"));
    }
    await levelBox(page, "undergraduate").check();
    await expectShown(page, site.expected({ nets: ["africa", "south-east-asia"] }), total, "africa + south-east-asia, both levels");
  });

  test("filters: the state is in the URL; reload and a fresh visit restore it; Back restores the previous one", async (t) => {
    const page = await t.open("");
    const start = page.url();
    await netBox(page, net("africa")).uncheck();
    const afterNet = await eventually(async () => {
      assert.notEqual(page.url(), start, "unchecking a network did not change the URL");
      return page.url();
    });
    const wantNet = site.expected({ nets: allNets.filter((s) => s !== "africa") });

    await page.reload();
    assert.equal(page.url(), afterNet);
    assert.equal(await netBox(page, net("africa")).isChecked(), false, "after reload the africa box is checked again");
    assert.equal(await netBox(page, net("global")).isChecked(), true);
    await expectShown(page, wantNet, total, "after reload");

    const fresh = await (await t.context()).newPage();
    await fresh.goto(afterNet);
    assert.equal(await netBox(fresh, net("africa")).isChecked(), false, "a fresh visit to the URL does not restore the filter");
    await expectShown(fresh, wantNet, total, "fresh visit to the filtered URL");

    await levelBox(page, "undergraduate").uncheck();
    const wantBoth = site.expected({ nets: allNets.filter((s) => s !== "africa"), lvls: ["postgraduate"] });
    await expectShown(page, wantBoth, total, "without africa, postgraduate only");
    const afterLevel = await eventually(async () => {
      assert.notEqual(page.url(), afterNet, "unchecking a level did not change the URL");
      return page.url();
    });

    await page.goBack();
    await eventually(async () => assert.equal(page.url(), afterNet, "Back did not return to the previous URL"));
    await eventually(async () => {
      assert.equal(await levelBox(page, "undergraduate").isChecked(), true, "Back did not re-check undergraduate");
      assert.equal(await netBox(page, net("africa")).isChecked(), false, "Back lost the network filter");
    });
    await expectShown(page, wantNet, total, "after Back");

    await page.goBack();
    await eventually(async () => assert.ok(await netBox(page, net("africa")).isChecked(), "a second Back did not restore every network"));
    await expectShown(page, site.expected(), total, "after a second Back");

    await page.goForward();
    await expectShown(page, wantNet, total, "after Forward");
    assert.notEqual(afterLevel, afterNet);
  });

  test("filters: the search text is kept in the URL too", async (t) => {
    const page = await t.open("");
    await page.getByRole("searchbox").fill("kampala");
    const want = site.expected({ q: "kampala" });
    await expectShown(page, want, total, "search kampala");
    await eventually(async () => assert.match(decodeURIComponent(page.url()), /kampala/i, "the URL does not carry the search"));
    await page.reload();
    assert.equal(await page.getByRole("searchbox").inputValue(), "kampala", "reload lost the search text");
    await expectShown(page, want, total, "search kampala after reload");
    const s = await shown(page);
    assert.ok(s.items.length > 0);
  });
}
