// Pushed authorization requests (RFC 9126) through the real page against the demo oidc-provider:
// Use PAR ticked after Discover pushes every authorization parameter in an authenticated POST and
// the popup opens with client_id and request_uri only; a provider whose metadata requires PAR gets
// it with Use PAR off, and the form says so; a wrong secret is the push's error, State Error; a client
// registered to require PAR refuses an unpushed request, and the page says to tick Use PAR.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { snapshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, tap, press, selected, waitFor, outcome, openConsent, assertConnected, assertError,
  jwtPayload, discover, lastAttempt,
} from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { startOidcServer, REPORTS_RESOURCE, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 90000 };
const rig = useRig({ name: 'par' });
const { withPage, seed, client } = rig;
let meta; let strict; let strictMeta;
rig.ready(async () => {
  ({ meta } = rig);
  // A second demo server whose metadata says require_pushed_authorization_requests (RFC 9126 5).
  strict = await startOidcServer({ port: 0, cors: 'allow', pageOrigins: [new URL(rig.server.url).origin], requirePar: true });
  strictMeta = await discover(strict.issuer);
});
after(async () => { await strict?.close(); });

const FILLED = 'Endpoints filled in from the provider\'s metadata.';
const REQUIRED_NOTE = 'The provider requires pushed authorization requests (require_pushed_authorization_requests), '
  + 'so PAR is always used for this profile.';
const PUSH = 'Pushed authorization request';

async function discoverProvider(page) {
  await tap(page, 'Discover');
  await waitFor(page, (s) => s.status === FILLED, 'discovery');
}

// The authorization request the page opened in the popup after a push: client_id and request_uri only
// (RFC 9126 section 4). Read from the exchange log: the popup itself moves on to the login page.
function assertPushedOpen(snap, clientId, authorizationEndpoint) {
  const opened = snap.log.find((e) => e.step === 'Authorization request');
  assert.ok(opened, `the popup was sent to the provider: ${snap.log.map((e) => e.step).join(', ')}`);
  const url = new URL(opened.text.split('\n\n')[1].replace(/^GET /, ''));
  assert.equal(`${url.origin}${url.pathname}`, authorizationEndpoint);
  assert.deepEqual([...url.searchParams.keys()], ['client_id', 'request_uri'], opened.text);
  assert.equal(url.searchParams.get('client_id'), clientId);
  assert.ok(url.searchParams.get('request_uri').startsWith('urn:ietf:params:oauth:request_uri:'), opened.text);
}

test('Use PAR ticked: every authorization parameter is pushed, the popup gets client_id and request_uri', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code',
      { discoveryUrl: meta.issuer, resource: REPORTS_RESOURCE, authUrlParams: 'prompt=consent' }));
    await discoverProvider(page);
    await tap(page, 'Use PAR');
    assert.equal((await selected(page)).usePar, true);
    assert.equal((await snapshot(page)).parNote, '');
    const popup = await openConsent(page);
    await completeLogin(popup, { username: 'alice' });
    const snap = await outcome(page);
    assertConnected(snap);
    assertPushedOpen(snap, 'basic-client', meta.authorization_endpoint);
    assert.equal(jwtPayload(snap.token.access_token).aud, REPORTS_RESOURCE);

    const push = snap.log.find((e) => e.step === PUSH);
    assert.ok(push, `the push is in the exchange log: ${snap.log.map((e) => e.step).join(', ')}`);
    assert.equal(push.failed, false);
    assert.ok(push.summary.startsWith(`${PUSH}: HTTP 201 after `), push.summary);
    assert.ok(push.text.includes(`POST ${meta.pushed_authorization_request_endpoint}`), push.text);
    assert.ok(push.text.includes('Authorization: Basic ********'), `the credentials are masked: ${push.text}`);
    const body = new URLSearchParams(push.text.split('\n\n')[2]); // summary, request line and headers, body
    assert.deepEqual([...body.keys()], ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge',
      'code_challenge_method', 'nonce', 'resource', 'prompt'], push.text);
    assert.equal(body.get('redirect_uri'), rig.redirectUrl());
    assert.equal(body.get('scope'), 'openid api:read');
    assert.equal(body.get('code_challenge_method'), 'S256');
    assert.equal(body.get('resource'), REPORTS_RESOURCE);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a provider that requires PAR gets it with Use PAR off, and the form says so', T, async () => {
  await withPage(async (page) => {
    await seed(page, {
      ...client('par-client', 'authorization_code', { discoveryUrl: strict.issuer, issuer: strict.issuer }),
      authorizationUrl: strictMeta.authorization_endpoint, accessTokenUrl: strictMeta.token_endpoint,
      revocationUrl: strictMeta.revocation_endpoint, introspectionUrl: strictMeta.introspection_endpoint,
    });
    await discoverProvider(page);
    const shown = await snapshot(page);
    assert.equal(shown.parNote, REQUIRED_NOTE);
    assert.equal((await selected(page)).usePar, undefined, 'Use PAR is off (usePar is stored only when on)');
    const popup = await openConsent(page);
    await completeLogin(popup, { username: 'alice' });
    const snap = await outcome(page);
    assertConnected(snap);
    assertPushedOpen(snap, 'par-client', strictMeta.authorization_endpoint);
    assert.ok(snap.log.some((e) => e.step === PUSH && !e.failed), 'pushed');
    assert.equal(snap.idToken.verified, true, snap.idToken.message);
  });
});

test('PAR with a wrong secret: the pushed authorization request endpoint\'s error, State Error', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code',
      { discoveryUrl: meta.issuer, clientSecret: 'not-the-secret', usePar: true }));
    await discoverProvider(page);
    const popupOpened = page.waitForEvent('popup', { timeout: 10000 });
    await press(page, 'Get Access Token');
    const popup = await popupOpened;
    const snap = await outcome(page);
    assertError(snap, 'The pushed authorization request endpoint did not accept the client\'s credentials '
      + '(invalid_client); check Client ID, Client Secret and Client Authentication. The provider says: "client '
      + 'authentication failed"');
    const push = snap.log.find((e) => e.step === PUSH);
    assert.equal(push.failed, true);
    assert.ok(push.summary.startsWith(`${PUSH}: HTTP 401 after `), push.summary);
    assert.ok(!snap.log.some((e) => e.step === 'Authorization request'), 'the popup never went to the provider');
    await waitFor(page, () => popup.isClosed(), 'the blank popup to close');
    assert.notEqual(CLIENTS['basic-client'].secret, 'not-the-secret');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('a client registered to require PAR, with Use PAR off: the provider\'s refusal says to tick it, and ticking it works', T, async () => {
  await withPage(async (page) => {
    // par-client has require_pushed_authorization_requests (RFC 9126 section 6) at this provider, whose
    // metadata does not require PAR of every client, so nothing tells the page before it tries.
    await seed(page, client('par-client', 'authorization_code', { discoveryUrl: meta.issuer }));
    await discoverProvider(page);
    assert.equal((await snapshot(page)).parNote, '');
    const popupOpened = page.waitForEvent('popup', { timeout: 10000 });
    await press(page, 'Get Access Token');
    await popupOpened;
    const snap = await outcome(page);
    assertError(snap, 'The authorization server found the request malformed (invalid_request). The provider says: '
      + '"Pushed Authorization Request must be used" The request was not pushed: if the client is registered with '
      + 'require_pushed_authorization_requests (RFC 9126 section 6), tick Use PAR; the provider offers it.');
    assert.ok(!snap.log.some((e) => e.step === PUSH), 'nothing was pushed');

    await tap(page, 'Use PAR');
    const popup = await openConsent(page);
    await completeLogin(popup, { username: 'alice' });
    const fixed = await outcome(page);
    assertConnected(fixed);
    const last = lastAttempt(fixed);
    assertPushedOpen({ ...fixed, log: fixed.log.filter((e) => e.attempt === last) }, 'par-client',
      meta.authorization_endpoint);
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});
