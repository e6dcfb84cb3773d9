// DPoP (RFC 9449) through the real page against oidc-provider with features.dPoP: "Use DPoP" on
// gives a DPoP token whose cnf.jkt (section 6.1) is the thumbprint the page shows for its key; off
// gives Bearer; a client whose proofs must carry a server nonce is answered use_dpop_nonce first
// and the page retries once with the DPoP-Nonce the server sent (section 8).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, tap, configure, endpointsOf, getToken, getTokenWithConsent, assertConnected, jwtPayload, selectedOf, waitFor,
} from './lib/app.mjs';
import { startDpopIgnoringTokenEndpoint } from './fixtures/tampering_server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'dpop' });
const { withPage } = rig;
let endpoints; let ignoring;
rig.ready(async () => {
  endpoints = endpointsOf(rig.meta);
  ignoring = await startDpopIgnoringTokenEndpoint(rig.meta.token_endpoint);
});
after(async () => { await ignoring?.close(); });

// A client credentials profile as a person sets it up, with "Use DPoP" ticked when asked.
async function setUp(page, { clientId, secret, dpop, tokenUrl = endpoints.token }) {
  await configure(page, { grant: 'client_credentials', auth: 'header', clientId, secret, scope: 'api:read',
    endpoints: { ...endpoints, token: tokenUrl } });
  if (dpop) {
    await tap(page, 'Use DPoP');
    await waitFor(page, (s) => selectedOf(s).useDpop === true && s.dpop.thumbprint !== '', 'the DPoP key');
  }
}

// The log entries of the last attempt's token requests.
const tokenRequests = (snap) => snap.log.filter((e) => e.attempt === snap.log.at(-1).attempt);

test('Use DPoP: a DPoP token bound to the key whose thumbprint the page shows', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'dpop-client', secret: 'dpop-secret', dpop: true });
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(snap.token.token_type, 'DPoP');
    assert.equal(snap.status, 'Connected: DPoP token was issued, valid for 3600 s.');
    assert.match(snap.dpop.thumbprint, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(jwtPayload(snap.token.access_token).cnf, { jkt: snap.dpop.thumbprint });
    const sent = tokenRequests(snap);
    assert.equal(sent.length, 1);
    const proof = /\nDPoP: (\S+)\n/.exec(sent[0].text);
    assert.ok(proof, sent[0].text);
    const header = JSON.parse(Buffer.from(proof[1].split('.')[0], 'base64url').toString('utf8'));
    assert.equal(header.typ, 'dpop+jwt');
    assert.equal(header.alg, 'ES256');
    assert.equal(header.jwk.d, undefined);
    const claims = jwtPayload(proof[1]);
    assert.equal(claims.htm, 'POST');
    assert.equal(claims.htu, endpoints.token);
    // Stored with the profile, the key itself is not.
    assert.equal(selectedOf(snap).useDpop, true);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('Without DPoP the same server answers Bearer', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'basic-client', secret: 'basic-secret', dpop: false });
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(snap.token.token_type, 'Bearer');
    assert.equal(jwtPayload(snap.token.access_token).cnf, undefined);
    assert.equal(selectedOf(snap).useDpop, undefined);
    assert.ok(!tokenRequests(snap)[0].text.includes('\nDPoP: '), tokenRequests(snap)[0].text);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a server that answers Bearer to a request with a DPoP proof is flagged', T, async () => {
  await withPage(async (page) => {
    // In front of the provider, a stand-in that drops the proof: a server without DPoP (RFC 9449 section 5).
    await setUp(page, { clientId: 'basic-client', secret: 'basic-secret', dpop: true, tokenUrl: ignoring.url });
    const sentBefore = ignoring.requests.length;
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(snap.token.token_type, 'Bearer');
    assert.equal(ignoring.requests.length, sentBefore + 1);
    assert.match(ignoring.requests.at(-1).dpop, /^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'the page sent a proof');
    const flag = 'The request carried a DPoP proof, but the server answered token_type "Bearer": this token is not '
      + 'bound to the page\'s key, so whoever holds it can use it (RFC 9449 section 5). Turn on DPoP for this client '
      + 'at the provider.';
    assert.equal(snap.status, `Connected: Bearer token was issued, valid for 3600 s. ${flag}`);
    assert.equal(jwtPayload(snap.token.access_token).cnf, undefined);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('use_dpop_nonce: the page retries once with the server\'s DPoP-Nonce and connects', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'dpop-nonce-client', secret: 'dpop-nonce-secret', dpop: true });
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(snap.token.token_type, 'DPoP');
    const sent = tokenRequests(snap);
    assert.equal(sent.length, 2, JSON.stringify(sent.map((e) => e.summary)));
    assert.equal(sent[0].failed, true);
    assert.ok(sent[0].text.includes('"error":"use_dpop_nonce"'), sent[0].text);
    const nonceOf = (entry) => jwtPayload(/\nDPoP: (\S+)\n/.exec(entry.text)[1]).nonce;
    assert.equal(nonceOf(sent[0]), undefined);
    assert.match(nonceOf(sent[1]), /^[A-Za-z0-9_-]{20,}$/);
    assert.deepEqual(jwtPayload(snap.token.access_token).cnf, { jkt: snap.dpop.thumbprint });
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('Authorization code with DPoP: dpop_jkt on the authorization request, a DPoP token, and UserInfo with a proof', T, async () => {
  await withPage(async (page) => {
    await rig.seed(page, rig.client('dpop-client', 'authorization_code',
      { discoveryUrl: rig.meta.issuer, scopes: 'openid profile', useDpop: true }));
    await tap(page, 'Discover');
    await waitFor(page, (s) => s.status === 'Endpoints filled in from the provider\'s metadata.' && s.dpop.thumbprint !== '',
      'discovery and the DPoP key');
    const thumbprint = (await waitFor(page, (s) => s.dpop.thumbprint !== '', 'the DPoP key')).dpop.thumbprint;
    const { snap } = await getTokenWithConsent(page);
    assertConnected(snap);
    assert.equal(snap.token.token_type, 'DPoP');
    const authorization = snap.log.find((e) => e.step === 'Authorization request');
    assert.ok(authorization.text.includes(`dpop_jkt=${thumbprint}`), authorization.text);
    await tap(page, 'Call UserInfo');
    const done = await waitFor(page, (s) => !s.busy && s.log.some((e) => e.step === 'UserInfo' && e.finished), 'UserInfo');
    assert.equal(done.status, `The UserInfo endpoint returned ${Object.keys(JSON.parse(done.userinfo)).length} claims about "alice".`);
    const entry = done.log.find((e) => e.step === 'UserInfo');
    assert.ok(entry.text.includes('Authorization: DPoP ********'), entry.text);
    const claims = jwtPayload(/\nDPoP: (\S+)\n/.exec(entry.text)[1]);
    assert.equal(claims.htm, 'GET');
    assert.equal(claims.htu, rig.meta.userinfo_endpoint);
    assert.equal(claims.ath, crypto.createHash('sha256').update(snap.token.access_token).digest('base64url'));
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});
