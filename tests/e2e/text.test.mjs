// Text beyond Latin: Greek and Cyrillic are drawn from the base fonts; CJK, Hangul, the rest of
// Latin, Thai, Armenian and Georgian from fallback fonts fetched only once such text appears (the
// base download unchanged); a glyph no font has is drawn as the replacement character U+FFFD,
// never as "?". Compared as pixels of the profile
// list's rows (lib/pixels.mjs): a row is what a person reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { click, findItem, settle } from './lib/browser.mjs';
import { useRig, type, selected } from './lib/app.mjs';
import { boxPixels, differingPixels } from './lib/pixels.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'text', oidc: false });
const { withPage, seed } = rig;

const profile = (tokenName) => ({ tokenName, grantType: 'client_credentials', clientId: 'c', accessTokenUrl: 'https://id.example.com/token' });

/** The pixels of the profile list row captioned `name`, cut to `width` CSS pixels. */
async function row(page, name, width) {
  const it = await findItem(page, name);
  return boxPixels(page, { x: it.x, y: it.y, width, height: it.h });
}

test('Greek and Cyrillic Token Names are drawn; a glyph the fonts lack is drawn as U+FFFD, not "?"', T, async () => {
  await withPage(async (page) => {
    const names = {
      selected: 'Selected profile',
      cyrillic: 'Жук',
      greek: 'Ωμέγα',
      replacement: '\uFFFD\uFFFD\uFFFD',
      question: '???',
      missing: '\u0F40\u0F41\u0F42', // Tibetan: in no font of the page
    };
    await seed(page, profile(names.selected), ...Object.values(names).slice(1).map(profile));
    await page.mouse.move(1, 1); // no row under the mouse: no hover colour
    await settle(page);
    const width = 60;
    const px = {};
    for (const [key, name] of Object.entries(names)) px[key] = await row(page, name, width);

    // The missing glyphs look exactly like the replacement character, and unlike "?".
    assert.equal(differingPixels(px.missing, px.replacement), 0, 'Tibetan is drawn as U+FFFD');
    assert.ok(differingPixels(px.replacement, px.question) > 20, 'U+FFFD is not drawn as "?"');
    // Greek and Cyrillic are real glyphs: unlike the replacement character, and unlike each other.
    assert.ok(differingPixels(px.cyrillic, px.replacement) > 20, 'Cyrillic is drawn');
    assert.ok(differingPixels(px.greek, px.replacement) > 20, 'Greek is drawn');
    assert.ok(differingPixels(px.greek, px.cyrillic) > 20, 'Greek and Cyrillic differ');
  });
});

/** The URLs (path only) the page has fetched so far, from the browser's resource timing. */
async function fetched(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => ({ path: new URL(e.name).pathname, bytes: e.encodedBodySize })));
}
const FALLBACK = '/fonts/fallback.ttf';

test('a CJK Token Name is drawn from the fallback font, fetched only once CJK appears; the base download is unchanged', T, async () => {
  await withPage(async (page) => {
    const names = { selected: 'Selected profile', renamed: 'Renamed', replacement: '\uFFFD\uFFFD\uFFFD',
      missing: '\u0F40\u0F41\u0F42' };
    await seed(page, ...Object.values(names).map(profile));
    await settle(page);
    const before = await fetched(page);
    assert.deepEqual(before.filter((r) => r.path === FALLBACK), [],
      'no CJK shown (Tibetan is in no font, the fallback included): the fallback font is not fetched');

    // A person renames a profile in Japanese (the text arrives as from an input method).
    await click(page, names.renamed);
    await type(page, 'Token Name', '日本語');
    assert.equal((await selected(page)).tokenName, '日本語');
    await click(page, names.selected); // the renamed row unselected, as the rows it is compared with
    const start = Date.now();
    while (!(await fetched(page)).some((r) => r.path === FALLBACK)) {
      assert.ok(Date.now() - start < 20000, 'the fallback font is fetched once CJK is shown');
      await page.waitForTimeout(100);
    }
    await page.mouse.move(1, 1);
    await settle(page, { quietMs: 300 });
    const after = await fetched(page);
    const fonts = after.filter((r) => r.path === FALLBACK);
    assert.equal(fonts.length, 1, 'fetched once');
    console.log(`fallback font: ${fonts[0].bytes} bytes, fetched only once CJK appeared`);
    assert.deepEqual(after.filter((r) => r.path !== FALLBACK).map((r) => r.path), before.map((r) => r.path),
      'the base download is what it was: the fallback is a file of its own');

    const width = 60;
    const cjk = await row(page, '日本語', width);
    const replacement = await row(page, names.replacement, width);
    const missing = await row(page, names.missing, width);
    assert.ok(differingPixels(cjk, replacement) > 20, 'the CJK Token Name is drawn, not as U+FFFD');
    assert.equal(differingPixels(missing, replacement), 0, 'Tibetan, in no font, is still drawn as U+FFFD');
  });
});

const HANGUL = '/fonts/hangul.ttf';

test('a Korean Token Name is drawn from the Hangul font, fetched alone and only once Hangul appears', T, async () => {
  await withPage(async (page) => {
    // One Korean name seeded (drawn from the first frame) and one typed in.
    const names = { selected: 'Selected profile', korean: '한국어', replacement: '\uFFFD\uFFFD\uFFFD', renamed: 'Renamed' };
    await seed(page, ...Object.values(names).map(profile));
    const start = Date.now();
    while (!(await fetched(page)).some((r) => r.path === HANGUL)) {
      assert.ok(Date.now() - start < 20000, 'the Hangul font is fetched once a Korean name is shown');
      await page.waitForTimeout(100);
    }
    await click(page, names.renamed);
    await type(page, 'Token Name', '서울');
    assert.equal((await selected(page)).tokenName, '서울');
    await click(page, names.selected);
    await page.mouse.move(1, 1);
    await settle(page, { quietMs: 300 });
    const after = await fetched(page);
    assert.equal(after.filter((r) => r.path === HANGUL).length, 1, 'fetched once, for both names');
    assert.deepEqual(after.filter((r) => r.path === FALLBACK), [],
      'Hangul syllables alone do not fetch the CJK font: each file is fetched for its own blocks');

    const width = 40;
    const replacement = await row(page, names.replacement, width);
    const korean = await row(page, names.korean, width);
    const typed = await row(page, '서울', width);
    assert.ok(differingPixels(korean, typed) > 20, 'two different Korean names look different');
    for (const drawn of [korean, typed]) {
      assert.ok(differingPixels(drawn, replacement) > 20, 'Hangul is drawn, not as U+FFFD');
    }
  });
});

// The other fallback files: the rest of Latin (Inter), Thai (Loma), Armenian and Georgian (DejaVu
// Sans). Each name below is made only of letters outside the base fonts.
const SCRIPTS = [
  { name: 'ệếở', what: 'Vietnamese', file: '/fonts/latin.ttf' },
  { name: 'șțș', what: 'Romanian s and t with comma below', file: '/fonts/latin.ttf' },
  { name: 'ภาษาไทย', what: 'Thai', file: '/fonts/thai.ttf' },
  { name: 'Հայերեն', what: 'Armenian', file: '/fonts/armenian-georgian.ttf' },
  { name: 'ქართული', what: 'Georgian', file: '/fonts/armenian-georgian.ttf' },
];

test('Vietnamese, Romanian, Thai, Armenian and Georgian Token Names are drawn from their fallback files; Hebrew stays U+FFFD', T, async () => {
  await withPage(async (page) => {
    const hebrew = 'עברית';
    const replacement = '\uFFFD'.repeat([...hebrew].length);
    await seed(page, ...['Selected profile', replacement, hebrew, ...SCRIPTS.map((s) => s.name)].map(profile));
    const files = [...new Set(SCRIPTS.map((s) => s.file))];
    const start = Date.now();
    for (;;) {
      const paths = (await fetched(page)).map((r) => r.path);
      if (files.every((f) => paths.includes(f))) break;
      assert.ok(Date.now() - start < 20000, `fetched so far: ${paths.filter((p) => p.startsWith('/fonts/')).join(', ')}`);
      await page.waitForTimeout(100);
    }
    await page.mouse.move(1, 1);
    await settle(page, { quietMs: 300 });
    const fonts = (await fetched(page)).filter((r) => r.path.startsWith('/fonts/')).map((r) => r.path).sort();
    assert.deepEqual(fonts, [...files].sort(), 'each file once, and not the CJK or Hangul ones');

    const width = 40;
    const fffd = await row(page, replacement, width);
    for (const s of SCRIPTS) {
      assert.ok(differingPixels(await row(page, s.name, width), fffd) > 20, `${s.what} is drawn, not as U+FFFD`);
    }
    assert.ok(differingPixels(await row(page, SCRIPTS[0].name, width), await row(page, SCRIPTS[1].name, width)) > 20,
      'two different Latin names look different');
    // Dear ImGui 1.86 lays text out left to right without shaping: Hebrew letters would read
    // backwards, so no file covers them and they are drawn as the replacement character.
    assert.equal(differingPixels(await row(page, hebrew, width), fffd), 0, 'Hebrew is drawn as U+FFFD');
  });
});
