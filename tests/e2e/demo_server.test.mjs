// node --test tests/e2e/demo_server.test.mjs
// Checks the demo authorization server (demo/server.mjs) over plain HTTP from node, and the Playwright
// helper (lib/consent.mjs) with Debian's Chromium when /usr/bin/chromium exists.

import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startOidcServer, RESOURCE, SPECIAL_SECRET } from '../../demo/server.mjs';
import { completeLogin } from './lib/consent.mjs';

const PAGE_ORIGIN = 'http://127.0.0.1:8000';
const REDIRECT_URI = `${PAGE_ORIGIN}/callback.html`;
const T = { timeout: 20000 };
const CHROMIUM = '/usr/bin/chromium';

// application/x-www-form-urlencoded encoding of one value (space -> '+'), as RFC 6749 2.3.1
// requires for client_id and client_secret before they are put in a Basic header.
const formEncode = (value) => new URLSearchParams([['', value]]).toString().slice(1);
const basic = (id, secret) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
/** A browser's CORS preflight for a POST with Authorization and Content-Type from the page's origin. */
const preflight = (url) => request(url, {
  method: 'OPTIONS',
  headers: {
    origin: PAGE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type',
  },
});
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function decodeJwt(token) {
  const [header, payload] = token.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}

async function request(url, { method = 'GET', headers = {}, form, jar } = {}) {
  const h = { ...headers };
  if (form) h['content-type'] = 'application/x-www-form-urlencoded';
  if (jar?.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(url, {
    method,
    headers: h,
    body: form ? new URLSearchParams(form).toString() : undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(5000),
  });
  if (jar) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (!value || expired) jar.delete(name); else jar.set(name, value);
    }
  }
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { res, status: res.status, headers: res.headers, text, json };
}

const token = (issuer, form, headers = {}) => request(`${issuer}/token`, { method: 'POST', form, headers });

/**
 * A DPoP proof (RFC 9449 section 4.2) for a POST to `htu`, signed ES256 with `key` (a P-256 key pair
 * from node:crypto): header typ dpop+jwt with the public JWK, payload jti, htm, htu and iat.
 */
function dpopProof(key, htu, jti = crypto.randomUUID()) {
  const { kty, crv, x, y } = key.publicKey.export({ format: 'jwk' });
  const header = b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }));
  const payload = b64url(JSON.stringify({ jti, htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) }));
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${payload}`), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${b64url(signature)}`;
}

/** The RFC 7638 thumbprint of a P-256 key pair's public key (cnf.jkt of a token bound to it). */
function jwkThumbprint(key) {
  const { crv, kty, x, y } = key.publicKey.export({ format: 'jwk' });
  return b64url(crypto.createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest());
}

function pkcePair() {
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

function authUrl(issuer, params) {
  const url = new URL(`${issuer}/auth`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

// Drive /auth -> dev login -> dev consent -> redirect over HTTP, keeping cookies by hand.
// Returns the URL the server finally redirects to (the redirect URI with code or error).
async function authorizeOverHttp(issuer, params, { username = 'alice' } = {}) {
  const jar = new Map();
  let url = authUrl(issuer, params);
  const steps = [];
  for (let i = 0; i < 20; i += 1) {
    if (!url.startsWith(issuer)) return { url, steps, jar };
    const r = await request(url, { headers: { accept: 'text/html' }, jar });
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get('location'), url).href;
      continue; // eslint-disable-line no-continue
    }
    assert.equal(r.status, 200, `unexpected ${r.status} at ${url}: ${r.text.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(r.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(r.text)?.[1];
    assert.ok(action && prompt, `no interaction form at ${url}: ${r.text.slice(0, 300)}`);
    steps.push(prompt);
    const form = prompt === 'login' ? { prompt, login: username, password: 'whatever' } : { prompt };
    const post = await request(new URL(action, url).href, { method: 'POST', form, jar, headers: { accept: 'text/html' } });
    assert.ok(post.status >= 300 && post.status < 400, `interaction POST ${post.status}: ${post.text.slice(0, 300)}`);
    url = new URL(post.headers.get('location'), url).href;
  }
  throw new Error('too many redirects');
}

// The device flow's user side over HTTP: /device -> user code -> confirm -> login -> consent -> success.
async function completeDeviceFlowOverHttp(issuer, userCode, username) {
  const jar = new Map();
  const html = { accept: 'text/html' };
  const steps = [];
  let r = await request(`${issuer}/device`, { headers: html, jar });
  let url = `${issuer}/device`;
  for (let i = 0; i < 20; i += 1) {
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get('location'), url).href;
      r = await request(url, { headers: html, jar });
      continue; // eslint-disable-line no-continue
    }
    assert.equal(r.status, 200, r.text.slice(0, 400));
    if (/Sign-in Success/.test(r.text)) {
      steps.push('success');
      return steps;
    }
    const formHtml = /<form[^>]*>[\s\S]*?<\/form>/.exec(r.text)?.[0];
    assert.ok(formHtml, r.text.slice(0, 400));
    const action = /action="([^"]+)"/.exec(formHtml)[1];
    const fields = Object.fromEntries([...formHtml.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    let step;
    if (formHtml.includes('op.deviceInputForm')) {
      step = 'user_code';
      fields.user_code = userCode;
    } else if (formHtml.includes('op.deviceConfirmForm')) {
      step = 'confirm';
    } else if (fields.prompt === 'login') {
      step = 'login';
      Object.assign(fields, { login: username, password: 'x' });
    } else {
      step = fields.prompt;
    }
    assert.ok(step, formHtml);
    steps.push(step);
    url = new URL(action, url).href;
    r = await request(url, { method: 'POST', form: fields, headers: html, jar });
  }
  throw new Error(`device flow did not finish: ${steps}`);
}

describe('oidc test server (cors allow)', () => {
  let srv;
  before(async () => { srv = await startOidcServer({ port: 0, cors: 'allow', pageOrigins: ['http://localhost:8123'] }); });
  after(async () => { await srv?.close(); });

  test('discovery document', T, async () => {
    assert.match(srv.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(srv.issuer, `http://127.0.0.1:${srv.port}`);
    const { status, json } = await request(`${srv.issuer}/.well-known/openid-configuration`);
    assert.equal(status, 200);
    assert.equal(json.issuer, srv.issuer);
    assert.equal(json.token_endpoint, `${srv.issuer}/token`);
    assert.equal(json.authorization_endpoint, `${srv.issuer}/auth`);
    assert.equal(json.device_authorization_endpoint, `${srv.issuer}/device/auth`);
    assert.equal(json.revocation_endpoint, `${srv.issuer}/token/revocation`);
    assert.equal(json.introspection_endpoint, `${srv.issuer}/token/introspection`);
    for (const g of ['authorization_code', 'refresh_token', 'client_credentials', 'password',
      'urn:ietf:params:oauth:grant-type:device_code']) {
      assert.ok(json.grant_types_supported.includes(g), g);
    }
    assert.deepEqual(json.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(json.response_types_supported, ['code']);
    for (const s of ['openid', 'profile', 'email', 'offline_access', 'api:read']) {
      assert.ok(json.scopes_supported.includes(s), s);
    }
    const jwks = await request(json.jwks_uri);
    assert.deepEqual(jwks.json.keys.map((k) => `${k.kty} ${k.alg}`), ['RSA RS256', 'RSA PS256', 'EC ES256']);
    for (const key of jwks.json.keys) assert.equal(key.d, undefined, 'private part must not be published');
  });

  test('client_credentials with client_secret_basic gives a JWT access token', T, async () => {
    const r = await token(srv.issuer, { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic('basic-client', 'basic-secret') });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(r.json.scope, 'api:read');
    assert.equal(r.json.expires_in, 3600);
    const { header, payload } = decodeJwt(r.json.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'RS256');
    assert.equal(payload.client_id, 'basic-client');
    assert.equal(payload.aud, RESOURCE);
    assert.equal(payload.iss, srv.issuer);
  });

  test('client_credentials with client_secret_post', T, async () => {
    const r = await token(srv.issuer, {
      grant_type: 'client_credentials', scope: 'api:read api:write', client_id: 'post-client', client_secret: 'post-secret',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.scope, 'api:read api:write');
    assert.ok(r.json.access_token);
    // no scope at all still works (token for the API without scope)
    const r2 = await token(srv.issuer, { grant_type: 'client_credentials', client_id: 'post-client', client_secret: 'post-secret' });
    assert.equal(r2.status, 200, r2.text);
  });

  test('a client_secret_post client cannot use Basic, and vice versa', T, async () => {
    const r = await token(srv.issuer, { grant_type: 'client_credentials' }, { authorization: basic('post-client', 'post-secret') });
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_client');
    const r2 = await token(srv.issuer, { grant_type: 'client_credentials', client_id: 'basic-client', client_secret: 'basic-secret' });
    assert.equal(r2.status, 401);
    assert.equal(r2.json.error, 'invalid_client');
  });

  test('wrong client secret -> 401 invalid_client', T, async () => {
    const r = await token(srv.issuer, { grant_type: 'client_credentials' }, { authorization: basic('basic-client', 'nope') });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { error: 'invalid_client', error_description: 'client authentication failed' });
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic /);
    const r2 = await token(srv.issuer, { grant_type: 'client_credentials', client_id: 'post-client', client_secret: 'nope' });
    assert.equal(r2.status, 401);
    assert.deepEqual(r2.json, { error: 'invalid_client', error_description: 'client authentication failed' });
    const r3 = await token(srv.issuer, { grant_type: 'client_credentials' }, { authorization: basic('no-such-client', 'x') });
    assert.equal(r3.status, 401);
    assert.equal(r3.json.error, 'invalid_client');
  });

  test('password grant: good credentials (alice, bob)', T, async () => {
    const r = await token(srv.issuer, {
      grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'openid api:read',
    }, { authorization: basic('basic-client', 'basic-secret') });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(r.json.expires_in, 3600);
    assert.equal(r.json.scope, 'api:read');
    assert.ok(r.json.refresh_token);
    const { payload } = decodeJwt(r.json.access_token);
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.client_id, 'basic-client');

    const r2 = await token(srv.issuer, {
      grant_type: 'password', username: 'bob', password: 'builder', scope: 'openid profile', client_id: 'post-client', client_secret: 'post-secret',
    });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.json.scope, 'openid profile');
    assert.ok(!r2.json.access_token.includes('.'), 'OpenID-only scopes give an opaque token (for /me)');
    const me = await request(`${srv.issuer}/me`, { headers: { authorization: `Bearer ${r2.json.access_token}` } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.sub, 'bob');
    assert.equal(me.json.name, 'Bob');
  });

  test('password grant: bad credentials -> invalid_grant', T, async () => {
    for (const [username, password] of [['alice', 'wrong'], ['bob', 'wonderland'], ['mallory', 'x']]) {
      const r = await token(srv.issuer, { grant_type: 'password', username, password },
        { authorization: basic('basic-client', 'basic-secret') });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'invalid username or password' });
    }
    // client authentication comes first
    const r = await token(srv.issuer, { grant_type: 'password', username: 'alice', password: 'wonderland' },
      { authorization: basic('basic-client', 'wrong') });
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_client');
    // the public client is not allowed the password grant
    const r2 = await token(srv.issuer, { grant_type: 'password', username: 'alice', password: 'wonderland', client_id: 'public-client' });
    assert.equal(r2.status, 400);
    assert.equal(r2.json.error, 'invalid_request');
  });

  // RFC 9449 section 4.3 step 12 and section 11.1: a proof's jti is taken once. The password grant
  // is the demo's own handler (oidc-provider has none); a replay there is an invalid proof, answered
  // invalid_dpop_proof (section 5). oidc-provider's client credentials grant checks replays too, and
  // answers them invalid_grant (its InvalidGrant keeps the reason out of the answer): both refuse.
  test('password grant with DPoP: the token is bound to the proof\'s key; the same proof again -> invalid_dpop_proof', T, async () => {
    const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const htu = `${srv.issuer}/token`;
    const auth = basic('dpop-client', 'dpop-secret');
    const form = { grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'api:read' };
    const proof = dpopProof(key, htu);
    const first = await token(srv.issuer, form, { authorization: auth, dpop: proof });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.token_type, 'DPoP');
    assert.deepEqual(decodeJwt(first.json.access_token).payload.cnf, { jkt: jwkThumbprint(key) });

    const replayed = await token(srv.issuer, form, { authorization: auth, dpop: proof });
    assert.equal(replayed.status, 400, replayed.text);
    assert.deepEqual(replayed.json, { error: 'invalid_dpop_proof', error_description: 'DPoP proof JWT Replay detected' });
    // The jti is what is refused, not the key: a fresh proof with the same key gets a token.
    const fresh = await token(srv.issuer, form, { authorization: auth, dpop: dpopProof(key, htu) });
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(fresh.json.token_type, 'DPoP');
    // Without a proof, this dpop_bound_access_tokens client gets none (RFC 9449 section 5.2).
    const none = await token(srv.issuer, form, { authorization: auth });
    assert.equal(none.status, 400, none.text);
    assert.deepEqual(none.json, { error: 'invalid_grant', error_description: 'grant request is invalid' });

    const credentials = { grant_type: 'client_credentials', scope: 'api:read' };
    const ccProof = dpopProof(key, htu);
    assert.equal((await token(srv.issuer, credentials, { authorization: auth, dpop: ccProof })).status, 200);
    const ccReplayed = await token(srv.issuer, credentials, { authorization: auth, dpop: ccProof });
    assert.equal(ccReplayed.status, 400, ccReplayed.text);
    assert.deepEqual(ccReplayed.json, { error: 'invalid_grant', error_description: 'grant request is invalid' });
  });

  test('special client secret through a form-urlencoded Basic header and through the body', T, async () => {
    assert.equal(SPECIAL_SECRET, 'a:b+c/d=e%f g');
    const r = await token(srv.issuer, { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic('special-client', SPECIAL_SECRET) });
    assert.equal(r.status, 200, r.text);
    // the header really is the RFC 6749 2.3.1 form
    assert.equal(Buffer.from(basic('special-client', SPECIAL_SECRET).slice(6), 'base64').toString(),
      'special-client:a%3Ab%2Bc%2Fd%3De%25f+g');
    // the raw secret (not form-urlencoded) is not accepted
    const raw = `Basic ${Buffer.from(`special-client:${SPECIAL_SECRET}`).toString('base64')}`;
    const bad = await token(srv.issuer, { grant_type: 'client_credentials' }, { authorization: raw });
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(bad.json, {
      error: 'invalid_request',
      error_description: 'client_id and client_secret in the authorization header are not properly encoded',
    });
    // client_secret_post: URLSearchParams form-encodes the body
    const r2 = await token(srv.issuer, {
      grant_type: 'client_credentials', scope: 'api:read', client_id: 'special-post-client', client_secret: SPECIAL_SECRET,
    });
    assert.equal(r2.status, 200, r2.text);
  });

  test('refresh_token after password grant, introspection and revocation', T, async () => {
    const auth = { authorization: basic('basic-client', 'basic-secret') };
    const r = await token(srv.issuer, { grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'api:read' }, auth);
    assert.equal(r.status, 200, r.text);
    const r2 = await token(srv.issuer, { grant_type: 'refresh_token', refresh_token: r.json.refresh_token }, auth);
    assert.equal(r2.status, 200, r2.text);
    assert.ok(r2.json.access_token);
    assert.notEqual(r2.json.access_token, r.json.access_token);
    assert.equal(r2.json.scope, 'api:read');
    assert.equal(decodeJwt(r2.json.access_token).payload.sub, 'alice');

    const introspect = (t) => request(`${srv.issuer}/token/introspection`, { method: 'POST', form: { token: t }, headers: auth });
    let i = await introspect(r2.json.access_token);
    assert.equal(i.json.active, true, i.text);
    assert.equal(i.json.sub, 'alice');
    assert.equal(i.json.scope, 'api:read');
    i = await introspect(r2.json.refresh_token);
    assert.equal(i.json.active, true, i.text);

    const rev = await request(`${srv.issuer}/token/revocation`, { method: 'POST', form: { token: r2.json.access_token }, headers: auth });
    assert.equal(rev.status, 200, rev.text);
    i = await introspect(r2.json.access_token);
    assert.deepEqual(i.json, { active: false });
    const bogus = await introspect(`${r2.json.access_token.slice(0, -4)}AAAA`);
    assert.deepEqual(bogus.json, { active: false });
  });

  test('authorization code + PKCE over HTTP (public-client), code exchange and refresh', T, async () => {
    const { verifier, challenge } = pkcePair();
    const state = b64url(crypto.randomBytes(8));
    const { url, steps } = await authorizeOverHttp(srv.issuer, {
      client_id: 'public-client',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email api:read',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.deepEqual(steps, ['login', 'consent']);
    const cb = new URL(url);
    assert.equal(`${cb.origin}${cb.pathname}`, REDIRECT_URI);
    assert.equal(cb.searchParams.get('state'), state);
    assert.equal(cb.searchParams.get('iss'), srv.issuer);
    const code = cb.searchParams.get('code');
    assert.ok(code, url);

    // wrong verifier fails (and does not consume anything useful)
    const wrong = await token(srv.issuer, {
      grant_type: 'authorization_code', code: 'not-the-code', redirect_uri: REDIRECT_URI, client_id: 'public-client', code_verifier: verifier,
    });
    assert.equal(wrong.json.error, 'invalid_grant');

    const r = await token(srv.issuer, {
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'public-client', code_verifier: verifier,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token_type, 'Bearer');
    assert.ok(r.json.id_token);
    assert.ok(r.json.refresh_token, 'refresh token without offline_access');
    assert.equal(r.json.scope, 'api:read');
    assert.equal(decodeJwt(r.json.access_token).payload.sub, 'alice');
    assert.equal(decodeJwt(r.json.id_token).payload.sub, 'alice');

    const rr = await token(srv.issuer, { grant_type: 'refresh_token', refresh_token: r.json.refresh_token, client_id: 'public-client' });
    assert.equal(rr.status, 200, rr.text);
    assert.ok(rr.json.access_token);
    assert.notEqual(rr.json.refresh_token, r.json.refresh_token, 'public clients get rotated refresh tokens');

    // replaying the code fails and revokes what was issued from it (RFC 6749 4.1.2)
    const again = await token(srv.issuer, {
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'public-client', code_verifier: verifier,
    });
    assert.equal(again.json.error, 'invalid_grant', 'a code is single use');
    const revoked = await token(srv.issuer, { grant_type: 'refresh_token', refresh_token: rr.json.refresh_token, client_id: 'public-client' });
    assert.equal(revoked.json.error, 'invalid_grant');
  });

  test('PKCE: required for public clients, optional for confidential ones; plain refused', T, async () => {
    const base = {
      response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', state: 's1',
    };
    const r = await request(authUrl(srv.issuer, { ...base, client_id: 'public-client' }), { headers: { accept: 'text/html' } });
    assert.equal(r.status, 303);
    const loc = new URL(r.headers.get('location'));
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.match(loc.searchParams.get('error_description'), /PKCE/);

    const plain = await request(authUrl(srv.issuer, {
      ...base, client_id: 'public-client', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain',
    }), { headers: { accept: 'text/html' } });
    assert.equal(new URL(plain.headers.get('location')).searchParams.get('error'), 'invalid_request');

    // confidential client without PKCE, code exchanged with Basic auth
    const { url } = await authorizeOverHttp(srv.issuer, { ...base, client_id: 'basic-client', scope: 'openid email' }, { username: 'carol' });
    const code = new URL(url).searchParams.get('code');
    assert.ok(code, url);
    const t = await token(srv.issuer, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { authorization: basic('basic-client', 'basic-secret') });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json.scope, 'openid email');
    const me = await request(`${srv.issuer}/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    assert.equal(me.json.email, 'carol@example.test');
  });

  test('redirect URIs: defaults and pageOrigins are registered, others are refused', T, async () => {
    const { challenge } = pkcePair();
    for (const redirectUri of ['http://localhost:8000/callback.html', 'http://localhost:8123/callback.html']) {
      const r = await request(authUrl(srv.issuer, {
        client_id: 'public-client', response_type: 'code', redirect_uri: redirectUri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256',
      }), { headers: { accept: 'text/html' } });
      assert.equal(r.status, 303);
      assert.match(r.headers.get('location'), /^\/interaction\//, redirectUri);
    }
    const bad = await request(authUrl(srv.issuer, {
      client_id: 'public-client', response_type: 'code', redirect_uri: 'http://127.0.0.1:9999/callback.html', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256',
    }), { headers: { accept: 'text/html' } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /redirect_uri/);
  });

  test('device flow: authorization, pending poll, completion over HTTP', T, async () => {
    const d = await request(`${srv.issuer}/device/auth`, { method: 'POST', form: { client_id: 'public-client', scope: 'openid api:read' } });
    assert.equal(d.status, 200, d.text);
    assert.ok(d.json.device_code && d.json.user_code && d.json.verification_uri_complete);
    const poll = () => token(srv.issuer, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: d.json.device_code, client_id: 'public-client',
    });
    const pending = await poll();
    assert.equal(pending.status, 400);
    assert.equal(pending.json.error, 'authorization_pending');

    // the user enters the code, confirms, logs in, consents
    const steps = await completeDeviceFlowOverHttp(srv.issuer, d.json.user_code, 'bob');
    assert.deepEqual(steps, ['user_code', 'confirm', 'login', 'consent', 'success']);

    const done = await poll();
    assert.equal(done.status, 200, done.text);
    assert.equal(decodeJwt(done.json.access_token).payload.sub, 'bob');
    assert.ok(done.json.refresh_token);
  });

  test('CORS allowed: preflight and cross-origin POST get Access-Control-Allow-Origin', T, async () => {
    for (const path of ['/token', '/device/auth', '/token/revocation', '/token/introspection']) {
      const pre = await preflight(`${srv.issuer}${path}`);
      assert.equal(pre.status, 204, path);
      assert.equal(pre.headers.get('access-control-allow-origin'), PAGE_ORIGIN, path);
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/, path);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/i, path);
    }
    const r = await token(srv.issuer, { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic('basic-client', 'basic-secret'), origin: PAGE_ORIGIN });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    // errors are readable cross-origin too
    const bad = await token(srv.issuer, { grant_type: 'client_credentials' },
      { authorization: basic('basic-client', 'nope'), origin: PAGE_ORIGIN });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    const pw = await token(srv.issuer, { grant_type: 'password', username: 'alice', password: 'nope', client_id: 'post-client', client_secret: 'post-secret' },
      { origin: PAGE_ORIGIN });
    assert.equal(pw.status, 400);
    assert.equal(pw.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  });
});

describe('oidc test server (cors refuse)', () => {
  let srv;
  before(async () => { srv = await startOidcServer({ cors: 'refuse' }); });
  after(async () => { await srv?.close(); });

  test('CORS refused: no Access-Control-Allow-Origin on preflight or POST; non-browser calls work', T, async () => {
    for (const path of ['/token', '/device/auth', '/token/revocation', '/token/introspection']) {
      const pre = await preflight(`${srv.issuer}${path}`);
      assert.equal(pre.headers.get('access-control-allow-origin'), null, path);
    }
    const r = await token(srv.issuer, { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic('basic-client', 'basic-secret'), origin: PAGE_ORIGIN });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'invalid_request');
    // no Origin header (a server-side caller): works
    const ok = await token(srv.issuer, { grant_type: 'client_credentials', scope: 'api:read' },
      { authorization: basic('basic-client', 'basic-secret') });
    assert.equal(ok.status, 200, ok.text);
    // discovery and JWKS stay public
    const disc = await request(`${srv.issuer}/.well-known/openid-configuration`, { headers: { origin: PAGE_ORIGIN } });
    assert.equal(disc.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  });
});

describe('startOidcServer', () => {
  test('fixed port, close() frees it and is idempotent; bad cors value rejected', T, async () => {
    const a = await startOidcServer({ port: 0 });
    const { port } = a;
    await a.close();
    await a.close();
    const b = await startOidcServer({ port });
    assert.equal(b.issuer, `http://127.0.0.1:${port}`);
    await b.close();
    await assert.rejects(startOidcServer({ cors: 'maybe' }), TypeError);
  });
});

// A stand-in for the page under test: /index.html (listens for the popup's message) and
// /callback.html (posts its URL to the opener and closes when it is a popup). Playwright's
// route() does not see the redirect that ends a navigation, so this is a real server.
async function startAppServer() {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (pathname === '/callback.html') {
      res.end('<!DOCTYPE html><title>callback</title><p>callback</p><script>'
        + 'if (window.opener) { window.opener.postMessage(location.href, "*"); window.close(); }</script>');
    } else if (pathname === '/index.html') {
      res.end('<!DOCTYPE html><title>app</title><script>'
        + 'window.got = new Promise((r) => addEventListener("message", (e) => r(e.data)));</script>');
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

describe('consent.mjs with Chromium', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed` }, () => {
  let srv;
  let refusing;
  let app;
  let browser;
  /** Runs fn in a fresh browser context (its own cookies: a new sign-in), closed afterwards. */
  const inContext = async (fn) => {
    const context = await browser.newContext();
    try {
      return await fn(context);
    } finally {
      await context.close();
    }
  };
  before(async () => {
    app = await startAppServer();
    srv = await startOidcServer({ cors: 'allow', pageOrigins: [app.origin] });
    refusing = await startOidcServer({ cors: 'refuse', pageOrigins: [app.origin] });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 20000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    await refusing?.close();
    await app?.close();
  });

  test('completeLogin: login + consent, lands on the redirect URI with a code', { timeout: 30000 }, async () => {
    const redirectUri = `${app.origin}/callback.html`;
    await inContext(async (context) => {
      const page = await context.newPage();
      const { verifier, challenge } = pkcePair();
      const params = (state, scope) => ({
        client_id: 'public-client',
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      await page.goto(authUrl(srv.issuer, params('st-1', 'openid profile api:read')), { waitUntil: 'domcontentloaded', timeout: 10000 });
      assert.match(page.url(), /\/interaction\//);
      const result = await completeLogin(page, { username: 'alice' });
      assert.deepEqual(result.steps, ['login', 'consent']);
      assert.equal(result.closed, false);
      const final = new URL(result.url);
      assert.equal(`${final.origin}${final.pathname}`, redirectUri);
      assert.equal(final.searchParams.get('state'), 'st-1');
      const code = final.searchParams.get('code');
      assert.ok(code, result.url);
      await page.waitForURL((u) => u.href.startsWith(redirectUri), { timeout: 5000 });
      assert.equal(await page.title(), 'callback');

      const t = await token(srv.issuer, {
        grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'public-client', code_verifier: verifier,
      });
      assert.equal(t.status, 200, t.text);
      assert.equal(decodeJwt(t.json.id_token).payload.sub, 'alice');

      // Second authorization in the same browser: session and grant exist, nothing to do.
      await page.goto(authUrl(srv.issuer, params('st-2', 'openid profile api:read')), { waitUntil: 'domcontentloaded', timeout: 10000 });
      assert.equal(new URL(page.url()).searchParams.get('state'), 'st-2');
      assert.ok(new URL(page.url()).searchParams.get('code'));

      // More scopes than granted: consent only.
      await page.goto(authUrl(srv.issuer, params('st-3', 'openid profile email api:read')), { waitUntil: 'domcontentloaded', timeout: 10000 });
      const again = await completeLogin(page);
      assert.deepEqual(again.steps, ['consent']);
      assert.equal(new URL(again.url).searchParams.get('state'), 'st-3');
    });
  });

  test('completeLogin in a popup that closes itself from its callback page', { timeout: 30000 }, async () => {
    await inContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${app.origin}/index.html`, { timeout: 10000 });
      const { challenge } = pkcePair();
      const url = authUrl(srv.issuer, {
        client_id: 'public-client', response_type: 'code', redirect_uri: `${app.origin}/callback.html`, scope: 'openid', state: 'pop', code_challenge: challenge, code_challenge_method: 'S256',
      });
      const [popup] = await Promise.all([
        page.waitForEvent('popup', { timeout: 10000 }),
        page.evaluate((u) => { window.open(u, 'login', 'width=500,height=600'); }, url),
      ]);
      await popup.waitForURL(/\/interaction\//, { waitUntil: 'domcontentloaded', timeout: 10000 });
      const result = await completeLogin(popup, { username: 'bob' });
      assert.deepEqual(result.steps, ['login', 'consent']);
      const posted = await page.evaluate(() => window.got);
      assert.equal(new URL(posted).searchParams.get('state'), 'pop');
      assert.ok(new URL(posted).searchParams.get('code'));
      assert.ok(new URL(result.url).searchParams.get('code'));
      if (!popup.isClosed()) await popup.waitForEvent('close', { timeout: 5000 });
      assert.ok(popup.isClosed());
    });
  });

  test('completeLogin for the device flow (verification_uri_complete and typed user code)', { timeout: 30000 }, async () => {
    await inContext(async (context) => {
      for (const typed of [false, true]) {
        const d = await request(`${srv.issuer}/device/auth`, { method: 'POST', form: { client_id: 'public-client', scope: 'openid api:read' } });
        assert.equal(d.status, 200, d.text);
        const page = await context.newPage();
        await page.goto(typed ? d.json.verification_uri : d.json.verification_uri_complete, { waitUntil: 'domcontentloaded', timeout: 10000 });
        const result = await completeLogin(page, { username: 'bob', userCode: typed ? d.json.user_code : undefined });
        const expected = typed ? ['user_code', 'confirm', 'login', 'consent', 'success'] : ['confirm', 'login', 'consent', 'success'];
        if (typed) expected.splice(2, 2); // same browser session: already logged in and consented
        assert.deepEqual(result.steps, expected);
        const t = await token(srv.issuer, {
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: d.json.device_code, client_id: 'public-client',
        });
        assert.equal(t.status, 200, t.text);
        assert.equal(decodeJwt(t.json.access_token).payload.sub, 'bob');
        await page.close();
      }
    });
  });

  test('cross-origin token calls from a page: allowed vs refused', { timeout: 30000 }, async () => {
    await inContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${app.origin}/index.html`, { timeout: 10000 });
      const call = (issuer, init) => page.evaluate(async ([url, options]) => {
        try {
          const res = await fetch(url, options);
          return { status: res.status, body: await res.json() };
        } catch (err) {
          return { fetchError: String(err) };
        }
      }, [`${issuer}/token`, init]);
      const withBasic = {
        method: 'POST',
        headers: { authorization: basic('special-client', SPECIAL_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      };
      const withPost = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password', username: 'alice', password: 'wonderland', client_id: 'post-client', client_secret: 'post-secret',
        }).toString(),
      };
      const badPassword = { ...withPost, body: withPost.body.replace('wonderland', 'nope') };

      let r = await call(srv.issuer, withBasic); // preflighted (Authorization header)
      assert.equal(r.status, 200, JSON.stringify(r));
      assert.equal(r.body.token_type, 'Bearer');
      r = await call(srv.issuer, withPost); // simple request, no preflight
      assert.equal(r.status, 200, JSON.stringify(r));
      assert.ok(r.body.refresh_token);
      r = await call(srv.issuer, badPassword);
      assert.deepEqual(r, { status: 400, body: { error: 'invalid_grant', error_description: 'invalid username or password' } });

      for (const init of [withBasic, withPost]) {
        r = await call(refusing.issuer, init);
        assert.match(r.fetchError ?? '', /TypeError: Failed to fetch/, JSON.stringify(r));
      }
    });
  });
});
