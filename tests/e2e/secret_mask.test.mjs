// A masked secret does not show its length (issue 11): at rest the Client Secret and Password
// fields draw a fixed mask, so a 3-character secret and a 40-character one look the same on
// screen, pixel for pixel; shown on purpose, they differ. Real page, real mouse and keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, settle, findItem, click, fill, unexpectedConsole } from './lib/browser.mjs';
import * as crypto from 'node:crypto';
import { reveal, type, choose, AUTH } from './lib/app.mjs';
import { boxPixels, differingPixels, rightEdge } from './lib/pixels.mjs';

const T = { timeout: 60000 };
let server; let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The field captioned `label` at rest: the focus elsewhere and the mouse away; resolves to its box.
async function atRest(page, label) {
  await click(page, 'Token Name');
  await page.mouse.move(2, 2);
  await settle(page);
  return findItem(page, label);
}

// The pixels of the field captioned `label`, at rest.
async function fieldPixels(page, label) {
  const it = await atRest(page, label);
  return page.screenshot({ clip: { x: it.x, y: it.y, width: it.w, height: it.h } });
}

// The RGBA pixels of the field's right border and the two pixel columns inside it, at rest: where a
// secret longer than the field runs under the border (the corners, where the frame curves, left out).
async function rightEdgePixels(page, label) {
  return boxPixels(page, rightEdge(await atRest(page, label), 3, 5));
}

test('a masked Client Secret looks the same whatever its length; shown, it does not', T, async () => {
  const page = await openPage(browser, server.url);
  try {
    await reveal(page, 'Client Secret');
    await fill(page, 'Client Secret', 'abc');
    const short = await fieldPixels(page, 'Client Secret');
    await fill(page, 'Client Secret', 'x'.repeat(40));
    const long = await fieldPixels(page, 'Client Secret');
    assert.ok(short.equals(long), 'the masked field showed a different picture for 3 and 40 characters');

    // Shown on purpose, the two secrets are drawn as they are: the comparison above can fail.
    await click(page, 'Show secret');
    const longShown = await fieldPixels(page, 'Client Secret');
    await fill(page, 'Client Secret', 'abc');
    const shortShown = await fieldPixels(page, 'Client Secret');
    assert.ok(!shortShown.equals(longShown), 'shown secrets of different lengths should differ');
    assert.ok(!shortShown.equals(short), 'a shown secret should differ from its mask');

    // While it is being edited, the field shows one '*' per character, as a browser's does.
    await click(page, 'Show secret');
    await click(page, 'Client Secret');
    await page.mouse.move(2, 2);
    await settle(page);
    const it = await findItem(page, 'Client Secret');
    const editing = await page.screenshot({ clip: { x: it.x, y: it.y, width: it.w, height: it.h } });
    assert.ok(!editing.equals(short), 'the field being edited shows its own characters, not the fixed mask');
    assert.deepEqual(unexpectedConsole(page, [/GPU stall due to ReadPixels/]), []);
  } finally {
    await page.context().close();
  }
});

// A pasted PEM is far longer than the field: its '*'s run to the field's right end and under its
// border, and the fixed mask must cover all of them, the border's pixels included (issue 13).
const PEM = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });

for (const { width, height, scale } of [{ width: 1200, height: 800, scale: 1 }, { width: 390, height: 844, scale: 2 }]) {
  test(`at ${width} px no part of a long masked Private Key shows at the field's right border`, T, async () => {
    const page = await openPage(browser, server.url, { viewport: { width, height }, deviceScaleFactor: scale });
    try {
      await choose(page, 'Client Authentication', AUTH.private_key_jwt);
      await type(page, 'Private Key', 'abc');
      const shortEdge = await rightEdgePixels(page, 'Private Key');
      const short = await fieldPixels(page, 'Private Key');
      await type(page, 'Private Key', PEM);
      const longEdge = await rightEdgePixels(page, 'Private Key');
      const changed = differingPixels(shortEdge, longEdge, 8);
      assert.equal(changed, 0, `${changed} pixels of the right border differ between a 3-character and a ${PEM.length}-character key`);
      assert.ok(short.equals(await fieldPixels(page, 'Private Key')), 'the masked field looks the same for both keys');

      // Shown on purpose, the long key runs to the border and the short one does not: the edge
      // comparison above sees text there when there is some.
      await click(page, 'Show key');
      const longShown = await rightEdgePixels(page, 'Private Key');
      await type(page, 'Private Key', 'abc');
      const shortShown = await rightEdgePixels(page, 'Private Key');
      assert.ok(differingPixels(shortShown, longShown, 8) > 0, 'the shown long key reaches the right border');
      assert.deepEqual(unexpectedConsole(page, [/GPU stall due to ReadPixels/]), []);
    } finally {
      await page.context().close();
    }
  });
}
