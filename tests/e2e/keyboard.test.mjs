// Keyboard alone (issue 10): the first Tab focuses the first field, Tab and Shift+Tab visit every
// widget in reading order with the focus drawn, Enter/Space activate, Enter/Space/Alt+Down open a
// combo whose arrows choose and Enter confirms, Escape closes a popup and keeps typed text, Tab
// leaves a multi-line field, Ctrl+Enter runs Get Access Token; a whole Client Credentials grant
// against the real oidc-provider, without the mouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, items, snapshot, settle, unexpectedConsole } from './lib/browser.mjs';
import { focused, focusedItem, key, tabTo, retype, tabCycle, againstReadingOrder } from './lib/keyboard.mjs';
import { mirrorControls, expanded } from './lib/mirror.mjs';
import { boxPixels, differingPixels } from './lib/pixels.mjs';
import { waitFor, configure, getToken, assertConnected } from './lib/app.mjs';
import { startOidcServer, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 120000 };
// A whole Tab cycle there and back, 80 key presses each waited for: more time on a busy machine.
const LONG = { timeout: 300000 };
const ALLOWED = [/GPU stall due to ReadPixels/];

// Reading order of a fresh page's form (Authorization Code), from its first field to the end,
// then around to the profile list.
const FORM_ORDER = ['Token Name', 'Issuer / Discovery URL', 'Discover', 'Grant Type', 'Client ID',
  'Client Secret', 'Show secret', 'Redirect URL', 'Copy URL', 'Scope(s)', 'Resource', 'Audience', 'Client Authentication',
  'Authorization URL', 'Access Token URL', 'Revocation URL', 'Introspection URL', 'Auth. URL Params', 'Use PAR',
  // The number fields' "-"/"+" steppers are for the mouse and touch: Tab passes them by.
  'Use CORS relay', 'Auto-refresh', 'Use DPoP', 'Timeout (s)', 'Consent timeout (s)',
  'Get Access Token', 'Copy as cURL', 'Download Postman Collection', 'Include secrets in exports',
  'Setup check', 'New', 'Duplicate', 'Delete', 'New from Preset', 'New Profile', 'Export All', 'Import', 'With secrets',
  'Lock with Passphrase'];

let server; let browser; let oidc; let tokenUrl;

before(async () => {
  server = await startServer();
  [browser, oidc] = await Promise.all([launchBrowser(),
    startOidcServer({ port: 0, cors: 'allow', pageOrigins: [new URL(server.url).origin] })]);
  const meta = await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json();
  tokenUrl = meta.token_endpoint;
});
after(async () => {
  await browser?.close();
  await Promise.all([oidc?.close(), server?.close()]);
});

async function withPage(fn, viewport = { width: 1100, height: 800 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  try {
    const page = await openPage(browser, server.url, { context });
    await fn(page);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  } finally {
    await context.close();
  }
}

const selectedProfile = (snap) => snap.profiles.find((p) => p.tokenName === snap.selected);

test('Tab and Shift+Tab visit every widget in reading order, starting at the first field', T, async () => {
  await withPage(async (page) => {
    assert.equal(await focused(page), null, 'nothing has focus after load');
    await key(page, 'Tab');
    assert.equal(await focused(page), 'Token Name', 'the first Tab focuses the first field');
    const forward = ['Token Name'];
    for (let i = 1; i < FORM_ORDER.length; i += 1) {
      await key(page, 'Tab');
      forward.push(await focused(page));
    }
    assert.deepEqual(forward, FORM_ORDER);
    await key(page, 'Tab');
    assert.equal(await focused(page), 'Token Name', 'Tab wraps around to the first field');
    const backward = [];
    for (let i = 0; i < FORM_ORDER.length; i += 1) {
      await key(page, 'Shift+Tab');
      backward.push(await focused(page));
    }
    assert.deepEqual(backward, [...FORM_ORDER.slice(1).reverse(), 'Token Name'], 'Shift+Tab walks back the same way');
  });
});

test('the focus is drawn: a focused button looks different from the same button unfocused', T, async () => {
  await withPage(async (page) => {
    const box = (await items(page)).find((it) => it.label === 'Discover');
    const around = { x: box.x - 4, y: box.y - 4, width: box.w + 8, height: box.h + 8 };
    await page.mouse.move(5, 790); // away from every widget: no hover colour
    await settle(page);
    const before = await boxPixels(page, around);
    await tabTo(page, 'Discover');
    const after = await boxPixels(page, around);
    const changed = differingPixels(before, after);
    assert.ok(changed > 2 * (box.w + box.h), `the focus ring around Discover changed ${changed} pixels`);
  });
});

test('keyboard only: New, every field, both combos, a checkbox, Get Access Token (Enter and Ctrl+Enter) to Connected, the log reached', T, async () => {
  await withPage(async (page) => {
    // New: from the first field back to the profile list's New, then Enter.
    await key(page, 'Tab');
    await tabTo(page, 'New', { back: true });
    await key(page, 'Enter');
    let snap = await snapshot(page);
    assert.equal(snap.profiles.length, 2, 'Enter on New made a second profile');
    const fresh = snap.selected;

    await tabTo(page, 'Token Name');
    await retype(page, 'Keyboard Only');
    // Escape in a text field keeps what was typed and the focus.
    await key(page, 'Escape');
    assert.equal(await focused(page), 'Token Name');
    snap = await snapshot(page);
    assert.equal(snap.selected, 'Keyboard Only', 'Escape kept the typed Token Name');
    assert.notEqual(fresh, 'Keyboard Only');

    // Grant Type: Alt+Down opens, Escape closes without a change; Enter opens, arrows choose, Enter confirms.
    await tabTo(page, 'Grant Type');
    await key(page, 'Alt+ArrowDown');
    assert.ok((await items(page)).some((it) => it.label === 'Device Code' && it.visible), 'Alt+Down opened Grant Type');
    await key(page, 'Escape');
    assert.ok(!(await items(page)).some((it) => it.label === 'Device Code'), 'Escape closed the list');
    assert.equal(selectedProfile(await snapshot(page)).grantType, 'authorization_code');
    assert.equal(await focused(page), 'Grant Type', 'focus is back on the combo');
    await key(page, 'Enter');
    await key(page, 'ArrowDown');
    await key(page, 'ArrowDown');
    assert.equal(await focused(page), 'Client Credentials');
    await key(page, 'Enter');
    assert.equal(selectedProfile(await snapshot(page)).grantType, 'client_credentials');

    await tabTo(page, 'Client ID');
    await retype(page, 'post-client');
    await tabTo(page, 'Client Secret');
    await retype(page, CLIENTS['post-client'].secret);
    // Tab leaves the multi-line Scope(s) rather than typing a tab into it.
    await tabTo(page, 'Scope(s)');
    await retype(page, 'api:read');
    await key(page, 'Tab');
    assert.equal(await focused(page), 'Resource');
    // Resource is multi-line too, and Tab leaves it the same way.
    await key(page, 'Tab');
    assert.equal(await focused(page), 'Audience');
    await tabTo(page, 'Client Authentication');
    // Space opens the combo too.
    await key(page, ' ');
    await key(page, 'ArrowDown');
    assert.equal(await focused(page), 'Send client credentials in body');
    await key(page, 'Enter');
    await tabTo(page, 'Access Token URL');
    await retype(page, tokenUrl);
    // A checkbox: Space ticks it, Enter unticks it.
    await tabTo(page, 'Use CORS relay');
    await key(page, ' ');
    assert.equal(selectedProfile(await snapshot(page)).useRelay, true, 'Space ticked Use CORS relay');
    await key(page, 'Enter');
    assert.equal(selectedProfile(await snapshot(page)).useRelay, false, 'Enter unticked it');

    snap = await snapshot(page);
    const profile = selectedProfile(snap);
    assert.deepEqual({ tokenName: profile.tokenName, grantType: profile.grantType, clientId: profile.clientId,
      clientSecret: profile.clientSecret, scopes: profile.scopes, clientAuthentication: profile.clientAuthentication,
      accessTokenUrl: profile.accessTokenUrl },
    { tokenName: 'Keyboard Only', grantType: 'client_credentials', clientId: 'post-client',
      clientSecret: CLIENTS['post-client'].secret, scopes: 'api:read', clientAuthentication: 'body', accessTokenUrl: tokenUrl });

    await tabTo(page, 'Get Access Token');
    await key(page, 'Enter');
    snap = await waitFor(page, (s) => !s.busy && s.state !== '', 'the token');
    assert.equal(snap.state, 'Connected', `status: ${snap.status}`);
    const first = snap.token.access_token;
    assert.ok(first);

    // Ctrl+Enter from a field runs it again.
    await tabTo(page, 'Client ID', { back: true });
    await key(page, 'Control+Enter');
    snap = await waitFor(page, (s) => !s.busy && s.token && s.token.access_token !== first, 'a second token');
    assert.equal(snap.state, 'Connected');
    assert.equal(selectedProfile(snap).clientId, 'post-client', 'Ctrl+Enter typed nothing into the field');

    // Collapsing sections open with Enter; the log's entries are reached with Tab.
    await tabTo(page, 'Exchange log');
    await key(page, 'Enter');
    const entries = (await items(page)).filter((it) => /^#\d+ {2}/.test(it.label)).map((it) => it.label);
    assert.ok(entries.length >= 2, `log entries shown: ${entries.join(' | ')}`);
    await tabTo(page, entries[0]);
    assert.equal(await focused(page), entries[0], 'Tab reaches the log entries');
  });
});

// Reading order, as a sighted person reads the page: on a desktop the profile list is the left
// column and is read first, top to bottom, then the right column (the form, the token, the Exchange
// log and its entries); on a phone the one column from the top (the Profiles section, then the form).
// Within a line, left to right. Tab follows that order and wraps around from the last widget to the
// first; the first Tab after load starts at the form's first field (checked above).
async function connectedWithLogOpen(page) {
  await configure(page, { grant: 'client_credentials', clientId: 'post-client', secret: CLIENTS['post-client'].secret,
    scope: 'api:read', auth: 'body', endpoints: { token: tokenUrl } });
  assertConnected(await getToken(page));
  assertConnected(await getToken(page)); // two attempts: two entries in the log
  await key(page, 'Tab');
  await tabTo(page, 'Exchange log');
  await key(page, 'Enter');
  const entries = (await items(page)).filter((it) => /^#\d+ {2}/.test(it.label));
  assert.equal(entries.length, 2, `the log opened with Enter: ${entries.map((it) => it.label).join(' | ')}`);
  assert.ok(entries.every((it) => it.visible), 'the window is tall enough for every widget to show unscrolled');
  return entries.map((it) => it.label);
}

// `first` is the page's first widget in reading order, `last` its last: the one step of the cycle
// that goes back up is from `last` around to `first`.
async function assertTabCycleInReadingOrder(page, { first, last, columnOf }) {
  await tabTo(page, 'Token Name');
  const forward = await tabCycle(page);
  const labels = forward.map((it) => it.label);
  assert.deepEqual(againstReadingOrder(forward, columnOf), [`${last} -> ${first}`],
    `Tab goes against reading order only when it wraps around: ${labels.join(' | ')}`);
  // Every widget a person can act on (as the accessible mirror lists them) is a Tab stop, once.
  assert.deepEqual([...labels].sort(), [...(await mirrorControls(page))].sort());
  const backward = await tabCycle(page, { back: true });
  assert.deepEqual(backward.map((it) => it.label), [...labels.slice(0, -1).reverse(), 'Token Name'],
    'Shift+Tab walks the same cycle backwards');
  return labels;
}

test('Tab order is reading order on a desktop: the profile list (left), then the form, the token and the log entries', LONG, async () => {
  await withPage(async (page) => {
    const entries = await connectedWithLogOpen(page);
    const splitter = (await items(page)).find((it) => it.label === 'Resize profile list');
    const labels = await assertTabCycleInReadingOrder(page,
      { first: 'New', last: entries.at(-1), columnOf: (it) => (it.x < splitter.x ? 0 : 1) });
    console.log(`desktop Tab cycle (${labels.length} stops): ${labels.join(" | ")}`);
    for (const label of ['New', 'New Profile', 'Lock with Passphrase', 'Get Access Token', 'Exchange log', ...entries]) {
      assert.ok(labels.includes(label), `${label} is a Tab stop`);
    }
    assert.ok(labels.indexOf('Lock with Passphrase') > labels.indexOf('Exchange log'),
      'from Token Name, the list comes after the right column, before wrapping to its first field');
  }, { width: 1100, height: 2000 });
});

test('Tab order is reading order on a phone: the Profiles section above the form, then the form, the token and the log', LONG, async () => {
  await withPage(async (page) => {
    const entries = await connectedWithLogOpen(page);
    const labels = await assertTabCycleInReadingOrder(page, { first: 'Profiles', last: entries.at(-1) });
    console.log(`phone Tab cycle (${labels.length} stops): ${labels.join(" | ")}`);
    assert.equal(labels[labels.indexOf('Profiles') + 1], 'New', 'the Profiles section, then its first button');
  }, { width: 390, height: 3200 });
});

test('Enter or Space on an exchange-log entry opens and closes it, as a click does; focus stays on it', T, async () => {
  await withPage(async (page) => {
    const entries = await connectedWithLogOpen(page);
    const token = entries.find((label) => /^#1  Token request: HTTP 200 /.test(label));
    assert.ok(token, `the token request's entry in ${entries.join(' | ')}`);
    await tabTo(page, token);
    const copy = async () => (await items(page)).filter((it) => it.label === 'Copy request as cURL').length;
    assert.equal(await expanded(page, token), false);
    for (const [press, open] of [['Enter', true], ['Enter', false], [' ', true], [' ', false]]) {
      await key(page, press);
      assert.equal(await expanded(page, token), open, `${JSON.stringify(press)} ${open ? 'opened' : 'closed'} the entry`);
      assert.equal(await copy(), open ? 1 : 0, `its request ${open ? 'is' : 'is not'} shown`);
      assert.equal((await focusedItem(page))?.label, token, 'focus stays on the entry');
    }
  }, { width: 1100, height: 2000 });
});
