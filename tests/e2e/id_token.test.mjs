// ID tokens and UserInfo through the real page against the demo oidc-provider (OpenID Connect Core
// 1.0 section 3.1.3.7): after Discover, the provider's jwks_uri is fetched and the id_token's RS256
// signature checked with WebCrypto; a token whose payload was changed on its way (a loopback
// stand-in token endpoint in front of the provider) is rejected with the key named.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { unexpectedConsole } from './lib/browser.mjs';
import { useRig, ALLOWED, tap, type, waitFor, getTokenWithConsent } from './lib/app.mjs';
import { startTamperingTokenEndpoint } from './fixtures/tampering_server.mjs';
import { demoSigningKeys } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'id-token' });
const { withPage, seed, client } = rig;
let meta; let kid; let tampering;
rig.ready(async () => {
  ({ meta } = rig);
  kid = (await (await fetch(meta.jwks_uri)).json()).keys[0].kid;
  tampering = await startTamperingTokenEndpoint(meta.token_endpoint);
});
after(async () => { await tampering?.close(); });

const FILLED = 'Endpoints filled in from the provider\'s metadata.';

async function discoverProvider(page) {
  await tap(page, 'Discover');
  await waitFor(page, (s) => s.status === FILLED, 'discovery');
}

test('an ID token signed by the provider is verified with the key from its jwks_uri', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { discoveryUrl: meta.issuer, scopes: 'openid profile' }));
    await discoverProvider(page);
    const { snap } = await getTokenWithConsent(page);
    assert.equal(snap.state, 'Connected', snap.error);
    assert.deepEqual(snap.idToken, { verified: true, message: `Signature verified with key ${kid}.` });
    const jwks = snap.log.find((e) => e.step === 'JWKS');
    assert.ok(jwks, 'the keys were fetched through the exchange log');
    assert.equal(jwks.failed, false);
    assert.ok(jwks.text.includes(`GET ${meta.jwks_uri}`), jwks.text);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('an ID token whose payload was changed after signing is rejected, the key named', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { discoveryUrl: meta.issuer, scopes: 'openid' }));
    await discoverProvider(page);
    await type(page, 'Access Token URL', tampering.url); // a stand-in in front of the real token endpoint
    const { snap } = await getTokenWithConsent(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.error, `The id_token's signature does not verify with key ${kid} from the provider's jwks_uri, `
      + 'so it was rejected: the token was changed, or not signed by this provider (OpenID Connect Core 1.0 section '
      + '3.1.3.7).');
    assert.equal(snap.token, null, 'no token kept');
  });
});

// OpenID Connect Core 1.0 section 3.1.3.7 step 6: RSASSA-PSS and ECDSA P-256 too, each with the
// provider's key for that algorithm (the demo's JWKS has one key per alg). Each sign-in in a fresh
// page: a second one in the same page would find the provider's session and close the popup at once.
for (const alg of ['PS256', 'ES256']) {
  const clientId = `${alg.toLowerCase()}-client`;
  const algKid = () => demoSigningKeys()[alg.toLowerCase()].jwk.kid;
  async function signIn(page, tokenUrl) {
    await seed(page, client(clientId, 'authorization_code', { discoveryUrl: meta.issuer, scopes: 'openid' }));
    await discoverProvider(page);
    if (tokenUrl) await type(page, 'Access Token URL', tokenUrl);
    const { snap } = await getTokenWithConsent(page);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
    return snap;
  }

  test(`an ID token signed ${alg} is verified with the provider's ${alg} key`, T, async () => {
    assert.notEqual(algKid(), kid);
    await withPage(async (page) => {
      const snap = await signIn(page);
      assert.equal(snap.state, 'Connected', snap.error);
      const header = JSON.parse(Buffer.from(snap.token.id_token.split('.')[0], 'base64url').toString('utf8'));
      assert.deepEqual([header.alg, header.kid], [alg, algKid()]);
      assert.deepEqual(snap.idToken, { verified: true, message: `Signature verified with key ${algKid()}.` });
    });
  });

  test(`an ID token signed ${alg} whose payload was changed is refused, the key named`, T, async () => {
    await withPage(async (page) => {
      const snap = await signIn(page, tampering.url);
      assert.equal(snap.state, 'Error');
      assert.equal(snap.error, `The id_token's signature does not verify with key ${algKid()} from the provider's `
        + 'jwks_uri, so it was rejected: the token was changed, or not signed by this provider (OpenID Connect Core '
        + '1.0 section 3.1.3.7).');
      assert.equal(snap.token, null, 'no token kept');
    });
  });
}

test('without the provider\'s metadata the token is kept and the page says why it is not verified', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { scopes: 'openid' }));
    const { snap } = await getTokenWithConsent(page);
    assert.equal(snap.state, 'Connected', snap.error);
    assert.deepEqual(snap.idToken, {
      verified: false,
      message: 'Signature not verified: the provider\'s jwks_uri is not known in this page session; press Discover '
        + 'to read the provider\'s metadata, then get a token again.',
    });
  });
});

// ---- UserInfo (OpenID Connect Core 1.0 section 5.3) ----------------------------------------------

test('Call UserInfo shows the claims the access token gives, and a revoked token\'s refusal', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { discoveryUrl: meta.issuer, scopes: 'openid profile email' }));
    await discoverProvider(page);
    const { snap: connected } = await getTokenWithConsent(page);
    assert.equal(connected.state, 'Connected', connected.error);
    await tap(page, 'Call UserInfo');
    let snap = await waitFor(page, (s) => !s.busy && s.log.some((e) => e.step === 'UserInfo' && e.finished), 'UserInfo');
    const claims = JSON.parse(snap.userinfo);
    assert.equal(claims.sub, 'alice');
    assert.equal(snap.status, `The UserInfo endpoint returned ${Object.keys(claims).length} claims about "alice".`);
    const entry = snap.log.find((e) => e.step === 'UserInfo');
    assert.ok(entry.text.includes(`GET ${meta.userinfo_endpoint}`), entry.text);
    assert.ok(entry.text.includes('Authorization: Bearer ********'), `the token is masked in the log: ${entry.text}`);

    await tap(page, 'Revoke');
    await waitFor(page, (s) => !s.busy && s.revoked, 'the revocation');
    await tap(page, 'Call UserInfo');
    snap = await waitFor(page, (s) => !s.busy && s.log.filter((e) => e.step === 'UserInfo' && e.finished).length === 2,
      'the second UserInfo call');
    assert.equal(snap.userinfo, '');
    // oidc-provider's answer to a revoked token (RFC 6750 section 3.1), quoted as sent.
    assert.equal(snap.status, 'The UserInfo endpoint answered with error "invalid_token". The provider says: '
      + '"invalid token provided"');
  });
});
