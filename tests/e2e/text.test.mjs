// Text beyond Latin: Greek and Cyrillic are drawn from the base fonts, and a glyph the fonts lack
// is drawn as the replacement character U+FFFD, never as "?". Compared as pixels of the profile
// list's rows (lib/pixels.mjs): a row is what a person reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findItem, settle } from './lib/browser.mjs';
import { useRig } from './lib/app.mjs';
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
      cjk: '日本語', // no CJK in the base fonts
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
    assert.equal(differingPixels(px.cjk, px.replacement), 0, 'CJK without a font is drawn as U+FFFD');
    assert.equal(differingPixels(px.missing, px.replacement), 0, 'Tibetan is drawn as U+FFFD');
    assert.ok(differingPixels(px.replacement, px.question) > 20, 'U+FFFD is not drawn as "?"');
    // Greek and Cyrillic are real glyphs: unlike the replacement character, and unlike each other.
    assert.ok(differingPixels(px.cyrillic, px.replacement) > 20, 'Cyrillic is drawn');
    assert.ok(differingPixels(px.greek, px.replacement) > 20, 'Greek is drawn');
    assert.ok(differingPixels(px.greek, px.cyrillic) > 20, 'Greek and Cyrillic differ');
  });
});
