// The device grant (RFC 8628) through the real page against the demo oidc-provider: the user code
// shown and copyable, approved in a second page; "Open Verification Page" and a denial there; Cancel
// while polling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { settle, items, snapshot, screenshot, unexpectedConsole, findItem } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, reveal, tap, press, waitFor, outcome, assertConnected, clipboard,
} from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { boxImage } from './lib/pixels.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'device' });
const { withPage, seed, client } = rig;
let oidc;
rig.ready(() => { ({ oidc } = rig); });

// ---- device grant -------------------------------------------------------------------------------

async function startDevice(page, clientId = 'basic-client') {
  await seed(page, client(clientId, 'device_code'));
  await press(page, 'Get Access Token');
  const snap = await waitFor(page, (s) => s.device || (!s.busy && s.state === 'Error'), 'the user code');
  assert.ok(snap.device, `a user code (status: ${snap.status})`);
  assert.equal(snap.busy, true, 'busy while polling');
  await settle(page);
  return snap;
}

test('device grant: the user code is shown and copyable, approving it in a second page connects', T, async () => {
  await withPage(async (page, context) => {
    const waiting = await startDevice(page);
    const { userCode, verificationUri, verificationUriComplete } = waiting.device;
    assert.match(userCode, /^[A-Z0-9-]{6,}$/);
    assert.equal(verificationUri, `${oidc.issuer}/device`);
    assert.ok(verificationUriComplete.startsWith(verificationUri) && verificationUriComplete.includes(encodeURIComponent(userCode)),
      `verification_uri_complete carries the code: ${verificationUriComplete}`);
    assert.match(waiting.status, /every \d+ s/);
    await reveal(page, 'User Code');
    await reveal(page, 'Open Verification Page');
    await tap(page, 'Copy Code');
    assert.equal(await clipboard(page), userCode);
    await screenshot(page, 'beyond-device-waiting');

    // Approve on "another device": the plain verification page, typing the code.
    const second = await context.newPage();
    await second.goto(verificationUri);
    const done = await completeLogin(second, { userCode, username: 'carol' });
    assert.ok(done.steps.includes('user_code') && done.steps.includes('success'), JSON.stringify(done.steps));
    const snap = await outcome(page);
    assertConnected(snap);
    assert.equal(snap.device, null);
    assert.ok(snap.token.refresh_token, 'basic-client may refresh');
    assert.deepEqual([...new Set(snap.log.map((e) => e.step))], ['Device authorization', 'Token poll']);
    assert.equal(snap.log.at(-1).failed, false);
    assert.deepEqual(snap.flow.map((f) => f.label), ['Device authorization', 'User approval', 'Token poll', 'Done']);
    assert.deepEqual(snap.flow.map((f) => f.state), ['ok', 'ok', 'ok', 'ok']);
    await reveal(page, 'Copy Token');
    await screenshot(page, 'beyond-device-connected');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('device grant: "Open Verification Page" opens verification_uri_complete; denying there ends with State "Error"', T, async () => {
  await withPage(async (page) => {
    const waiting = await startDevice(page, 'post-client');
    const popupPromise = page.waitForEvent('popup', { timeout: 10000 });
    await press(page, 'Open Verification Page');
    const popup = await popupPromise;
    await popup.waitForLoadState();
    // The code came in the URL: the page asks only to confirm it, no code to type.
    const abort = popup.locator('button[form="op.deviceConfirmForm"][name="abort"]');
    await abort.waitFor({ timeout: 10000 });
    assert.ok(popup.url().startsWith(waiting.device.verificationUri), popup.url());
    assert.equal(await popup.locator('[id="op.deviceInputForm"] input[name="user_code"]:visible').count(), 0);
    await abort.click();
    const snap = await outcome(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.error, 'The user denied the request (access_denied).');
    assert.equal(snap.token, null);
    assert.equal(snap.device, null);
    const flow = Object.fromEntries(snap.flow.map((f) => [f.label, f.state]));
    assert.equal(flow['Device authorization'], 'ok');
    assert.ok(Object.values(flow).includes('failed'), `a failed step: ${JSON.stringify(snap.flow)}`);
    assert.notEqual(flow.Done, 'ok');
    await reveal(page, 'State');
    await screenshot(page, 'beyond-device-denied');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('device grant: Cancel while polling stops it', T, async () => {
  await withPage(async (page) => {
    await startDevice(page);
    await press(page, 'Cancel');
    const snap = await waitFor(page, (s) => !s.busy, 'the grant to stop');
    assert.equal(snap.device, null);
    assert.notEqual(snap.state, 'Connected');
    await settle(page);
    assert.ok(!(await items(page)).some((it) => it.label === 'User Code'), 'the user code is gone');
    await reveal(page, 'Get Access Token');
    // No poll after the cancel (the interval is 5 s).
    const logged = snap.log.length;
    await page.waitForTimeout(5500);
    const later = await snapshot(page);
    assert.equal(later.busy, false);
    assert.equal(later.log.length, logged, 'no Token poll after Cancel');
  });
});

// ---- the verification page as a QR code (issue 13, RFC 8628 section 3.3.1) ------------------------

test('device grant: the verification URI is drawn as a QR code that a decoder (jsqr) reads back', T, async () => {
  await withPage(async (page) => {
    const waiting = await startDevice(page);
    const expected = waiting.device.verificationUriComplete;
    assert.ok(expected.startsWith(`${oidc.issuer}/device`), expected);
    let qr = await reveal(page, 'Verification QR code');
    for (let i = 0; i < 10 && qr.h < qr.w - 1; i += 1) { // partly in sight: scroll on until it is whole
      await page.mouse.move(qr.x + qr.w / 2, Math.min(qr.y + 5, page.viewportSize().height - 5));
      await page.mouse.wheel(0, 120);
      await settle(page);
      qr = await findItem(page, 'Verification QR code');
    }
    assert.ok(qr.w >= 29 * 4 && Math.abs(qr.w - qr.h) < 1, `a square of at least 4 px per module: ${qr.w}x${qr.h}`);
    const shot = await boxImage(page, { x: qr.x, y: qr.y, width: qr.w, height: qr.h });
    const decoded = jsQR(shot.rgba, shot.width, shot.height);
    assert.ok(decoded, 'jsqr found a QR code in the drawn pixels');
    assert.equal(decoded.data, expected);
    // A box of the page beside it holds none: the decoder is not just agreeable.
    const code = await findItem(page, 'User Code');
    const other = await boxImage(page, { x: code.x, y: code.y, width: Math.min(code.w, 240), height: code.h });
    assert.equal(jsQR(other.rgba, other.width, other.height), null);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});
