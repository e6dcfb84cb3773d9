// Provider presets through the real page: each preset fills its endpoints and the parameters its
// provider needs, a placeholder left in (the Entra {tenant}, the Cognito {domain}) is flagged and
// nothing is sent, the Entra preset asks for {tenant} once and fills it everywhere, a loopback server
// that answers like Entra turns its AADSTS error bodies into the fix, Cognito's three placeholders,
// and the "Local demo server" preset against the demo server on port 9400.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { settle, snapshot, findItem, hasItem, click, screenshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED as ALLOWED_PROBE, selectedOf, reveal, tap, type, waitFor, getTokenWithConsent, assertConnected,
} from './lib/app.mjs';
import { startOidcServer, CLIENTS } from '../../demo/server.mjs';
import { startEntraServer, WEB_SECRET_ID, WEB_SECRET_VALUE } from './fixtures/entra_server.mjs';

const T = { timeout: 90000 };
const ALLOWED = [/GPU stall due to ReadPixels/, /Failed to load resource/];
const TENANT = 'contoso.onmicrosoft.com';
const rig = useRig({ name: 'presets', oidc: false });
const { withPage, withWidePage } = rig;
let server; let entra;
rig.ready(async () => {
  ({ server } = rig);
  entra = await startEntraServer({ redirectUris: [rig.redirectUrl()], pageOrigin: new URL(server.url).origin });
});
after(async () => { await entra?.close(); });

/** Get Access Token through the popup; resolves when the attempt ended. */
async function getTokenWithPopup(page) {
  const popup = page.waitForEvent('popup', { timeout: 10000 });
  const it = await findItem(page, 'Get Access Token');
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  await popup;
  const snap = await waitFor(page, (s) => !s.busy && (s.state === 'Connected' || s.state === 'Error'), 'the end of the attempt');
  await settle(page);
  return snap;
}

const FIX_7000215 = "Fix (AADSTS7000215): put the client secret's Value (shown once, when it is created) in Client "
  + 'Secret, not its Secret ID; create a new secret under Certificates & secrets if the Value is lost.';
const FIX_9002326 = 'Fix (AADSTS9002326): register the Redirect URL under the "Single-page application" platform '
  + '(Authentication > Add a platform), not "Web": only then may a browser redeem the code.';

test('Entra preset: {tenant} asked once, filled everywhere, then AADSTS errors carry their fix, then a token', T, async () => {
  await withWidePage(async (page) => {
    await click(page, 'New from Preset');
    await click(page, 'Microsoft Entra ID (v2.0)');
    let snap = await snapshot(page);
    assert.deepEqual(snap.placeholders, ['tenant']);
    assert.ok(await hasItem(page, 'tenant'), 'the placeholder form asks for "tenant"');
    assert.ok(await hasItem(page, 'Apply'));
    await type(page, 'Client ID', 'web-client');

    // Nothing is sent while {tenant} is left: Get Access Token names it, and counts only the
    // marks of the fields Authorization Code uses (the Device Authorization URL is hidden).
    await click(page, 'Get Access Token');
    snap = await snapshot(page);
    assert.equal(snap.status, 'Not sent: Replace {tenant} in the Authorization URL with your value. '
      + '(and 1 more, marked above)');
    assert.equal(snap.outcome, snap.status);
    assert.equal(snap.log.length, 0);
    await click(page, 'Discover');
    snap = await snapshot(page);
    assert.equal(snap.status, 'Not sent: Replace {tenant} in the Issuer / discovery URL with your value.');
    assert.equal(snap.log.length, 0);
    await screenshot(page, 'presets-entra-placeholder');

    // Apply with nothing typed says what is missing; a slash is refused; the tenant fills 4 URLs.
    await click(page, 'Apply');
    assert.deepEqual((await snapshot(page)).placeholders, ['tenant']);
    await type(page, 'tenant', TENANT);
    await click(page, 'Apply');
    snap = await snapshot(page);
    assert.equal(snap.status, `Filled {tenant} = ${TENANT} in 4 URLs.`);
    assert.deepEqual(snap.placeholders, []);
    assert.equal(await hasItem(page, 'Apply'), false, 'the form is gone once every placeholder is filled');
    let p = selectedOf(snap);
    assert.equal(p.authorizationUrl, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(p.accessTokenUrl, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    assert.equal(p.deviceAuthorizationUrl, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/devicecode`);
    assert.equal(p.discoveryUrl, `https://login.microsoftonline.com/${TENANT}/v2.0`);

    // The same paths on the loopback Entra.
    await type(page, 'Authorization URL', p.authorizationUrl.replace('https://login.microsoftonline.com', entra.origin));
    await type(page, 'Access Token URL', p.accessTokenUrl.replace('https://login.microsoftonline.com', entra.origin));

    // 1. The secret's ID instead of its Value: AADSTS7000215 and its fix, once.
    await type(page, 'Client Secret', WEB_SECRET_ID);
    snap = await getTokenWithPopup(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.status, `Microsoft Entra ID answered invalid_client (AADSTS7000215): Invalid client secret provided. ${FIX_7000215}`);
    assert.equal(snap.outcome, snap.status, 'the error is the one outcome sentence');
    assert.equal(snap.error, snap.status);
    assert.equal(entra.tokenRequests.at(-1).client_secret, WEB_SECRET_ID);
    assert.ok(snap.stateAt > 0, 'the State badge carries the time of the outcome');
    await screenshot(page, 'presets-entra-7000215');

    // 2. The Value, but a "Web" platform redeemed from the browser: AADSTS9002326.
    await type(page, 'Client Secret', WEB_SECRET_VALUE);
    snap = await getTokenWithPopup(page);
    assert.equal(snap.state, 'Error');
    assert.ok(snap.status.endsWith(` ${FIX_9002326}`), snap.status);

    // 3. As the guidance says: a Single-page application client, no secret, PKCE.
    await type(page, 'Client ID', 'spa-client');
    await type(page, 'Client Secret', '');
    snap = await getTokenWithPopup(page);
    assert.equal(snap.state, 'Connected', snap.status);
    assert.equal(snap.outcome, 'Connected: Bearer token was issued, valid for 3599 s.');
    p = selectedOf(snap);
    assert.equal(entra.tokenRequests.at(-1).client_id, 'spa-client');
    assert.equal(entra.tokenRequests.at(-1).client_secret, undefined);
    await screenshot(page, 'presets-entra-connected');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('Cognito preset: three placeholders, each asked once, fill the Discovery URL too', T, async () => {
  await withWidePage(async (page) => {
    await click(page, 'New from Preset');
    await click(page, 'Amazon Cognito');
    assert.deepEqual((await snapshot(page)).placeholders, ['domain', 'region', 'userPoolId']);
    await type(page, 'domain', 'my-app');
    await type(page, 'region', 'eu-west-1');
    await type(page, 'userPoolId', 'eu-west-1_AbC123');
    await click(page, 'Apply');
    const snap = await snapshot(page);
    assert.equal(snap.status, 'Filled {domain} = my-app, {region} = eu-west-1, {userPoolId} = eu-west-1_AbC123 in 4 URLs.');
    const p = selectedOf(snap);
    assert.equal(p.accessTokenUrl, 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/token');
    assert.equal(p.revocationUrl, 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/revoke');
    assert.equal(p.discoveryUrl, 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123');
    assert.deepEqual(snap.placeholders, []);
  });
});

// ---- every preset --------------------------------------------------------------------------------

// ---- presets ------------------------------------------------------------------------------------

const PRESETS = [
  {
    name: 'Microsoft Entra ID (v2.0)', id: 'entra',
    authorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
    accessTokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
    deviceAuthorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode',
    revocationUrl: '', introspectionUrl: '',
    discoveryUrl: 'https://login.microsoftonline.com/{tenant}/v2.0',
    scopes: /\boffline_access\b/, authUrlParams: '', clientAuthentication: 'body',
  },
  {
    name: 'Google', id: 'google',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    accessTokenUrl: 'https://oauth2.googleapis.com/token',
    deviceAuthorizationUrl: 'https://oauth2.googleapis.com/device/code',
    revocationUrl: 'https://oauth2.googleapis.com/revoke', introspectionUrl: '',
    discoveryUrl: 'https://accounts.google.com',
    scopes: /\bopenid\b/, authUrlParams: /access_type=offline[\s\S]*prompt=consent|prompt=consent[\s\S]*access_type=offline/,
    clientAuthentication: 'body',
  },
  {
    name: 'Amazon Cognito', id: 'cognito',
    authorizationUrl: 'https://{domain}.auth.{region}.amazoncognito.com/oauth2/authorize',
    accessTokenUrl: 'https://{domain}.auth.{region}.amazoncognito.com/oauth2/token',
    deviceAuthorizationUrl: '',
    revocationUrl: 'https://{domain}.auth.{region}.amazoncognito.com/oauth2/revoke', introspectionUrl: '',
    discoveryUrl: /^https:\/\/cognito-idp\.\{region\}\.amazonaws\.com\//,
    scopes: /\bopenid\b/, authUrlParams: '', clientAuthentication: 'header',
  },
  {
    name: 'Dropbox', id: 'dropbox',
    authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
    accessTokenUrl: 'https://api.dropboxapi.com/oauth2/token',
    deviceAuthorizationUrl: '', revocationUrl: '', introspectionUrl: '',
    discoveryUrl: '', scopes: '', authUrlParams: /token_access_type=offline/, clientAuthentication: 'header',
  },
  {
    name: 'LinkedIn', id: 'linkedin',
    authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
    accessTokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    deviceAuthorizationUrl: '', revocationUrl: '',
    introspectionUrl: 'https://www.linkedin.com/oauth/v2/introspectToken',
    discoveryUrl: 'https://www.linkedin.com/oauth', scopes: /\bopenid\b/, authUrlParams: '', clientAuthentication: 'body',
  },
  {
    name: 'Local demo server', id: 'local-demo',
    authorizationUrl: 'http://127.0.0.1:9400/auth',
    accessTokenUrl: 'http://127.0.0.1:9400/token',
    deviceAuthorizationUrl: 'http://127.0.0.1:9400/device/auth',
    revocationUrl: 'http://127.0.0.1:9400/token/revocation',
    introspectionUrl: 'http://127.0.0.1:9400/token/introspection',
    discoveryUrl: 'http://127.0.0.1:9400', scopes: /\bopenid\b/, authUrlParams: '', clientAuthentication: 'header',
    clientId: 'basic-client', clientSecret: CLIENTS['basic-client'].secret,
  },
];

async function newFromPreset(page, name) {
  await tap(page, 'New from Preset');
  await click(page, name);
  const snap = await snapshot(page);
  assert.equal(snap.selected, name, `the new profile is selected and named after the preset "${name}"`);
  return selectedOf(snap);
}

test('presets: each preset fills its endpoints and the parameters its provider needs', T, async () => {
  await withPage(async (page) => {
    for (const preset of PRESETS) {
      const p = await newFromPreset(page, preset.name);
      assert.equal(p.preset, preset.id);
      for (const key of ['authorizationUrl', 'accessTokenUrl', 'deviceAuthorizationUrl', 'revocationUrl',
        'introspectionUrl', 'discoveryUrl', 'scopes', 'authUrlParams', 'clientAuthentication']) {
        const want = preset[key];
        if (want instanceof RegExp) assert.match(p[key], want, `${preset.name}: ${key}`);
        else assert.equal(p[key], want, `${preset.name}: ${key}`);
      }
      if (preset.clientId) assert.equal(p.clientId, preset.clientId);
      if (preset.clientSecret) assert.equal(p.clientSecret, preset.clientSecret);
      assert.equal(p.redirectUrl, new URL('callback.html', server.url).href, `${preset.name}: the page's Redirect URL`);
      assert.equal(p.state, '');
      // The guidance is drawn text (no widget, not in the snapshot): the screenshots show it.
      if (['entra', 'linkedin', 'local-demo'].includes(preset.id)) {
        await reveal(page, 'Token Name');
        await screenshot(page, `beyond-preset-${preset.id}`);
      }
    }
    const snap = await snapshot(page);
    assert.deepEqual(snap.profiles.map((p) => p.tokenName), ['New Profile', ...PRESETS.map((p) => p.name)]);
    // A second profile from the same preset gets a name of its own.
    await tap(page, 'New from Preset');
    await click(page, 'Google');
    const again = await snapshot(page);
    assert.equal(again.profiles.length, PRESETS.length + 2);
    assert.notEqual(again.selected.toLowerCase(), 'google');
    assert.equal(selectedOf(again).preset, 'google');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_PROBE), []);
  });
});

for (const [presetName, placeholder] of [['Microsoft Entra ID (v2.0)', '{tenant}'], ['Amazon Cognito', '{domain}']]) {
  test(`presets: ${placeholder} left in the ${presetName} preset is flagged and nothing is sent`, T, async () => {
    await withPage(async (page, context) => {
      const sent = [];
      context.on('request', (r) => { if (!r.url().startsWith(server.url)) sent.push(r.url()); });
      await newFromPreset(page, presetName);
      await type(page, 'Client ID', '00000000-1111-2222-3333-444444444444');
      const before = await snapshot(page);
      await tap(page, 'Get Access Token');
      await page.waitForTimeout(300);
      const snap = await snapshot(page);
      assert.match(snap.status, /^Not sent:/, `status: ${snap.status}`);
      assert.ok(snap.status.includes(placeholder), `the status names ${placeholder}: ${snap.status}`);
      assert.equal(snap.busy, false);
      assert.equal(snap.state, '');
      assert.equal(snap.log.length, before.log.length, 'the exchange log gained no entry');
      assert.deepEqual(sent, [], 'no request left the page');
      assert.equal(page.context().pages().length, 1, 'no consent popup');
      await screenshot(page, `beyond-preset-placeholder-${presetName.split(' ')[0].toLowerCase()}`);
      assert.deepEqual(unexpectedConsole(page, ALLOWED_PROBE), []);
    });
  });
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

// ---- local demo server --------------------------------------------------------------------------

test('"Local demo server" preset works against the demo server on port 9400', T, async (t) => {
  if (!(await portIsFree(9400))) {
    t.skip('port 9400 is taken (the run command\'s demo server?), and that one does not know this page\'s Redirect URL');
    return;
  }
  const demo = await startOidcServer({ port: 9400, cors: 'allow', pageOrigins: [new URL(server.url).origin] });
  try {
    await withPage(async (page) => {
      await newFromPreset(page, 'Local demo server');
      const { snap } = await getTokenWithConsent(page);
      assertConnected(snap);
      assert.ok(snap.token.refresh_token);
      await tap(page, 'Introspect');
      const info = await waitFor(page, (s) => s.introspection, 'introspection');
      assert.equal(JSON.parse(info.introspection).active, true);
      await screenshot(page, 'beyond-local-demo-connected');
    });
  } finally {
    await demo.close();
  }
});
