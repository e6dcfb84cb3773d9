// The accessible mirror (web/host/mirror.js): a visually hidden form of real elements that mirrors
// the canvas's widgets for screen readers and password managers. A person completes a grant
// through it alone (Playwright's role and label locators, the keyboard); Chromium's accessibility
// tree names each field by its caption with its role and value, secrets excepted; State is
// announced in a polite live region; a password manager finds User Name and Password by their
// autocomplete tokens and never Client Secret; and the mirror changes only when the frame does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, snapshot, items, unexpectedConsole } from './lib/browser.mjs';
import { useRig, ALLOWED, GRANT, AUTH, KEY, selected, selectedOf, waitFor, seedStorage, fullProfile } from './lib/app.mjs';
import {
  mirrorOf, field, button, pressButton, fillField, chooseOption, liveLines, stateLine, axTree, axNode, mirrorMutations,
  mirrorControls,
} from './lib/mirror.mjs';
import { completeLogin } from './lib/consent.mjs';
import { USERS, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 90000 };
const rig = useRig({ name: 'mirror' });
const { withPage } = rig;

const connected = (before) => (s) => !s.busy && s.state === 'Connected' && s.log.length > before;

/** Sets up the selected profile through the mirror: the grant first, then each [caption, key, text]. */
async function setUp(page, grant, fields) {
  await chooseOption(page, 'Grant Type', GRANT[grant], 'grantType', grant);
  for (const [caption, key, text] of fields) await fillField(page, caption, key, text);
}

test('through the mirror alone: New, every field, Grant Type, Client Authentication, Get Access Token to State Connected, announced', T, async () => {
  await withPage(async (page) => {
    await pressButton(page, 'New');
    await waitFor(page, (s) => s.profiles.length === 2, 'a second profile');
    await fillField(page, 'Token Name', 'tokenName', 'Orders via the mirror');
    assert.equal((await snapshot(page)).selected, 'Orders via the mirror');
    // The renamed profile's row follows (its ImGui id comes from its caption, so it changed).
    const rows = mirrorOf(page).getByRole('list', { name: 'Profiles' }).getByRole('button');
    assert.deepEqual(await rows.allTextContents(), ['New Profile', 'Orders via the mirror']);
    assert.equal(await rows.nth(1).getAttribute('aria-current'), 'true');
    await chooseOption(page, 'Grant Type', GRANT.client_credentials, 'grantType', 'client_credentials');
    await fillField(page, 'Client ID', 'clientId', 'post-client');
    await fillField(page, 'Client Secret', 'clientSecret', CLIENTS['post-client'].secret);
    await fillField(page, 'Scope(s)', 'scopes', 'api:read');
    await chooseOption(page, 'Client Authentication', AUTH.body, 'clientAuthentication', 'body');
    await fillField(page, 'Access Token URL', 'accessTokenUrl', rig.meta.token_endpoint);
    // The mirror shows what the fields now hold.
    assert.equal(await field(page, 'Client ID').inputValue(), 'post-client');
    assert.equal(await field(page, 'Grant Type').inputValue(), GRANT.client_credentials);
    assert.equal(await field(page, 'Client Authentication').inputValue(), AUTH.body);

    const before = (await snapshot(page)).log.length;
    await button(page, 'Get Access Token').press('Enter');
    const snap = await waitFor(page, connected(before), 'State "Connected"');
    await settle(page);
    assert.equal(snap.error, '');
    assert.equal(selectedOf(snap).clientAuthentication, 'body');
    assert.ok(snap.token.access_token, 'an access token');
    // Announced: the live region holds the State and the status sentence, as the canvas shows them.
    const final = await snapshot(page);
    assert.deepEqual(await liveLines(page), [stateLine(final), final.status]);
    assert.equal(await mirrorOf(page).locator('[aria-live="polite"]').getAttribute('role'), 'status');
    // The token panel's sections are headings with a button that opens and closes them.
    const raw = mirrorOf(page).getByRole('heading', { name: 'Raw response' }).getByRole('button');
    assert.equal(await raw.getAttribute('aria-expanded'), 'false');
    await raw.press('Enter');
    await settle(page);
    assert.equal(await raw.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('through the mirror alone: Authorization Code (consent popup) and Device Code (the user code read from the mirror)', T, async () => {
  await withPage(async (page, context) => {
    await setUp(page, 'authorization_code', [
      ['Client ID', 'clientId', 'basic-client'], ['Client Secret', 'clientSecret', CLIENTS['basic-client'].secret],
      ['Scope(s)', 'scopes', 'openid api:read'], ['Issuer / Discovery URL', 'discoveryUrl', rig.meta.issuer],
      ['Authorization URL', 'authorizationUrl', rig.meta.authorization_endpoint],
      ['Access Token URL', 'accessTokenUrl', rig.meta.token_endpoint],
    ]);
    const popup = page.waitForEvent('popup', { timeout: 10000 });
    await button(page, 'Get Access Token').press('Enter');
    await completeLogin(await popup, { username: 'alice' });
    let snap = await waitFor(page, connected(0), 'State "Connected" after consent');
    assert.ok(snap.token.id_token, 'an ID token');
    await settle(page);
    assert.deepEqual(await liveLines(page), [stateLine(await snapshot(page)), (await snapshot(page)).status]);

    await pressButton(page, 'New');
    await setUp(page, 'device_code', [
      ['Client ID', 'clientId', 'basic-client'], ['Client Secret', 'clientSecret', CLIENTS['basic-client'].secret],
      ['Scope(s)', 'scopes', 'openid api:read'],
      ['Device Authorization URL', 'deviceAuthorizationUrl', rig.meta.device_authorization_endpoint],
      ['Access Token URL', 'accessTokenUrl', rig.meta.token_endpoint],
    ]);
    await button(page, 'Get Access Token').press('Enter');
    snap = await waitFor(page, (s) => s.device, 'the user code');
    await settle(page);
    const userCode = await field(page, 'User Code').inputValue();
    assert.equal(userCode, snap.device.userCode, 'the mirror shows the user code');
    assert.equal(await field(page, 'User Code').getAttribute('readonly'), '');
    const second = await context.newPage();
    await second.goto(snap.device.verificationUri);
    await completeLogin(second, { userCode, username: 'carol' });
    snap = await waitFor(page, (s) => !s.busy && s.state === 'Connected', 'State "Connected" after approval');
    assert.equal(snap.device, null);
  });
});

test('Chromium\'s accessibility tree: each field named by its caption, with its role and value; no secret in it', T, async () => {
  await withPage(async (page) => {
    await rig.seed(page, rig.client('basic-client', 'password', { tokenName: 'Password grant' }));
    await settle(page);
    const tree = await axTree(page);
    const fields = [
      ['textbox', 'Token Name', 'Password grant'],
      ['textbox', 'Issuer / Discovery URL', ''],
      ['combobox', 'Grant Type', GRANT.password],
      ['textbox', 'Client ID', 'basic-client'],
      ['textbox', 'User Name', 'alice'],
      ['textbox', 'Scope(s)', 'api:read'],
      ['combobox', 'Client Authentication', AUTH.header],
      ['textbox', 'Access Token URL', rig.meta.token_endpoint],
      ['textbox', 'Revocation URL', rig.meta.revocation_endpoint],
      ['textbox', 'Introspection URL', rig.meta.introspection_endpoint],
      ['textbox', 'Timeout (s)', '30'],
    ];
    for (const [role, name, value] of fields) {
      const node = axNode(tree, role, name);
      assert.equal(node.value ?? '', value, `${name}: value`);
    }
    assert.equal(axNode(tree, 'textbox', 'Scope(s)').multiline, true);
    // Masked fields are password inputs whose value never comes from the page.
    for (const name of ['Client Secret', 'Password']) {
      const node = axNode(tree, 'textbox', name);
      assert.equal(node.value ?? '', '', `${name} shows no value`);
    }
    const text = JSON.stringify(tree);
    for (const secret of [CLIENTS['basic-client'].secret, USERS.alice]) {
      assert.equal(text.includes(secret), false, 'no secret anywhere in the accessibility tree');
    }
    assert.equal(axNode(tree, 'checkbox', 'Use CORS relay').checked, 'false');
    assert.equal(axNode(tree, 'checkbox', 'Show secret').checked, 'false');
    axNode(tree, 'button', 'Get Access Token');
    for (const heading of ['OAuth Setup', 'Profiles', 'Setup']) axNode(tree, 'heading', heading);
    // The profile list is a list; the selected profile is marked current.
    const list = axNode(tree, 'list', 'Profiles');
    assert.ok(list, 'a list of the profiles');
    const rows = await mirrorOf(page).getByRole('list', { name: 'Profiles' }).getByRole('button').allTextContents();
    assert.deepEqual(rows, ['New Profile', 'Password grant']);
    assert.equal(await mirrorOf(page).getByRole('button', { name: 'Password grant' }).getAttribute('aria-current'), 'true');
    assert.equal(await mirrorOf(page).getByRole('button', { name: 'New Profile' }).getAttribute('aria-current'), null);
    axNode(tree, 'status', '');
  });
});

test('password managers fill User Name and Password by their autocomplete tokens; Client Secret is never offered', T, async () => {
  await withPage(async (page) => {
    await rig.seed(page, rig.client('post-client', 'password', { tokenName: 'Filled by a manager', username: '', password: '' }));
    await settle(page);
    assert.equal(await field(page, 'User Name').getAttribute('autocomplete'), 'username');
    assert.equal(await field(page, 'Password').getAttribute('type'), 'password');
    assert.equal(await field(page, 'Password').getAttribute('autocomplete'), 'current-password');
    const secret = field(page, 'Client Secret');
    assert.equal(await secret.getAttribute('type'), 'password');
    assert.equal(await secret.getAttribute('autocomplete'), 'off');
    assert.equal(await secret.getAttribute('data-lpignore'), 'true');
    assert.equal(await secret.inputValue(), '', 'the stored secret is not in the page');
    const tokens = await mirrorOf(page).locator('input:not([type=checkbox])')
      .evaluateAll((els) => els.map((el) => el.autocomplete).filter((a) => a !== 'off'));
    assert.deepEqual(tokens, ['username', 'current-password'], 'only these two are offered for autofill');

    // A manager finds the two fields by their tokens, sets their values and fires input and change.
    await page.evaluate(({ user, password }) => {
      for (const [token, value] of [['username', user], ['current-password', password]]) {
        const el = document.querySelector(`#accessible-mirror input[autocomplete="${token}"]`);
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }, { user: 'alice', password: USERS.alice });
    await waitFor(page, (s) => selectedOf(s).username === 'alice' && selectedOf(s).password === USERS.alice, 'the filled user name and password');
    const before = (await snapshot(page)).log.length;
    await button(page, 'Get Access Token').press('Enter');
    const snap = await waitFor(page, connected(before), 'State "Connected" with the filled password');
    assert.equal(snap.error, '');
  });
});

test('focusing a mirror element focuses the same widget; a checkbox ticks through it; Ctrl+Enter runs the grant', T, async () => {
  await withPage(async (page) => {
    await field(page, 'Client ID').focus();
    await settle(page);
    assert.equal((await items(page)).find((it) => it.focused)?.label, 'Client ID');
    await field(page, 'Use CORS relay').press('Space');
    await waitFor(page, (s) => selectedOf(s).useRelay === true, 'Use CORS relay ticked');
    await settle(page);
    assert.equal(await field(page, 'Use CORS relay').isChecked(), true);
    assert.equal((await items(page)).find((it) => it.focused)?.label, 'Use CORS relay');
    // Ctrl+Enter in a mirror field runs Get Access Token, as on the canvas: nothing is filled in.
    await field(page, 'Client ID').press('Control+Enter');
    await waitFor(page, (s) => s.status.startsWith('Not sent:'), 'the "Not sent" sentence');
  });
});

test('the mirror changes only with the frame: nothing on an idle page or a mouse move, one value on a keystroke', T, async () => {
  await withPage(async (page) => {
    const idle = await mirrorMutations(page, async () => {
      const f0 = await page.evaluate(() => window.oauthSetup.frames());
      await page.waitForTimeout(1500);
      assert.equal(await page.evaluate(() => window.oauthSetup.frames()), f0, 'no frame on an idle page');
    });
    assert.deepEqual(idle, { added: 0, removed: 0, other: 0 });
    const hover = await mirrorMutations(page, async () => {
      for (let i = 0; i < 10; i += 1) await page.mouse.move(500 + i * 20, 200 + i * 15);
      await settle(page);
    });
    assert.deepEqual(hover, { added: 0, removed: 0, other: 0 }, 'hovering changes nothing in the mirror');
    // Typing on the canvas: the mirror's Client ID follows, without rebuilding anything.
    const typed = await mirrorMutations(page, async () => {
      const it = (await items(page)).find((x) => x.label === 'Client ID');
      await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
      await page.keyboard.insertText('abc');
      await waitFor(page, (s) => selectedOf(s).clientId === 'abc', 'Client ID "abc"');
      await settle(page);
    });
    assert.equal(await field(page, 'Client ID').inputValue(), 'abc');
    assert.deepEqual({ added: typed.added, removed: typed.removed }, { added: 0, removed: 0 });
  });
});

test('1,000 profiles: every row in the mirror\'s list, one selected through it, no rebuild', T, async () => {
  await withPage(async (page) => {
    const profiles = Array.from({ length: 1000 }, (_, i) => ({
      ...fullProfile(rig.redirectUrl(), { accessTokenUrl: rig.meta.token_endpoint }),
      tokenName: `Profile ${String(i).padStart(4, '0')}`, clientId: `client-${i}`, state: '', lastError: '',
    }));
    await seedStorage(page, { [KEY.profiles]: JSON.stringify({ version: 1, profiles }) });
    await settle(page);
    const list = mirrorOf(page).getByRole('list', { name: 'Profiles' });
    assert.equal(await list.getByRole('listitem').count(), 1000);
    const changes = await mirrorMutations(page, async () => {
      await list.getByRole('button', { name: 'Profile 0777', exact: true }).press('Enter');
      await waitFor(page, (s) => s.selected === 'Profile 0777', 'Profile 0777 selected');
      await settle(page);
    });
    assert.equal((await selected(page)).clientId, 'client-777');
    assert.equal(await field(page, 'Client ID').inputValue(), 'client-777');
    assert.equal(await list.getByRole('button', { name: 'Profile 0777', exact: true }).getAttribute('aria-current'), 'true');
    assert.equal(changes.added, 0, 'no element created when another profile is selected');
    assert.equal(changes.removed, 0, `no element removed: ${await page.evaluate(() => JSON.stringify(window.mirrorRemoved))}`);
  });
});

// A fresh page's widgets (Authorization Code, the grant with the most fields), as the mirror names them.
const FORM_WIDGETS = ['Token Name', 'Issuer / Discovery URL', 'Discover', 'Grant Type', 'Client ID', 'Client Secret',
  'Show secret', 'Redirect URL', 'Copy URL', 'Scope(s)', 'Resource', 'Audience', 'Client Authentication',
  'Authorization URL',
  'Access Token URL', 'Revocation URL', 'Introspection URL', 'Auth. URL Params', 'Use PAR', 'Use CORS relay', 'Auto-refresh', 'Use DPoP',
  'Timeout (s)', 'Consent timeout (s)', 'Get Access Token', 'Copy as cURL', 'Download Postman Collection',
  'Include secrets in exports', 'Setup check'];
const LIST_WIDGETS = ['New', 'Duplicate', 'Delete', 'New from Preset', 'New Profile', 'Export All', 'Import',
  'With secrets', 'Lock with Passphrase'];

test('every widget is in the mirror from the start, also those below the fold never scrolled to', T, async () => {
  for (const [viewport, extra] of [[{ width: 1100, height: 420 }, []], [{ width: 390, height: 844 }, ['Profiles']]]) {
    await withPage(async (page) => {
      const shown = await items(page);
      const hidden = FORM_WIDGETS.filter((label) => shown.some((it) => it.label === label && !it.visible));
      assert.ok(hidden.includes('Download Postman Collection') && hidden.includes('Consent timeout (s)'),
        `at ${viewport.width} x ${viewport.height} the form's end is out of sight: ${hidden.join(' | ')}`);
      console.log(`${viewport.width} x ${viewport.height}: ${hidden.length} of ${FORM_WIDGETS.length} form widgets out of sight, all in the mirror`);
      assert.deepEqual([...(await mirrorControls(page))].sort(), [...FORM_WIDGETS, ...LIST_WIDGETS, ...extra].sort());
      const tree = await axTree(page);
      for (const name of ['Get Access Token', 'Copy as cURL', 'Download Postman Collection']) axNode(tree, 'button', name);
      assert.equal(axNode(tree, 'checkbox', 'Include secrets in exports').checked, 'false');
      assert.equal(axNode(tree, 'textbox', 'Consent timeout (s)').value, '300');
      // Reached through the mirror, the widget below the fold is pressed as any other.
      await pressButton(page, 'Copy as cURL');
      const snap = await waitFor(page, (s) => s.status !== '', 'the status after Copy as cURL');
      assert.equal(snap.status, 'The token request was copied as a cURL command (secrets masked).');
    }, { viewport });
  }
});
