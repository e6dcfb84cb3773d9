// The foundation: the canvas page loads cleanly under the CSP, reports its widgets, takes real
// keyboard and mouse input (typing, non-ASCII, paste, copy, Tab, editing keys), follows resizes and
// devicePixelRatio, and draws no frame while nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, findItem, click, fill, settle, snapshot, screenshot, selectAll,
  unexpectedConsole,
} from './lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

// Screenshots read pixels back from WebGL, which SwiftShader reports as a performance warning.
const ALLOWED = [/GPU stall due to ReadPixels/];

async function selectedProfile(page) {
  const snap = await snapshot(page);
  return snap.profiles.find((p) => p.tokenName === snap.selected) ?? snap.profiles[0];
}

test('the page loads under its CSP without console errors and reports its widgets', async () => {
  const page = await openPage(browser, server.url);
  const field = await findItem(page, 'Client ID');
  assert.ok(field.w > 100 && field.h > 10, `a real box: ${JSON.stringify(field)}`);
  const vp = page.viewportSize();
  assert.ok(field.x >= 0 && field.y >= 0 && field.x + field.w <= vp.width && field.y + field.h <= vp.height);
  assert.equal(typeof (await snapshot(page)), 'object');
  await screenshot(page, 'foundation-start');
  assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('typing, non-ASCII text and editing keys reach the field', async () => {
  const page = await openPage(browser, server.url);
  await fill(page, 'Client ID', 'abc-123_~!@#$%^&*()[]{}:;"\'<>,.?/|\\`+=');
  assert.equal((await selectedProfile(page)).clientId, 'abc-123_~!@#$%^&*()[]{}:;"\'<>,.?/|\\`+=');

  await fill(page, 'Client ID', 'é ü ß Łódź 日本');
  assert.equal((await selectedProfile(page)).clientId, 'é ü ß Łódź 日本');

  // Home, End, arrows, Backspace, Delete: each press is a down and an up with no frame between.
  await fill(page, 'Client ID', 'bcd');
  await page.keyboard.press('Home');
  await page.keyboard.type('a');
  await page.keyboard.press('End');
  await page.keyboard.type('e');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Delete');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, 'abe');

  // Ctrl+A then typing replaces; Ctrl+A, Delete and Ctrl+Z bring the text back.
  await selectAll(page);
  await page.keyboard.type('xyz');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, 'xyz');
  await selectAll(page);
  await page.keyboard.press('Delete');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, '');
  await page.keyboard.press('Control+z');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, 'xyz');
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('Tab moves to the next field', async () => {
  const page = await openPage(browser, server.url);
  await fill(page, 'Client ID', 'first');
  await page.keyboard.press('Tab');
  await page.keyboard.type('second');
  await settle(page);
  const profile = await selectedProfile(page);
  assert.equal(profile.clientId, 'first');
  assert.equal(profile.clientSecret, 'second', 'Client Secret follows Client ID');
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('Ctrl+V pastes the system clipboard and Ctrl+C copies to it', async () => {
  const page = await openPage(browser, server.url);
  await page.evaluate(() => navigator.clipboard.writeText('pasted: ü 日本 a:b+c/d=e%f g'));
  await click(page, 'Client ID');
  await page.keyboard.press('Control+v');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, 'pasted: ü 日本 a:b+c/d=e%f g');

  await fill(page, 'Token Name', 'copy me');
  await selectAll(page);
  await page.keyboard.press('Control+c');
  await settle(page);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'copy me');
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('the canvas follows window resizes', async () => {
  const page = await openPage(browser, server.url, { viewport: { width: 1000, height: 700 } });
  const wide = await findItem(page, 'Client ID');
  await page.setViewportSize({ width: 700, height: 600 });
  await settle(page);
  const narrow = await findItem(page, 'Client ID');
  assert.ok(narrow.w < wide.w - 200, `field narrowed: ${wide.w} -> ${narrow.w}`);
  const size = await page.evaluate(() => [document.getElementById('canvas').width, window.innerWidth]);
  assert.deepEqual(size, [700, 700]);
  await fill(page, 'Client ID', 'after resize');
  assert.equal((await selectedProfile(page)).clientId, 'after resize');
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('high-DPI: the backing store follows devicePixelRatio and boxes stay in CSS pixels', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 2 });
  const page = await openPage(browser, server.url, { context });
  const dims = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: window.innerWidth, cssH: window.innerHeight, dpr: devicePixelRatio };
  });
  assert.equal(dims.dpr, 2);
  assert.equal(dims.w, dims.cssW * 2);
  assert.equal(dims.h, dims.cssH * 2);
  const field = await findItem(page, 'Client ID');
  assert.ok(field.x + field.w <= 900, 'box in CSS pixels');
  await fill(page, 'Client ID', 'sharp');
  assert.equal((await selectedProfile(page)).clientId, 'sharp');
  await screenshot(page, 'foundation-hidpi');
  await context.close();
});

test('no frame is drawn while nothing changes; input wakes the page', async () => {
  const page = await openPage(browser, server.url);
  await settle(page);
  const before = await page.evaluate(() => window.oauthSetup.frames());
  await page.waitForTimeout(2000);
  const idle = await page.evaluate(() => window.oauthSetup.frames());
  assert.equal(idle, before, 'frames drawn while idle');
  const field = await findItem(page, 'Client ID');
  await page.mouse.move(field.x + 5, field.y + 5);
  await page.mouse.move(field.x + 20, field.y + 8);
  const woke = await settle(page);
  assert.ok(woke > idle, 'mouse movement drew frames');
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.oauthSetup.frames()), woke, 'idle again after input');
  await page.context().close(); // its context too: an open one keeps its kept-alive connections to serve.py
});

test('touch: tapping a field focuses the hidden text element (soft keyboard) and typing reaches it', async () => {
  const context = await browser.newContext({ viewport: { width: 420, height: 800 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await openPage(browser, server.url, { context });
  const field = await findItem(page, 'Client ID');
  await page.touchscreen.tap(field.x + field.w / 2, field.y + field.h / 2);
  await settle(page);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  assert.equal(focused, 'text-input', 'the hidden input has focus, so a soft keyboard would open');
  await page.keyboard.insertText('tapped ü');
  await settle(page);
  assert.equal((await selectedProfile(page)).clientId, 'tapped ü');
  await context.close();
});
