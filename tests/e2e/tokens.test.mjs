// A token over time through the real page: Refresh, Revoke and Introspect (active before, inactive
// after; a revoked refresh token removes Refresh), Auto-refresh shortly before expiry, and an imported
// profile without a token that is Default until a token comes and after it is revoked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasItem, settle, items, snapshot, screenshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, selected, reveal, tap, press, waitFor, getToken, logSettled, tool,
  assertConnected, importProfiles, shortenTokenLifetime,
} from './lib/app.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'tokens' });
const { withPage, withWidePage, seed, client } = rig;
let meta; let tmp;
rig.ready(() => { ({ meta, tmp } = rig); });

const ACTIVE = 'The token is active (RFC 7662 section 2.2).';
const NOT_ACTIVE = 'The token is not active: it is expired, revoked, unknown, or not visible to this client (RFC 7662 '
  + 'section 2.2).';
const REVOKED = 'The revocation endpoint answered HTTP 200: the token is revoked, or was already invalid (RFC 7009 '
  + 'section 2.2).';

// ---- tokens over time ---------------------------------------------------------------------------

test('Refresh gets a new access token with the refresh token', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'password'));
    const first = await getToken(page);
    assertConnected(first);
    assert.ok(first.token.refresh_token);
    await press(page, 'Refresh');
    const snap = await waitFor(page, (s) => !s.busy && s.log.some((e) => e.step === 'Refresh' && e.finished), 'the refresh');
    assertConnected(snap);
    assert.notEqual(snap.token.access_token, first.token.access_token, 'a new access token');
    assert.ok(snap.token.refresh_token, 'still a refresh token');
    assert.equal(snap.log.at(-1).step, 'Refresh');
    assert.equal(snap.log.at(-1).failed, false);
    assert.match(snap.log.at(-1).text, /grant_type=refresh_token/);
    // The diagram of the refresh attempt (its first box is labelled "Token exchange" today).
    assert.deepEqual(snap.flow.map((f) => f.state), ['ok', 'ok']);
    assert.equal(snap.flow.at(-1).label, 'Done');
    assert.equal(snap.status, `Connected: ${snap.token.token_type} token was issued, valid for ${snap.token.expires_in} s.`);
  });
});

test('Revoke and Introspect: active before, inactive after revocation; a revoked refresh token removes Refresh', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('post-client', 'password'));
    const first = await getToken(page);
    assertConnected(first);
    let n = first.log.length;

    await tap(page, 'Introspect');
    let snap = await logSettled(page, n + 1);
    assert.equal(snap.log.at(-1).step, 'Introspection');
    let info = JSON.parse(snap.introspection);
    assert.equal(info.active, true, snap.introspection);
    assert.equal(info.client_id, 'post-client');
    assert.equal(snap.status, ACTIVE);
    await reveal(page, 'Introspection result');
    await screenshot(page, 'beyond-introspection-active');

    await tap(page, 'Revoke');
    snap = await logSettled(page, n + 2);
    assert.equal(snap.log.at(-1).step, 'Revocation');
    assert.equal(snap.log.at(-1).failed, false);
    assert.equal(snap.status, REVOKED);

    await tap(page, 'Introspect');
    snap = await logSettled(page, n + 3);
    info = JSON.parse(snap.introspection);
    assert.equal(info.active, false, snap.introspection);
    assert.equal(snap.status, NOT_ACTIVE);
    await screenshot(page, 'beyond-introspection-inactive');

    // The refresh token: revoke it, and Refresh is no longer offered (issue 9). The access token
    // was revoked above, so State is Default, not Connected.
    assert.equal(snap.state, '');
    n = snap.log.length;
    await tap(page, 'Revoke Refresh Token');
    snap = await logSettled(page, n + 1);
    assert.equal(snap.log.at(-1).step, 'Revocation');
    assert.match(snap.log.at(-1).text, /token_type_hint=refresh_token/);
    assert.equal(snap.token.refresh_token, undefined);
    assert.equal(await hasItem(page, 'Refresh'), false);
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('Auto-refresh refreshes a token shortly before it expires', T, async () => {
  await withPage(async (page) => {
    await shortenTokenLifetime(page, meta.token_endpoint, 4);
    await seed(page, client('post-client', 'password'));
    await tap(page, 'Auto-refresh');
    assert.equal((await selected(page)).autoRefresh, true);
    const first = await getToken(page);
    assertConnected(first);
    assert.equal(first.token.expires_in, 4);
    const snap = await waitFor(page, (s) => s.log.some((e) => e.step === 'Refresh' && e.finished) && !s.busy,
      'an automatic refresh', { timeoutMs: 12000 });
    assertConnected(snap);
    assert.notEqual(snap.token.access_token, first.token.access_token, 'a new access token');
    assert.equal(snap.log.filter((e) => e.step === 'Token request').length, 1, 'refreshed, not a new grant');

    // Without the tick nothing happens on its own.
    await tap(page, 'Auto-refresh');
    assert.equal((await selected(page)).autoRefresh, false);
    const count = (await snapshot(page)).log.length;
    await page.waitForTimeout(5000);
    assert.equal((await snapshot(page)).log.length, count, 'no request once Auto-refresh is off');
  });
});

test('an imported profile without a token is Default; a revoke ends Connected, its countdown and Refresh', T, async () => {
  await withWidePage(async (page) => {
    // Exported as Connected, but the token was left out of the file.
    await importProfiles(page, tmp, [rig.passwordProfile({ state: 'Connected' })]);
    let snap = await snapshot(page);
    assert.equal(snap.state, '');
    assert.equal(snap.token, null);
    assert.ok(await hasItem(page, 'State'), 'the State badge is registered for items()');

    snap = await getToken(page);
    assert.equal(snap.state, 'Connected', snap.status);
    assert.ok(snap.stateAt > 0);
    assert.ok(snap.token.refresh_token, 'a refresh token');
    await reveal(page, 'Refresh');
    assert.ok(await hasItem(page, 'Refresh'));

    snap = await tool(page, 'Introspect');
    assert.equal(JSON.parse(snap.introspection).active, true);

    snap = await tool(page, 'Revoke');
    assert.equal(snap.status, REVOKED);
    assert.equal(snap.state, '', 'State returns to Default');
    assert.equal(snap.revoked, true);
    assert.equal(snap.introspection, '', 'the older introspection result is cleared');
    await reveal(page, 'Revoke Refresh Token');
    assert.equal(await hasItem(page, 'Revoke'), false, 'a revoked access token is not offered for revocation');
    // No countdown any more: the page stops drawing (it drew every second while the token counted down).
    await page.mouse.move(5, 5);
    await settle(page);
    const frames = await page.evaluate(() => window.oauthSetup.frames());
    await page.waitForTimeout(2200);
    assert.equal(await page.evaluate(() => window.oauthSetup.frames()), frames, 'no frame drawn while idle');
    await screenshot(page, 'stale-revoked');

    snap = await tool(page, 'Revoke Refresh Token');
    assert.equal(snap.token.refresh_token, undefined);
    await reveal(page, 'Introspect');
    assert.ok(await hasItem(page, 'Introspect'), 'the token panel is in view');
    assert.equal(await hasItem(page, 'Refresh'), false, 'Refresh is gone with the refresh token');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});
