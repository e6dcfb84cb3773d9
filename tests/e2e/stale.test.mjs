// Nothing stale, nothing misleading (issue 9) through the real page, against the demo
// oidc-provider on loopback: an import without a token is Default, a revoke ends Connected, a
// "Not sent" replaces the older error and flow, copies confirm, and the profile list widens and
// names a long profile in full.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, launchBrowser, openPage, settle, snapshot, items, findItem, hasItem, click, selectAll, screenshot,
  unexpectedConsole,
} from './lib/browser.mjs';
import { startOidcServer, USERS, CLIENTS } from './oidc/server.mjs';

const T = { timeout: 90000 };
const ALLOWED = [/GPU stall due to ReadPixels/, /Failed to load resource/];
let server; let browser; let oidc; let tmp; let meta;

before(async () => {
  server = await startServer();
  [browser, oidc] = await Promise.all([launchBrowser(),
    startOidcServer({ port: 0, cors: 'allow', pageOrigins: [new URL(server.url).origin] })]);
  meta = await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oauth-setup-stale-'));
});
after(async () => {
  await browser?.close();
  await Promise.all([oidc?.close(), server?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function withPage(fn) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await openPage(browser, server.url, { context });
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

async function waitFor(page, predicate, what, timeoutMs = 15000) {
  const start = Date.now();
  for (;;) {
    const snap = await snapshot(page);
    if (predicate(snap)) return snap;
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}: status="${snap.status}"`);
    await page.waitForTimeout(100);
  }
}

async function type(page, label, text) {
  await click(page, label);
  await selectAll(page);
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
  await settle(page);
}

/** Imports an oauth-setup export holding `profiles` (as a person does), then selects the first. */
async function importProfiles(page, profiles) {
  const file = path.join(tmp, `import-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ format: 'oauth-setup-profiles', version: 1, profiles }));
  const chooser = page.waitForEvent('filechooser', { timeout: 10000 });
  await click(page, 'Import');
  await (await chooser).setFiles(file);
  await waitFor(page, (s) => profiles.every((p) => s.profiles.some((q) => q.tokenName === p.tokenName)), 'the import');
  await click(page, profiles[0].tokenName);
  return snapshot(page);
}

function passwordProfile(extra = {}) {
  return {
    tokenName: 'Orders (password)', grantType: 'password', clientId: 'post-client',
    clientSecret: CLIENTS['post-client'].secret, clientAuthentication: 'body', scopes: 'openid offline_access api:read',
    accessTokenUrl: meta.token_endpoint, revocationUrl: meta.revocation_endpoint,
    introspectionUrl: meta.introspection_endpoint, username: 'alice', password: USERS.alice,
    redirectUrl: new URL('callback.html', server.url).href, ...extra,
  };
}

/** Get Access Token for a grant without a browser step; resolves when this attempt's request ended. */
async function getToken(page) {
  const before = (await snapshot(page)).log.length;
  const it = await findItem(page, 'Get Access Token');
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  const snap = await waitFor(page, (s) => s.log.length > before && s.log.at(-1).finished && !s.busy, 'the token request');
  await settle(page);
  return snapshot(page);
}

/** Scrolls the form with the mouse wheel until `label` is drawn (a clipped button has no caption). */
async function reveal(page, label) {
  for (let i = 0; i < 12; i += 1) {
    if (await hasItem(page, label)) return;
    await page.mouse.move(800, 450);
    await page.mouse.wheel(0, i < 6 ? 300 : -300);
    await settle(page, { quietMs: 80 });
  }
}

async function tool(page, label) {
  const before = (await snapshot(page)).log.length;
  await reveal(page, label);
  await click(page, label);
  await waitFor(page, (s) => s.log.length > before && s.log.at(-1).finished, `${label} to end`);
  await settle(page);
  return snapshot(page);
}

test('an imported profile without a token is Default; a revoke ends Connected, its countdown and Refresh', T, async () => {
  await withPage(async (page) => {
    // Exported as Connected, but the token was left out of the file.
    let snap = await importProfiles(page, [passwordProfile({ state: 'Connected' })]);
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
    assert.equal(snap.status, 'The revocation endpoint answered HTTP 200: the token is revoked, or was already '
      + 'invalid (RFC 7009 section 2.2).');
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

test('a Not sent replaces the older error and flow; the error is shown once', T, async () => {
  await withPage(async (page) => {
    await importProfiles(page, [passwordProfile({ tokenName: 'Wrong secret', clientSecret: 'not-the-secret' })]);
    let snap = await getToken(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.outcome, snap.error);
    assert.ok(snap.flow.length > 0, 'the failed attempt draws its flow');
    await type(page, 'Access Token URL', '');
    await click(page, 'Get Access Token');
    snap = await snapshot(page);
    assert.equal(snap.status, 'Not sent: Access Token URL is required.');
    assert.equal(snap.outcome, 'Not sent: Access Token URL is required.');
    assert.deepEqual(snap.flow, [], 'the older flow is not shown as this attempt\'s');
    assert.equal(snap.state, 'Error', 'State keeps its value: nothing new was decided');
    await screenshot(page, 'stale-not-sent');
  });
});

test('copy buttons confirm what they copied; the profile list widens and names rows in full', T, async () => {
  await withPage(async (page, context) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    const long = 'A very long profile name for the orders service in production, region eu-west-1';
    await importProfiles(page, [passwordProfile({ tokenName: long })]);
    let snap = await getToken(page);
    assert.equal(snap.state, 'Connected', snap.status);
    await click(page, 'Copy Token');
    snap = await snapshot(page);
    assert.equal(snap.status, 'Copied the access token itself (not masked): paste it only where it belongs.');
    assert.equal(snap.copied, 'Copy Token');
    assert.ok(await hasItem(page, 'Copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snap.token.access_token);
    await click(page, 'Copy as cURL');
    snap = await snapshot(page);
    assert.equal(snap.status, 'The token request was copied as a cURL command (secrets masked).');
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /client_secret=\*{8}/);

    // Hovering a row shows its full name; dragging the bar between list and form widens the list.
    const row = await findItem(page, long);
    await page.mouse.move(row.x + 20, row.y + row.h / 2);
    await settle(page);
    const tooltip = (await items(page)).find((it) => it.label === long && it.window !== row.window);
    assert.ok(tooltip, 'a tooltip names the whole profile');
    const bar = await findItem(page, 'Resize profile list');
    await page.mouse.move(bar.x + bar.w / 2, bar.y + 100);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.w / 2 + 150, bar.y + 100, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    const wider = await findItem(page, long);
    assert.ok(wider.w >= row.w + 140, `the row widened from ${row.w} to ${wider.w}`);
    await screenshot(page, 'stale-wide-list');
  });
});
