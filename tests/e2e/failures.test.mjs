// Failures that say what happened and what to do (issue 9), through the real page: a connection
// refused versus a CORS refusal, the relay's retry and the sentence that says how to start it, a
// relay that is off, an Authorization URL where nothing answers, a popup that shows an error page
// and never calls back (hint, then the consent timeout), an authorization error with its
// description, Basic credentials a server compares without decoding, and the OpenID Connect
// nonce against a real oidc-provider and against a server that hands back another sign-in's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { settle, snapshot, screenshot, selectAll, unexpectedConsole, hasItem } from './lib/browser.mjs';
import { useRig, selectedOf, reveal, tap, press, waitFor, getToken, importProfiles, fullProfile } from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { startFailureServer, RAW_BASIC_CLIENT, RAW_BASIC_SECRET, WRONG_NONCE } from './fixtures/failure_server.mjs';

const T = { timeout: 60000 };
// Failed calls show up in the console as failed loads or CORS complaints; screenshots as GPU stalls.
const ALLOWED = [/GPU stall due to ReadPixels/, /Failed to load resource|net::ERR|CORS|Access-Control/i];

let relayServer; let plainServer; let fixtures; let oidc; let tmp; let closedPort;

/** A loopback port where nothing listens (bound, then released). */
async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => { srv.listen(0, '127.0.0.1', resolve); });
  const { port } = srv.address();
  await new Promise((resolve) => { srv.close(resolve); });
  return port;
}

// The relay on for the fixture server's port only (loopback targets need the tests' flag); a
// second page server runs without the relay.
const rig = useRig({
  name: 'failures', plainServer: true,
  serverArgs: () => ['--relay', '--relay-allow-loopback-for-tests', '--relay-allow', `127.0.0.1:${fixtures.port}`],
});
rig.first(async () => {
  fixtures = await startFailureServer();
  closedPort = await freePort();
});
after(async () => { await fixtures?.close(); });
rig.ready(() => { ({ server: relayServer, plainServer, oidc, tmp } = rig); });

const withPage = (server, fn) => rig.withPage(fn, { server });
const profile = (server, extra) => fullProfile(rig.redirectUrl(server), { clientId: 'client-1', clientSecret: 's3cret', ...extra });

/** Get Access Token for the authorization code grant: resolves to the consent popup. */
async function openConsent(page) {
  const popup = page.waitForEvent('popup', { timeout: 10000 });
  await press(page, 'Get Access Token');
  return popup;
}

const corsRefused = (host) => `The token endpoint at ${host} answered but refused this page (CORS): the provider `
  + 'does not allow browser calls from this page\'s origin.';

test('a connection refused and a CORS refusal get their own sentences, and the relay retries the refused call', T, async () => {
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [
      profile(relayServer, { tokenName: 'Refused', accessTokenUrl: `http://127.0.0.1:${closedPort}/token` }),
      profile(relayServer, { tokenName: 'No CORS', accessTokenUrl: fixtures.url('/no-cors/token') }),
    ]);
    let snap = await getToken(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.error, `Nothing answered at 127.0.0.1:${closedPort} (connection refused, unknown host, TLS `
      + 'failure or a blocked port): check the Access Token URL and that the server runs and is reachable from this browser.');
    assert.deepEqual(snap.offers, { relayRetry: false, unencodedRetry: false });
    assert.equal(await hasItem(page, 'Retry through the relay'), false);

    await tap(page, 'No CORS');
    const before = fixtures.requests.length;
    snap = await getToken(page);
    assert.equal(snap.error, `${corsRefused(`127.0.0.1:${fixtures.port}`)} Press "Retry through the relay" to send `
      + 'it through this page\'s own server, which browsers\' CORS rules do not apply to.');
    assert.equal(snap.offers.relayRetry, true);
    // The server did answer: the refused call (its preflight) and the no-cors probe reached it.
    assert.ok(fixtures.requests.slice(before).some((r) => r.path === '/no-cors/token'), 'the server was reached');
    await reveal(page, 'Retry through the relay');
    await screenshot(page, 'failures-cors-relay-offered');

    await tap(page, 'Retry through the relay');
    snap = await waitFor(page, (s) => !s.busy && s.state === 'Connected', 'Connected through the relay');
    assert.equal(selectedOf(snap).useRelay, true, '"Use CORS relay" is ticked');
    assert.equal(snap.token.access_token, 'fixture-at');
    assert.match(relayServer.stderr(), new RegExp(`POST /relay -> 127\\.0\\.0\\.1 200`));
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a CORS refusal says how to start the relay when there is none, or which host to allow', T, async () => {
  await withPage(plainServer, async (page) => {
    await importProfiles(page, tmp, [
      profile(plainServer, { tokenName: 'No CORS', accessTokenUrl: fixtures.url('/no-cors/token') }),
      profile(plainServer, { tokenName: 'Relay off', accessTokenUrl: fixtures.url('/no-cors/token'), useRelay: true }),
    ]);
    let snap = await getToken(page);
    assert.equal(snap.error, `${corsRefused(`127.0.0.1:${fixtures.port}`)} To send it through this page's own server `
      + 'instead, start the CORS relay (./scripts/run.sh starts it by default; serve.py --relay) and turn on "Use CORS relay".');
    assert.equal(snap.offers.relayRetry, false);
    assert.equal(await hasItem(page, 'Retry through the relay'), false);

    // "Use CORS relay" while the page's server runs none: the relay's absence, not "the provider says".
    await tap(page, 'Relay off');
    snap = await getToken(page);
    assert.equal(snap.error, 'This page\'s server runs no CORS relay (it answered HTTP 405 at /relay), so nothing was '
      + 'sent to the provider: start the relay (./scripts/run.sh starts it by default; serve.py --relay), or turn off "Use CORS relay".');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
  await withPage(relayServer, async (page) => {
    const url = fixtures.url('/no-cors/token').replace('127.0.0.1', 'localhost');
    await importProfiles(page, tmp, [profile(relayServer, { tokenName: 'Not allowed', accessTokenUrl: url })]);
    const snap = await getToken(page);
    assert.equal(snap.error, `${corsRefused(`localhost:${fixtures.port}`)} This page's CORS relay runs but does not `
      + `forward to localhost:${fixtures.port}: restart serve.py with --relay-allow localhost:${fixtures.port} (or add the host to its allowlist).`);
    assert.equal(snap.offers.relayRetry, false);
  });
});

test('an Authorization URL where nothing answers closes the consent popup and says so', T, async () => {
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [profile(relayServer, {
      tokenName: 'Dead authorize', grantType: 'authorization_code', scopes: 'api:read',
      authorizationUrl: `http://127.0.0.1:${closedPort}/authorize`, accessTokenUrl: fixtures.url('/oidc/token'),
    })]);
    const popup = await openConsent(page);
    const snap = await waitFor(page, (s) => !s.busy && s.state === 'Error', 'the probe to fail the attempt');
    assert.equal(snap.error, `Nothing answered at 127.0.0.1:${closedPort} (connection refused, unknown host, TLS `
      + 'failure or a blocked port), so the consent popup was closed: check the Authorization URL.');
    await popup.waitForEvent('close', { timeout: 5000 }).catch(() => {});
    assert.equal(popup.isClosed(), true, 'the popup was closed');
  });
});

/** Types a number into the "Consent timeout (s)" box (click, Ctrl+A, the digits, Enter). */
async function setConsentTimeout(page, seconds) {
  const box = await reveal(page, 'Consent timeout (s)');
  await page.mouse.click(box.x + Math.min(20, box.w / 2), box.y + box.h / 2);
  await settle(page);
  await selectAll(page);
  await page.keyboard.type(String(seconds));
  await page.keyboard.press('Enter');
  await settle(page);
}

test('a popup that shows an error page and never calls back: a hint after 20 s, then the consent timeout', { timeout: 90000 }, async () => {
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [profile(relayServer, {
      tokenName: 'Mistyped', grantType: 'authorization_code', scopes: 'api:read',
      authorizationUrl: fixtures.url('/not-found/authorize'), accessTokenUrl: fixtures.url('/oidc/token'),
    })]);
    assert.equal((await snapshot(page)).consentTimeout, 300, 'five minutes by default');
    await setConsentTimeout(page, 25);
    assert.equal((await snapshot(page)).consentTimeout, 25);
    assert.equal(await page.evaluate(() => localStorage.getItem('oauth-setup:consent-timeout')), '25');
    assert.equal(await page.evaluate(() => localStorage.getItem('oauth-setup:timeout')), null, 'Timeout (s) untouched');

    const started = Date.now();
    const popup = await openConsent(page);
    await popup.waitForLoadState();
    assert.equal(await popup.title(), '404 Not Found');
    let snap = await snapshot(page);
    assert.equal(snap.busy, true);
    assert.equal(snap.hint, '');
    snap = await waitFor(page, (s) => s.hint !== '', 'the hint', { timeoutMs: 25000 });
    assert.ok(Date.now() - started >= 19000, `the hint came after ${Date.now() - started} ms`);
    assert.equal(snap.hint, 'Still waiting for the provider to send you back. Look at the popup: an error page there '
      + 'never returns to this page; the usual causes are a mistyped Authorization URL (a 404 page), a wrong Client ID, '
      + 'or a Redirect URL that is not registered with the provider.');
    assert.equal(snap.busy, true);
    await screenshot(page, 'failures-consent-hint');

    snap = await waitFor(page, (s) => !s.busy && s.state === 'Error', 'the consent timeout', { timeoutMs: 15000 });
    assert.ok(Date.now() - started >= 24000, `the attempt ended after ${Date.now() - started} ms`);
    assert.equal(snap.error, 'The consent popup did not send you back within 25 s (Consent timeout (s)), so the attempt '
      + 'ended. Look at the popup for the provider\'s error page; the usual causes are a mistyped Authorization URL '
      + '(a 404 page), a wrong Client ID, or a Redirect URL that is not registered with the provider.');
    assert.equal(snap.hint, '');
    assert.equal(popup.isClosed(), false, 'the error page stays open to be read');
  });
});

test('an authorization error on the Redirect URL is quoted with its description', T, async () => {
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [profile(relayServer, {
      tokenName: 'Refusing authorize', grantType: 'authorization_code', scopes: 'openid',
      authorizationUrl: fixtures.url('/error/authorize'), accessTokenUrl: fixtures.url('/oidc/token'),
    })]);
    await openConsent(page);
    const snap = await waitFor(page, (s) => !s.busy && s.state === 'Error', 'the callback\'s error');
    assert.equal(snap.error, 'The authorization server found the request malformed (invalid_request). The provider '
      + 'says: "nonce required" More information: https://idp.example/errors#nonce.');
  });
});

test('Basic credentials a server compares without decoding: the sentence says so, and the retry sends them as typed', T, async () => {
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [profile(relayServer, {
      tokenName: 'Raw Basic', clientId: RAW_BASIC_CLIENT, clientSecret: RAW_BASIC_SECRET,
      accessTokenUrl: fixtures.url('/raw-basic/token'),
    })]);
    let snap = await getToken(page);
    assert.equal(snap.error, 'The token endpoint did not accept the client\'s credentials (invalid_client); check Client '
      + 'ID, Client Secret and Client Authentication. The Basic header carried the Client Secret form-encoded, as RFC '
      + '6749 section 2.3.1 requires, which changed characters in it; some servers compare the credentials without '
      + 'decoding them. Press "Retry with unencoded credentials" to send them as typed.');
    assert.equal(snap.offers.unencodedRetry, true);
    const sent = fixtures.requests.filter((r) => r.method === 'POST' && r.path === '/raw-basic/token');
    assert.equal(Buffer.from(sent.at(-1).headers.authorization.slice(6), 'base64').toString(),
      'raw-client:a%3Ab%2Bc%2Fd%3De%25f+g', 'RFC 6749 2.3.1 form-encoding first');

    await tap(page, 'Retry with unencoded credentials');
    snap = await waitFor(page, (s) => !s.busy && s.state === 'Connected', 'Connected with unencoded credentials');
    assert.equal(selectedOf(snap).basicUnencoded, true, 'the choice is stored in the profile');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('oauth-setup:profiles')).profiles);
    assert.equal(stored.find((p) => p.tokenName === 'Raw Basic').basicUnencoded, true);
    assert.equal(snap.offers.unencodedRetry, false);
  });
});

test('with openid the authorization request carries a fresh nonce, and the id_token\'s nonce is checked', T, async () => {
  const meta = await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json();
  await withPage(relayServer, async (page) => {
    await importProfiles(page, tmp, [
      profile(relayServer, {
        tokenName: 'Real OIDC', grantType: 'authorization_code', clientId: 'basic-client', clientSecret: 'basic-secret',
        scopes: 'openid', authorizationUrl: meta.authorization_endpoint, accessTokenUrl: meta.token_endpoint,
        issuer: meta.issuer, // oidc-provider always sends iss: the mix-up check needs the issuer (RFC 9207)
      }),
      profile(relayServer, {
        tokenName: 'Other nonce', grantType: 'authorization_code', scopes: 'openid profile',
        authorizationUrl: fixtures.url('/oidc/authorize'), accessTokenUrl: fixtures.url('/oidc/token'),
      }),
    ]);
    const popup = await openConsent(page);
    await popup.waitForURL((u) => !u.href.startsWith('about:'), { timeout: 10000 });
    await completeLogin(popup, { username: 'alice' });
    let snap = await waitFor(page, (s) => !s.busy && (s.state === 'Connected' || s.state === 'Error'), 'the sign-in');
    assert.equal(snap.state, 'Connected', snap.error);
    const authorize = snap.log.find((e) => e.step === 'Authorization request');
    const sentNonce = new URL(authorize.text.match(/https?:\/\/\S+/)[0]).searchParams.get('nonce');
    assert.match(sentNonce, /^[A-Za-z0-9_-]{22}$/, 'a random 128-bit nonce');
    const claims = JSON.parse(Buffer.from(snap.token.id_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.nonce, sentNonce, 'the provider echoed it, and the page accepted it');

    await tap(page, 'Other nonce');
    await openConsent(page);
    snap = await waitFor(page, (s) => !s.busy && s.state === 'Error', 'the nonce check');
    assert.equal(snap.error, 'The id_token\'s nonce does not match the one this page sent, so it was rejected: it '
      + 'belongs to another sign-in (OpenID Connect Core 1.0 section 3.1.3.7).');
    assert.equal(snap.token, null);
    const second = fixtures.requests.filter((r) => r.path === '/oidc/authorize').at(-1);
    assert.notEqual(second.query.get('nonce'), sentNonce, 'every attempt sends a fresh nonce');
    assert.notEqual(second.query.get('nonce'), WRONG_NONCE);
  });
});
