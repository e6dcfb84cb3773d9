// Presets and placeholders (issue 9) through the real page: the Entra preset asks for {tenant}
// once, fills it into every URL, refuses to send or discover while it is missing, and a popup
// against a loopback server that answers like Entra turns its AADSTS error bodies into the fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, settle, snapshot, findItem, hasItem, click, selectAll, screenshot,
  unexpectedConsole,
} from './lib/browser.mjs';
import { startEntraServer, WEB_SECRET_ID, WEB_SECRET_VALUE } from './fixtures/entra_server.mjs';

const T = { timeout: 90000 };
const ALLOWED = [/GPU stall due to ReadPixels/, /Failed to load resource/];
const TENANT = 'contoso.onmicrosoft.com';
let server; let browser; let entra;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  entra = await startEntraServer({ redirectUris: [new URL('callback.html', server.url).href],
    pageOrigin: new URL(server.url).origin });
});
after(async () => {
  await browser?.close();
  await Promise.all([entra?.close(), server?.close()]);
});

const selectedOf = (snap) => snap.profiles.find((p) => p.tokenName === snap.selected);

async function type(page, label, text) {
  await click(page, label);
  await selectAll(page);
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
  await settle(page);
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await openPage(browser, server.url, { context });
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
  } finally {
    await context.close();
  }
});

test('Cognito preset: three placeholders, each asked once, fill the Discovery URL too', T, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await openPage(browser, server.url, { context });
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
  } finally {
    await context.close();
  }
});
