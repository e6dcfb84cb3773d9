// Profiles through the real page: the first load (one "New Profile", this page's Redirect URL, the
// fields each grant type shows), a reload that keeps every profile with its State and last token,
// two profiles that do not leak into each other, unique Token Names, and the profile list (copy
// buttons that confirm, a list that widens and names long rows in full).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findItem, hasItem, click, settle, items, snapshot, screenshot, selectAll, unexpectedConsole,
} from './lib/browser.mjs';
import {
  useRig, ALLOWED, GRANT, selectedOf, selected, reveal, tap, type, choose, configure, endpointsOf, getToken,
  jwtPayload, assertTokenShown, importProfiles,
} from './lib/app.mjs';
import { USERS, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'profiles' });
const { withPage, withWidePage } = rig;
let server; let endpoints; let tmp;
rig.ready(() => { ({ server, tmp } = rig); endpoints = endpointsOf(rig.meta); });

// ---- tests --------------------------------------------------------------------------------------

test('first load: one profile "New Profile", the Redirect URL of this page, fields per grant type', T, async () => {
  await withPage(async (page) => {
    const snap = await snapshot(page);
    assert.equal(snap.profiles.length, 1);
    assert.equal(snap.selected, 'New Profile');
    assert.equal(snap.busy, false);
    assert.equal(snap.state, '');
    assert.equal(snap.token, null);
    const p = selectedOf(snap);
    assert.equal(p.redirectUrl, new URL('callback.html', server.url).href);
    for (const label of ['New', 'Duplicate', 'Delete', 'New Profile', 'Token Name', 'Grant Type', 'Client ID',
      'Client Secret', 'Scope(s)', 'Client Authentication', 'Access Token URL', 'State', 'Get Access Token']) {
      await reveal(page, label);
    }

    const labels = async () => new Set((await items(page)).map((it) => it.label));
    await choose(page, 'Grant Type', GRANT.authorization_code);
    assert.equal((await selected(page)).grantType, 'authorization_code');
    for (const label of ['Authorization URL', 'Redirect URL', 'Copy URL', 'Auth. URL Params']) await reveal(page, label);
    let shown = await labels();
    assert.ok(!shown.has('User Name') && !shown.has('Password'), 'no User Name / Password for Authorization Code');
    await screenshot(page, 'setup-start-authorization-code');

    await choose(page, 'Grant Type', GRANT.password);
    assert.equal((await selected(page)).grantType, 'password');
    for (const label of ['User Name', 'Password']) await reveal(page, label);
    shown = await labels();
    for (const label of ['Authorization URL', 'Redirect URL', 'Auth. URL Params']) assert.ok(!shown.has(label), `${label} hidden for Password Credentials`);
    await screenshot(page, 'setup-start-password');

    await choose(page, 'Grant Type', GRANT.client_credentials);
    assert.equal((await selected(page)).grantType, 'client_credentials');
    shown = await labels();
    for (const label of ['Authorization URL', 'Redirect URL', 'Auth. URL Params', 'User Name', 'Password']) {
      assert.ok(!shown.has(label), `${label} hidden for Client Credentials`);
    }
    await screenshot(page, 'setup-start-client-credentials');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a reload keeps every profile, its State and its last token', T, async () => {
  await withPage(async (page) => {
    await configure(page, {
      tokenName: 'Alice via password', grant: 'password', auth: 'header', clientId: 'basic-client',
      secret: CLIENTS['basic-client'].secret, scope: 'api:read', endpoints, username: 'alice', password: USERS.alice,
    });
    const connected = await getToken(page);
    await assertTokenShown(page, connected, { clientId: 'basic-client' });
    assert.ok(connected.token.refresh_token, 'the password grant gives a refresh token');

    await tap(page, 'New');
    const second = await selected(page);
    assert.notEqual(second.tokenName, 'Alice via password');
    await type(page, 'Token Name', 'Second profile');
    await type(page, 'Client ID', 'second-client');
    await type(page, 'Client Secret', 'second-secret');
    await settle(page);
    const before = await snapshot(page);

    await page.reload();
    await page.evaluate(() => window.oauthSetup.ready);
    await settle(page);
    const after = await snapshot(page);
    assert.deepEqual(after.profiles.map((p) => p.tokenName), before.profiles.map((p) => p.tokenName));
    assert.deepEqual(after.profiles, before.profiles, 'every field, State and token survive the reload');

    await tap(page, 'Alice via password');
    const back = await snapshot(page);
    assert.equal(back.selected, 'Alice via password');
    assert.equal(back.state, 'Connected');
    assert.equal(back.token.access_token, connected.token.access_token);
    assert.equal(back.token.refresh_token, connected.token.refresh_token);
    await reveal(page, 'Copy Token');
    await reveal(page, 'Refresh');
    await screenshot(page, 'setup-after-reload');

    await tap(page, 'Second profile');
    const other = await selected(page);
    assert.equal(other.clientId, 'second-client');
    assert.equal(other.clientSecret, 'second-secret');
    assert.equal(other.state, '');
    assert.equal(other.lastToken, null);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('two profiles do not leak into each other', T, async () => {
  await withPage(async (page) => {
    await configure(page, {
      tokenName: 'Service A', grant: 'client_credentials', auth: 'header', clientId: 'basic-client',
      secret: CLIENTS['basic-client'].secret, scope: 'api:read', endpoints,
    });
    const a = await getToken(page);
    await assertTokenShown(page, a, { clientId: 'basic-client' });

    await tap(page, 'New');
    const fresh = await snapshot(page);
    assert.equal(fresh.profiles.length, 2);
    assert.notEqual(fresh.selected, 'Service A');
    assert.equal(fresh.state, '', 'a new profile has no State');
    assert.equal(fresh.token, null, 'a new profile has no token');
    assert.equal(selectedOf(fresh).clientId, '', 'a new profile does not inherit the Client ID');
    assert.equal(selectedOf(fresh).clientSecret, '', 'a new profile does not inherit the secret');

    await configure(page, {
      tokenName: 'Service B', grant: 'client_credentials', auth: 'body', clientId: 'post-client',
      secret: CLIENTS['post-client'].secret, scope: 'api:read api:write', endpoints,
    });
    const b = await getToken(page);
    await assertTokenShown(page, b, { clientId: 'post-client' });
    assert.notEqual(b.token.access_token, a.token.access_token);
    await screenshot(page, 'setup-two-profiles');

    // Back to A, then B: each shows its own settings and token.
    await tap(page, 'Service A');
    let snap = await snapshot(page);
    assert.equal(snap.selected, 'Service A');
    let p = selectedOf(snap);
    assert.equal(p.clientId, 'basic-client');
    assert.equal(p.clientSecret, CLIENTS['basic-client'].secret);
    assert.equal(p.clientAuthentication, 'header');
    assert.equal(p.scopes, 'api:read');
    assert.equal(snap.state, 'Connected');
    assert.equal(snap.token.access_token, a.token.access_token);
    assert.equal(jwtPayload(snap.token.access_token).client_id, 'basic-client');

    await tap(page, 'Service B');
    snap = await snapshot(page);
    assert.equal(snap.selected, 'Service B');
    p = selectedOf(snap);
    assert.equal(p.clientId, 'post-client');
    assert.equal(p.clientSecret, CLIENTS['post-client'].secret);
    assert.equal(p.clientAuthentication, 'body');
    assert.equal(p.scopes, 'api:read api:write');
    assert.equal(snap.token.access_token, b.token.access_token);
    assert.equal(jwtPayload(snap.token.access_token).client_id, 'post-client');

    // Editing B's Client ID leaves A alone.
    await type(page, 'Client ID', 'edited-b');
    snap = await snapshot(page);
    assert.equal(snap.profiles.find((p) => p.tokenName === 'Service A').clientId, 'basic-client');
    assert.equal(snap.profiles.find((p) => p.tokenName === 'Service B').clientId, 'edited-b');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a duplicate Token Name (any letter case) is refused', T, async () => {
  await withPage(async (page) => {
    const lowerNames = (snap) => snap.profiles.map((p) => p.tokenName.toLowerCase());
    const assertUnique = (snap) => {
      const names = lowerNames(snap);
      assert.equal(new Set(names).size, names.length, `Token Names are unique: ${JSON.stringify(names)}`);
    };
    await type(page, 'Token Name', 'Alpha', { keys: true });
    assert.equal((await snapshot(page)).selected, 'Alpha');
    await tap(page, 'New');
    const second = (await snapshot(page)).selected;
    assert.notEqual(second, 'Alpha');

    // Pasting the other profile's name in another case: the profile keeps its name.
    await page.evaluate(() => navigator.clipboard.writeText('ALPHA'));
    await tap(page, 'Token Name');
    await selectAll(page);
    await page.keyboard.press('Control+v');
    await settle(page);
    let snap = await snapshot(page);
    assert.equal(snap.profiles.length, 2);
    assert.equal(snap.selected, second, 'the profile keeps its previous name');
    assert.deepEqual(snap.profiles.map((p) => p.tokenName).sort(), ['Alpha', second].sort());
    await screenshot(page, 'setup-duplicate-name');

    // Typing it letter by letter: whatever the profile is called, never "alpha" twice.
    await type(page, 'Token Name', 'alpha', { keys: true });
    snap = await snapshot(page);
    assertUnique(snap);
    assert.equal(snap.profiles.length, 2);
    assert.equal(snap.profiles.filter((p) => p.tokenName === 'Alpha').length, 1, 'the first profile is still "Alpha"');
    assert.notEqual(snap.selected.toLowerCase(), 'alpha');

    // A unique name is taken again once the field holds one.
    await type(page, 'Token Name', 'Beta');
    snap = await snapshot(page);
    assert.equal(snap.selected, 'Beta');
    assert.deepEqual(snap.profiles.map((p) => p.tokenName).sort(), ['Alpha', 'Beta']);

    await page.reload();
    await page.evaluate(() => window.oauthSetup.ready);
    await settle(page);
    snap = await snapshot(page);
    assertUnique(snap);
    assert.deepEqual(snap.profiles.map((p) => p.tokenName).sort(), ['Alpha', 'Beta']);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('copy buttons confirm what they copied; the profile list widens and names rows in full', T, async () => {
  await withWidePage(async (page, context) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    const long = 'A very long profile name for the orders service in production, region eu-west-1';
    await importProfiles(page, tmp, [rig.passwordProfile({ tokenName: long })]);
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
