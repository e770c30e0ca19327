// Home page search: what a visitor types is folded as the build folded
// each institution's name, city and country (generator/util/text_unicode.h),
// in every script: accents, case, letters such as đ or ı, text saved
// decomposed (NFD), punctuation.
import { expectShown, searchBox } from "../lib/page.mjs";

const HANOI = "Trường Đại học Y Hà Nội";
const THAI = ["chiang-mai-university", "chulalongkorn-university",
  "mahidol-university-ramathibodi", "mahidol-university-siriraj"];

/* [what is typed, the slugs it finds in the example site], by group */
const CASES = {
  "Vietnamese, as written, without marks, decomposed (NFD), in capitals": [
    [HANOI, ["hanoi-medical-university"]],
    ["truong dai hoc", ["hanoi-medical-university"]],
    [HANOI.normalize("NFD"), ["hanoi-medical-university"]],
    ["ĐẠI HỌC Y", ["hanoi-medical-university", "ump-ho-chi-minh-city"]],
  ],
  "Thai with and without its marks, Cyrillic capitals, Arabic with harakat": [
    ["มหาวิทยาลัย", THAI],
    ["มหาวทยาลย", THAI],
    ["СОФИЯ", ["medical-university-of-sofia"]],
    ["الْجَامِعَة", ["american-university-of-beirut"]],
  ],
  "Turkish İ and ı, Polish ń, Ethiopic, punctuation, Chinese characters": [
    ["HACETTEPE ÜNİVERSİTESİ TIP", ["hacettepe-universitesi"]],
    ["jagiellonski", ["jagiellonian-university-medical-college"]],
    ["አዲስ አበባ", ["addis-ababa-university"]],
    ["Charité – Universitätsmedizin,", ["charite-universitatsmedizin-berlin"]],
    ["東京大学", ["university-of-tokyo"]],
  ],
};

export default function register(suite) {
  const test = suite.test.bind(suite);
  const total = suite.site.institutions.length;
  for (const [what, cases] of Object.entries(CASES)) {
    test(`search: ${what}`, async (t) => {
      const page = await t.open("");
      for (const [query, slugs] of cases) {
        await searchBox(page).fill(query);
        await expectShown(page, slugs, total, `search ${JSON.stringify(query)}`);
      }
    });
  }
}
