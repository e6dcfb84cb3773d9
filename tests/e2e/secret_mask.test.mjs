// A masked secret does not show its length (issue 11): at rest the Client Secret and Password
// fields draw a fixed mask, so a 3-character secret and a 40-character one look the same on
// screen, pixel for pixel; shown on purpose, they differ. Real page, real mouse and keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, settle, findItem, click, fill, unexpectedConsole } from './lib/browser.mjs';
import { reveal } from './lib/app.mjs';

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

// The pixels of the field captioned `label`, with the focus elsewhere and the mouse away.
async function fieldPixels(page, label) {
  await click(page, 'Token Name');
  await page.mouse.move(2, 2);
  await settle(page);
  const it = await findItem(page, label);
  return page.screenshot({ clip: { x: it.x, y: it.y, width: it.w, height: it.h } });
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
