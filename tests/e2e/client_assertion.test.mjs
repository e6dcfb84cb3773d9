// Client authentication with signed assertions (RFC 7523, OpenID Connect Core section 9) through the
// real page against oidc-provider: client_secret_jwt (HS256) and private_key_jwt (RS256, PS256, ES256)
// with client credentials and authorization code; a wrong secret or key gets the provider's
// invalid_client, explained; a key generated in the page shows the JWKS to register; the cURL copy
// carries a fresh assertion that the provider takes once and refuses when replayed. The key is given
// to the page as a person pastes it (PKCS#8 PEM or a private JWK, generated here in node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { settle, snapshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, AUTH, press, tap, type, choose, configure, endpointsOf, getToken,
  getTokenWithConsent, assertTokenShown, assertError, selected, waitFor, clipboard, openLogEntry, storageGet, KEY,
} from './lib/app.mjs';
import { CLIENTS, JWT_SECRET, demoClientKeys } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'assertion' });
const { withPage } = rig;
let endpoints;
rig.ready(() => { endpoints = endpointsOf(rig.meta); });

const INVALID_CLIENT = 'The token endpoint did not accept the client\'s credentials (invalid_client); check Client ID, '
  + 'Client Secret and Client Authentication. The provider says: "client authentication failed"';
const refusal = (alg, aud, what, method) => `${INVALID_CLIENT} The request carried a signed client assertion (${alg}, aud "${aud}"). Check that ${what}, `
  + `that the client is registered for ${method} with this algorithm, and that the server accepts this audience. An assertion `
  + 'is single-use and expires 60 seconds after it is made (RFC 7523 section 3): the page signs a fresh one for every request, '
  + 'but a copied one cannot be replayed.';

// Client ID, grant and the assertion's settings, as a person sets them; the Issuer is the audience.
async function setUp(page, { clientId, grant = 'client_credentials', auth, secret = '', algorithm, key }) {
  await configure(page, { grant, auth, clientId, secret, scope: grant === 'client_credentials' ? 'api:read' : 'openid api:read', endpoints });
  if (grant !== 'authorization_code') await type(page, 'Issuer / Discovery URL', endpoints.issuer);
  if (algorithm && (await selected(page)).signingAlgorithm !== algorithm) await choose(page, 'Signing Algorithm', algorithm);
  if (key !== undefined) {
    await type(page, 'Private Key', key);
    await waitFor(page, (s) => s.signingKey.present, 'the pasted key');
  }
}

test('client_secret_jwt with client credentials connects, and the log masks the assertion', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'secret-jwt-client', auth: 'client_secret_jwt', secret: JWT_SECRET });
    const snap = await getToken(page);
    await assertTokenShown(page, snap, { clientId: 'secret-jwt-client' });
    const sent = snap.log.at(-1).text;
    assert.ok(sent.includes('client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'), sent);
    assert.ok(sent.includes('client_assertion=********'), sent);
    assert.ok(!sent.includes(JWT_SECRET), 'the secret is not sent');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('client_secret_jwt with a wrong secret: the provider\'s invalid_client, explained', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'secret-jwt-client', auth: 'client_secret_jwt', secret: `${JWT_SECRET}x` });
    const snap = await getToken(page);
    assertError(snap, refusal('HS256', endpoints.issuer, 'the Client Secret is the one registered', 'client_secret_jwt'));
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

for (const [algorithm, which, form] of [['RS256', 'rsa', 'pem'], ['PS256', 'rsa', 'jwk'], ['ES256', 'ec', 'pem']]) {
  test(`private_key_jwt ${algorithm} with a pasted ${form === 'pem' ? 'PKCS#8 PEM' : 'private JWK'} connects (client credentials)`, T, async () => {
    await withPage(async (page) => {
      const k = demoClientKeys()[which];
      await setUp(page, { clientId: 'private-key-jwt-client', auth: 'private_key_jwt', algorithm,
        key: form === 'pem' ? k.pem : JSON.stringify(k.privateJwk) });
      const snap = await getToken(page);
      await assertTokenShown(page, snap, { clientId: 'private-key-jwt-client' });
      // The kid the page signed with is the registered key's thumbprint: shown for registration too.
      await press(page, 'Show Public Key');
      const shown = await waitFor(page, (s) => s.signingKey.publicJwk !== '', 'the public JWK');
      const { kid, ...publicMembers } = JSON.parse(shown.signingKey.publicJwk);
      assert.equal(kid, k.publicJwk.kid);
      const { kid: registeredKid, use, ...registered } = k.publicJwk; // eslint-disable-line no-unused-vars
      assert.deepEqual(publicMembers, { ...registered, use: 'sig', alg: algorithm });
      // Kept for this tab only: nothing of the private key is stored.
      assert.ok(!(await storageGet(page, KEY.profiles)).includes(k.privateJwk.d));
      assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
    });
  });
}

test('private_key_jwt ES256 with the authorization code grant connects', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'private-key-jwt-client', grant: 'authorization_code', auth: 'private_key_jwt',
      algorithm: 'ES256', key: JSON.stringify(demoClientKeys().ec.privateJwk) });
    const { snap } = await getTokenWithConsent(page, { signIn: true });
    await assertTokenShown(page, snap, { clientId: 'private-key-jwt-client' });
    assert.ok(snap.token.id_token, 'an ID token');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('private_key_jwt with a key that is not registered: the provider\'s invalid_client, explained', T, async () => {
  await withPage(async (page) => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    await setUp(page, { clientId: 'private-key-jwt-client', auth: 'private_key_jwt', algorithm: 'PS256', key: other });
    const snap = await getToken(page);
    assertError(snap, refusal('PS256', endpoints.issuer,
      'the public key registered for the client is the one shown under Private key', 'private_key_jwt'));
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('A key that is not PKCS#8 is refused before anything is sent, with the fix', T, async () => {
  await withPage(async (page) => {
    const pkcs1 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' });
    await setUp(page, { clientId: 'private-key-jwt-client', auth: 'private_key_jwt', algorithm: 'RS256', key: pkcs1 });
    const before = (await snapshot(page)).log.length;
    await press(page, 'Get Access Token');
    const snap = await waitFor(page, (s) => s.state === 'Error' && !s.busy, 'the refusal');
    assert.equal(snap.error, 'Nothing was sent to the token endpoint: the client assertion could not be signed. This PEM is '
      + 'not an unencrypted PKCS#8 key ("BEGIN PRIVATE KEY"): convert it with openssl pkcs8 -topk8 -nocrypt -in key.pem.');
    assert.equal(snap.log.length, before, 'no request went out');
  });
});

test('Generate Key: the page makes a key pair, shows the JWKS to copy, and keeps the key for this tab only', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'private-key-jwt-client', auth: 'private_key_jwt', algorithm: 'ES256' });
    await press(page, 'Generate Key');
    const snap = await waitFor(page, (s) => s.signingKey.jwks !== '', 'the generated key\'s JWKS');
    assert.equal(snap.status, 'A new key pair was generated; its private key is kept for this tab only (set a passphrase '
      + 'lock to store it). Register the public key below at the provider.');
    const jwks = JSON.parse(snap.signingKey.jwks);
    assert.equal(jwks.keys.length, 1);
    assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.equal(jwks.keys[0].alg, 'ES256');
    await tap(page, 'Copy JWKS');
    assert.equal(await clipboard(page), snap.signingKey.jwks);
    assert.equal((await snapshot(page)).status, 'Copied the JWKS: register it for the client at the provider.');
    assert.equal((await storageGet(page, KEY.profiles)).includes('"d"'), false, 'no private key member is stored');
    // The generated key signs: the provider refuses it only because it is not registered.
    const refused = await getToken(page);
    assert.ok(refused.error.startsWith(`${INVALID_CLIENT} The request carried a signed client assertion (ES256, `), refused.error);
  });
});

test('Copy as cURL carries a fresh assertion: the provider takes it once and refuses it replayed', T, async () => {
  await withPage(async (page) => {
    await setUp(page, { clientId: 'secret-jwt-client', auth: 'client_secret_jwt', secret: JWT_SECRET });
    await tap(page, 'Include secrets in exports');
    await tap(page, 'Copy as cURL');
    await waitFor(page, (s) => s.copied === 'Copy as cURL', 'the copy');
    const curl = await clipboard(page);
    assert.ok(curl.startsWith('# client_assertion is a signed JWT (RFC 7523): single-use, and it expires 60 seconds after '
      + 'it was made. Copy the command again for a fresh one.\ncurl -X POST '), curl);
    const body = /--data-raw '([^']*)'/.exec(curl)[1];
    const send = () => fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const first = await send();
    assert.equal(first.status, 200, await first.clone().text());
    const replayed = await send();
    assert.equal(replayed.status, 401);
    assert.deepEqual(await replayed.json(), { error: 'invalid_client', error_description: 'client authentication failed' });
    await settle(page);
  });
});
