// A 390 x 844 phone with a finger (issue 10, "Phones and small windows"): captions above full-width
// fields, tap targets a finger hits, a drag that scrolls the form, pinch-zoom left to the browser,
// and a client-credentials grant completed by touch alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { items, settle, snapshot, screenshot } from './lib/browser.mjs';
import { useRig, selected, waitFor, assertConnected, GRANT } from './lib/app.mjs';
import { centre, drag, swipeTo, tapAt, touch, touchType } from './lib/touch.mjs';
import { boxPixels, differingPixels, rightEdge } from './lib/pixels.mjs';
import { CLIENTS } from '../../demo/server.mjs';

const rig = useRig({ name: 'phone' });
const T = { timeout: 240000 };
const FIELDS = ['Token Name', 'Issuer / Discovery URL', 'Grant Type', 'Client ID', 'Client Secret', 'Redirect URL',
  'Scope(s)', 'Resource', 'Audience', 'Client Authentication', 'Authorization URL', 'Access Token URL', 'Revocation URL', 'Introspection URL',
  'Auth. URL Params', 'Timeout (s)', 'Consent timeout (s)'];
const TARGETS = ['Profiles', 'New', 'Duplicate', 'Delete', 'New from Preset', 'Export All', 'Import', 'With secrets',
  'Lock with Passphrase', 'Discover', 'Show secret', 'Copy URL', 'Use PAR', 'Use CORS relay', 'Auto-refresh', 'Use DPoP', 'Get Access Token',
  'Copy as cURL', 'Download Postman Collection', 'Include secrets in exports'];

/** Every drawn widget captioned `label` (scrolled into sight or not). */
const all = async (page, label) => (await items(page)).filter((it) => it.label === label);

test('at 390 px each field takes the full width under its caption, and every tap target is 32 px tall', T, async () => {
  await rig.withPhone(async (page) => {
    await touch(page, 'Grant Type');
    await touch(page, GRANT.authorization_code); // the grant with the most fields
    const [name] = await all(page, 'Token Name');
    assert.ok(name.w >= 0.75 * 390, `Token Name is ${name.w} px of the 390 px window`);
    const widths = {};
    for (const label of FIELDS) {
      const it = await swipeTo(page, label);
      widths[label] = Math.round(it.w);
      assert.ok(it.w >= 0.8 * name.w, `${label} is ${it.w} px wide, at least 80 % of ${name.w}`);
      assert.equal(Math.round(it.x), Math.round(name.x), `${label} starts at the left edge, under its caption`);
      assert.ok(it.h >= 32, `${label} is ${it.h} px tall`);
    }
    console.log(`field widths at 390 px: ${JSON.stringify(widths)}`);
    for (const label of TARGETS) {
      const it = await swipeTo(page, label);
      assert.ok(it.h >= 32, `${label} is ${it.h} px tall, at least 32`);
    }
    const row = await swipeTo(page, 'New Profile');
    assert.ok(row.h >= 32, `the profile row is ${row?.h} px tall`);
    await screenshot(page, 'phone-390-form');
  });
});

test('the profile list is a collapsible section above the form', T, async () => {
  await rig.withPhone(async (page) => {
    const [header] = await all(page, 'Profiles');
    const [name] = await all(page, 'Token Name');
    const [row] = await all(page, 'New Profile');
    assert.ok(header.y < row.y && row.y < name.y, 'Profiles, then its rows, then the form');
    await touch(page, 'Profiles');
    assert.deepEqual((await items(page)).filter((it) => it.label === 'New Profile' || it.label === 'Import'), [],
      'collapsed: its rows and buttons are gone');
    const [after] = await all(page, 'Token Name');
    assert.ok(after.y < name.y, 'the form moved up');
    await touch(page, 'Profiles');
    assert.equal((await all(page, 'New Profile')).length, 1, 'open again');
  });
});

test('a finger drag scrolls the form, and does not press what it started on', T, async () => {
  await rig.withPhone(async (page) => {
    const before = await swipeTo(page, 'Client Secret');
    const [field] = await all(page, 'Client ID');
    // Start the drag on a text field: a drag is a scroll, never a tap on it.
    const at = centre(field);
    await drag(page, at.x, at.y, 0, -300);
    const [after] = await all(page, 'Client Secret');
    const moved = before.y - after.y;
    assert.ok(moved > 250 && moved <= 300, `the form followed the finger up: ${moved} px of 300`);
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'text-input', 'no field was focused');
    assert.equal((await snapshot(page)).profiles.length, 1, 'nothing was pressed');
    await drag(page, 200, 300, 0, 300);
    const [back] = await all(page, 'Client Secret');
    assert.ok(Math.abs(back.y - before.y) < 2, `and back down: ${back.y} vs ${before.y}`);
  });
});

test('pinch-zoom is allowed, and a zoomed page still maps a tap to the field under the finger', T, async () => {
  await rig.withPhone(async (page) => {
    const meta = await page.evaluate(() => document.querySelector('meta[name=viewport]').content);
    assert.equal(meta, 'width=device-width, initial-scale=1');
    assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('canvas')).touchAction), 'pinch-zoom');
    const session = await page.context().newCDPSession(page);
    await session.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await settle(page);
    assert.equal(await page.evaluate(() => visualViewport.scale), 2, 'the page is zoomed in');
    const [field] = await all(page, 'Client ID');
    const at = centre(field);
    await tapAt(page, at.x, at.y);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'text-input', 'the soft keyboard would open');
    await page.keyboard.insertText('zoomed-client');
    await settle(page);
    assert.equal((await selected(page)).clientId, 'zoomed-client');
  });
});

test('the soft keyboard does not hide the field being typed into: the form scrolls it above the keyboard', T, async () => {
  await rig.withPhone(async (page) => {
    // A field low on the screen, about 700 px down the 844 px window.
    const found = await swipeTo(page, 'Access Token URL');
    if (Math.abs(found.y - 700) > 20) await drag(page, 195, 300, 0, 700 - found.y);
    const [low] = await all(page, 'Access Token URL');
    assert.ok(low.visible && low.y > 600 && low.y + low.h < 844, `the field is low in the window: y ${low.y}`);
    const keyboardTop = 844 - 340; // a phone keyboard with its suggestion bar: 340 CSS px
    assert.ok(low.y + low.h > keyboardTop, `the field (y ${low.y}) is where the keyboard will cover it`);
    await tapAt(page, low.x + low.w / 2, low.y + low.h / 2);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'text-input', 'the soft keyboard opens');
    // The keyboard takes the bottom 340 px: what stays in sight (the visual viewport) shrinks.
    await page.setViewportSize({ width: 390, height: keyboardTop });
    await settle(page);
    assert.equal(await page.evaluate(() => Math.round(visualViewport.height)), keyboardTop);
    const [seen] = await all(page, 'Access Token URL');
    assert.ok(seen.y >= 0 && seen.y + seen.h <= keyboardTop,
      `the field is above the keyboard: y ${seen.y} to ${seen.y + seen.h}, the keyboard from ${keyboardTop}`);
    await page.keyboard.insertText('https://login.example.com/token');
    await settle(page);
    assert.equal((await selected(page)).accessTokenUrl, 'https://login.example.com/token', 'typing still reaches the field');
  });
});

test('a client-credentials grant by touch alone reaches State Connected', T, async () => {
  await rig.withPhone(async (page) => {
    await touch(page, 'New');
    await touchType(page, 'Token Name', 'Phone client');
    await touch(page, 'Grant Type');
    await touch(page, GRANT.client_credentials);
    await touchType(page, 'Client ID', 'basic-client');
    await touchType(page, 'Client Secret', CLIENTS['basic-client'].secret);
    await touchType(page, 'Scope(s)', 'api:read');
    await touchType(page, 'Access Token URL', rig.meta.token_endpoint);
    const p = await selected(page);
    assert.equal(p.tokenName, 'Phone client');
    assert.equal(p.grantType, 'client_credentials');
    assert.equal(p.clientId, 'basic-client');
    assert.equal(p.accessTokenUrl, rig.meta.token_endpoint);
    await touch(page, 'Get Access Token');
    const snap = await waitFor(page, (s) => !s.busy && (s.state === 'Connected' || s.state === 'Error'), 'the outcome');
    assertConnected(snap);
    await swipeTo(page, 'Copy Token');
    await screenshot(page, 'phone-390-connected');
    assert.equal((await snapshot(page)).state, 'Connected');
  });
});

test('at 390 px the signed-assertion rows and the key to register fit the width, and their buttons a finger', T, async () => {
  await rig.withPhone(async (page) => {
    // private_key_jwt with PAR, DPoP, Resource and Audience set: every row issue 13 added is drawn.
    await rig.seed(page, rig.client('private-key-jwt-client', 'authorization_code', {
      usePar: true, useDpop: true, resource: 'urn:oauth-setup:reports', audience: 'https://api.example.com' }));
    const [name] = await all(page, 'Token Name');
    await touch(page, 'Generate Key');
    await waitFor(page, (s) => s.signingKey.jwks !== '', 'the generated key\'s JWKS');
    const widths = {};
    for (const label of ['Resource', 'Audience', 'Assertion Audience', 'Signing Algorithm', 'Private Key', 'Key ID',
      'Public JWK', 'JWKS']) {
      const it = await swipeTo(page, label);
      widths[label] = Math.round(it.w);
      assert.ok(it.w >= 0.8 * name.w, `${label} is ${it.w} px wide, at least 80 % of ${name.w}`);
      assert.equal(Math.round(it.x), Math.round(name.x), `${label} starts at the left edge, under its caption`);
      assert.ok(it.x + it.w <= 390, `${label} ends inside the 390 px window (${it.x + it.w})`);
    }
    console.log(`assertion row widths at 390 px: ${JSON.stringify(widths)}`);
    for (const label of ['Use PAR', 'Use DPoP', 'Show key', 'Generate Key', 'Show Public Key', 'Copy Public JWK',
      'Copy JWKS']) {
      const it = await swipeTo(page, label);
      assert.ok(it.h >= 32, `${label} is ${it.h} px tall, at least 32`);
      assert.ok(it.x >= 0 && it.x + it.w <= 390, `${label} is inside the window (${it.x}..${it.x + it.w})`);
    }
    await swipeTo(page, 'Signing Algorithm');
    await screenshot(page, 'phone-390-assertion');
    await swipeTo(page, 'Public JWK');
    await screenshot(page, 'phone-390-public-key');
    await swipeTo(page, 'Resource');
    await screenshot(page, 'phone-390-resource');
    await swipeTo(page, 'Use DPoP');
    await screenshot(page, 'phone-390-par-dpop');
  });
});

test('at 390 px the public JWK and JWKS wrap their long lines: the end of n is in the box, none runs past its edge', T, async () => {
  await rig.withPhone(async (page) => {
    await rig.seed(page, rig.client('private-key-jwt-client', 'client_credentials'));
    await touch(page, 'Generate Key');
    const snap = await waitFor(page, (s) => s.signingKey.jwks !== '', 'the generated key\'s JWKS');
    const { n } = JSON.parse(snap.signingKey.jwks).keys[0];
    assert.equal(n.length, 342, 'a 2048-bit modulus, 342 base64url characters: far wider than the phone');
    for (const label of ['Public JWK', 'JWKS']) {
      const it = await swipeTo(page, label);
      assert.ok(it.y >= 0 && it.y + it.h <= 844, `${label} is wholly in the window (${it.y}..${it.y + it.h})`);
      await screenshot(page, `phone-390-wrapped-${label.replace(' ', '-').toLowerCase()}`);
      // The box's padding right of the text (5 px; the border and its soft inner edge, 2 px, left out):
      // text cut at the edge runs through it, and so would a scrollbar for lines out of sight below.
      const strip = await boxPixels(page, { ...rightEdge(it, 7, 5), width: 5 });
      const frame = strip.slice(0, 4);
      const ink = differingPixels(strip, Uint8ClampedArray.from({ length: strip.length }, (_, i) => frame[i % 4]), 8);
      assert.equal(ink, 0, `${ink} pixels of ${label}'s right padding are not its background: a line runs past the box or it scrolls`);
    }
  });
});
