// Every grant through the real page against a real oidc-provider on loopback: Authorization Code
// (with PKCE for a public client), Password and Client Credentials with both client authentication
// methods, a secret with special characters, and the failures a person meets on the way (wrong
// secret or password, a tampered state, a closed popup, Cancel, a provider without CORS). The page is
// driven like a person does it and read back only through window.oauthSetup.snapshot().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, snapshot, screenshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, GRANT, AUTH, reveal, press, type, configure, endpointsOf, outcome, idle,
  openConsent, getToken, getTokenWithConsent, jwtPayload, assertTokenShown, assertError,
} from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { USERS, SPECIAL_SECRET, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'grants', refusing: true });
const { withPage } = rig;
let server; let oidc; let endpoints; let refusingEndpoints;
rig.ready(() => {
  ({ server, oidc } = rig);
  [endpoints, refusingEndpoints] = [endpointsOf(rig.meta), endpointsOf(rig.refusingMeta)];
});

// Every grant type with both client authentication methods.
const CASES = [
  ['authorization_code', 'header', 'basic-client', 'openid api:read'],
  ['authorization_code', 'body', 'post-client', 'openid api:read'],
  ['password', 'header', 'basic-client', 'api:read'],
  ['password', 'body', 'post-client', 'api:read'],
  ['client_credentials', 'header', 'basic-client', 'api:read'],
  ['client_credentials', 'body', 'post-client', 'api:read'],
];

for (const [grant, auth, clientId, scope] of CASES) {
  test(`${GRANT[grant]} with "${AUTH[auth]}" (${clientId}) connects`, T, async () => {
    await withPage(async (page) => {
      await configure(page, {
        grant, auth, clientId, secret: CLIENTS[clientId].secret, scope, endpoints,
        username: 'alice', password: USERS.alice,
      });
      const snap = grant === 'authorization_code' ? (await getTokenWithConsent(page, { signIn: true })).snap : await getToken(page);
      await assertTokenShown(page, snap, { clientId });
      if (grant !== 'client_credentials') assert.equal(jwtPayload(snap.token.access_token).sub, 'alice');
      if (grant === 'authorization_code') assert.ok(snap.token.id_token, 'openid scope gives an ID token');
      await screenshot(page, `setup-connected-${grant}-${auth}`);
      assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
    });
  });
}

test('Authorization Code with PKCE (S256) for a public client without a secret', T, async () => {
  await withPage(async (page, context) => {
    const authRequests = [];
    context.on('request', (r) => { if (r.url().startsWith(endpoints.authorization)) authRequests.push(new URL(r.url())); });
    await configure(page, {
      grant: 'authorization_code', auth: 'body', clientId: 'public-client', secret: '', scope: 'openid api:read', endpoints,
    });
    const snap = (await getTokenWithConsent(page, { username: 'bob', signIn: true })).snap;
    await assertTokenShown(page, snap, { clientId: 'public-client' });
    assert.equal(jwtPayload(snap.token.access_token).sub, 'bob');
    assert.ok(authRequests.length >= 1, 'the popup asked the authorization endpoint');
    const q = authRequests[0].searchParams;
    assert.equal(q.get('client_id'), 'public-client');
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok((q.get('state') ?? '').length >= 16, `an unguessable state: ${q.get('state')}`);
    assert.equal(q.get('redirect_uri'), new URL('callback.html', server.url).href);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

for (const [clientId, auth] of [['special-client', 'header'], ['special-post-client', 'body']]) {
  test(`a secret with special characters (${JSON.stringify(SPECIAL_SECRET)}) sent "${AUTH[auth]}"`, T, async () => {
    await withPage(async (page) => {
      await configure(page, {
        grant: 'client_credentials', auth, clientId, secret: SPECIAL_SECRET, scope: 'api:read', endpoints, keys: true,
      });
      const snap = await getToken(page);
      await assertTokenShown(page, snap, { clientId });
      assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
    });
  });
}

test('a wrong client secret: State "Error" with the provider\'s message', T, async () => {
  await withPage(async (page) => {
    await configure(page, {
      grant: 'client_credentials', auth: 'header', clientId: 'basic-client', secret: 'not-the-secret', scope: 'api:read', endpoints,
    });
    const snap = await getToken(page);
    assertError(snap, 'The token endpoint did not accept the client\'s credentials (invalid_client); check Client '
      + 'ID, Client Secret and Client Authentication. The provider says: "client authentication failed"');
    assert.equal(snap.token, null);
    await reveal(page, 'State');
    await screenshot(page, 'setup-error-wrong-secret');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('a wrong password: State "Error" with the provider\'s message', T, async () => {
  await withPage(async (page) => {
    await configure(page, {
      grant: 'password', auth: 'body', clientId: 'post-client', secret: CLIENTS['post-client'].secret, scope: 'api:read',
      endpoints, username: 'alice', password: 'not-wonderland', keys: true,
    });
    const snap = await getToken(page);
    assertError(snap, 'The token endpoint rejected the grant (invalid_grant): the code, refresh token or user '
      + 'credentials are invalid, expired, already used or issued to another client. The provider says: "invalid '
      + 'username or password"');
    assert.equal(snap.token, null);
    await screenshot(page, 'setup-error-wrong-password');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('a tampered state in the callback is refused', T, async () => {
  await withPage(async (page, context) => {
    // Playwright does not route the hops of a redirect, so the provider's redirect to
    // callback.html cannot be rewritten on the way. Instead the first callback.html runs without
    // its script (it hands nothing over), and the popup then goes to the same callback URL, with
    // the real code, but another state.
    let callbackScript = false;
    let blanked;
    const firstCallbackBlanked = new Promise((resolve) => { blanked = resolve; });
    await context.route('**/callback.js', async (route) => {
      if (callbackScript) return route.continue();
      await route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
      blanked();
    });
    await configure(page, {
      grant: 'authorization_code', auth: 'header', clientId: 'basic-client', secret: CLIENTS['basic-client'].secret,
      scope: 'openid', endpoints,
    });
    const popup = await openConsent(page, oidc.issuer);
    const login = await completeLogin(popup, { username: 'alice' });
    const callback = new URL(login.url);
    assert.equal(callback.pathname, '/callback.html', `the provider redirected to the callback: ${login.url}`);
    assert.ok(callback.searchParams.get('code'), 'with a code');
    assert.ok(callback.searchParams.get('state'), 'and a state');
    // The first callback page must have been served its blank script before the real one is let
    // through again (completeLogin returns as soon as the popup leaves the provider).
    await firstCallbackBlanked;
    await popup.waitForLoadState('load').catch(() => {});
    assert.equal((await snapshot(page)).busy, true, 'still waiting for the callback');
    callback.searchParams.set('state', `forged-${callback.searchParams.get('state')}`);
    callbackScript = true;
    await popup.goto(callback.href).catch(() => {}); // the callback closes itself at once
    // A callback with another state may be another tab's sign-in: it is ignored, and once the
    // popup has closed the Error says so. No token request is made with the forged callback's code.
    const snap = await outcome(page);
    assertError(snap, /^The consent window closed, and the only callback that arrived carried another state \(another tab's sign-in, or a forged one\), so it was ignored \(CSRF protection, RFC 6749 section 10\.12\)\. Press Get Access Token to try again\.$/);
    assert.equal(snap.token, null);
    assert.deepEqual(snap.log.filter((e) => e.step === 'Token request'), [], 'no token request');
    await screenshot(page, 'setup-error-forged-state');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

/** Starts the Authorization Code flow for basic-client; resolves to the popup on the provider's login page. */
async function loginShown(page) {
  await configure(page, {
    grant: 'authorization_code', auth: 'header', clientId: 'basic-client', secret: CLIENTS['basic-client'].secret,
    scope: 'openid', endpoints,
  });
  const popup = await openConsent(page, oidc.issuer);
  await popup.waitForSelector('input[name="login"]', { timeout: 10000 });
  assert.equal((await snapshot(page)).busy, true, 'busy while the popup is open');
  return popup;
}

test('closing the consent popup before consenting ends the attempt with State "Error"', T, async () => {
  await withPage(async (page) => {
    const popup = await loginShown(page);
    await screenshot(page, 'setup-waiting-for-consent');
    await popup.close();
    const snap = await outcome(page);
    assertError(snap, 'The consent window was closed before the provider sent you back, so no authorization code '
      + 'arrived. Press Get Access Token to try again.');
    assert.equal(snap.token, null);
    await screenshot(page, 'setup-error-popup-closed');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('Cancel while waiting for consent stops the grant', T, async () => {
  await withPage(async (page) => {
    const popup = await loginShown(page);
    await press(page, 'Cancel');
    const snap = await idle(page);
    assert.equal(snap.busy, false);
    assert.notEqual(snap.state, 'Connected');
    assert.equal(snap.token, null);
    await settle(page);
    await reveal(page, 'Get Access Token'); // the button is back
    if (!popup.isClosed()) await popup.close();
    // Nothing arrives later: still not connected.
    await page.waitForTimeout(500);
    const later = await snapshot(page);
    assert.equal(later.busy, false);
    assert.notEqual(later.state, 'Connected');
  });
});

test('a provider that refuses CORS: State "Error" that says the browser was refused', T, async () => {
  await withPage(async (page) => {
    await configure(page, {
      grant: 'client_credentials', auth: 'header', clientId: 'basic-client', secret: CLIENTS['basic-client'].secret,
      scope: 'api:read', endpoints: refusingEndpoints,
    });
    const snap = await getToken(page);
    assertError(snap, `The token endpoint at ${new URL(refusingEndpoints.token).host} answered but refused this page `
      + '(CORS): the provider does not allow browser calls from this page\'s origin. To send it through this page\'s own '
      + 'server instead, start the CORS relay (./scripts/run.sh starts it by default; serve.py --relay) and turn on '
      + '"Use CORS relay".');
    assert.equal(snap.token, null);
    await screenshot(page, 'setup-error-cors');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});
