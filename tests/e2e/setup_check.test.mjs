// The "Setup check" panel through the real page: each rule read from the profile as typed, the
// provider's metadata after Discover (the demo oidc-provider, and a stand-in whose RFC 8414 members
// offer plain PKCE and the implicit grant, announce no iss and require PAR) and what the last run
// showed (the callback's iss, the ID token's nonce, a refresh with and without rotation).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, snapshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, type, press, reveal, waitFor, getToken, getTokenWithConsent, assertConnected, discoverWith, setupCheck,
} from './lib/app.mjs';
import { field } from './lib/mirror.mjs';
import { startMetadataStandIn } from './lib/metadata_standin.mjs';
import { startOidcServer } from '../../demo/server.mjs';

const T = { timeout: 90000 };
const rig = useRig({ name: 'setup-check' });
const { withPage, seed, client } = rig;
let meta; let standIn; let keeping; let keepingMeta;
rig.ready(async () => {
  ({ meta } = rig);
  standIn = await startMetadataStandIn(meta);
  // A second demo server that never rotates refresh tokens (oidc-provider's rotateRefreshToken: false).
  keeping = await startOidcServer({ port: 0, cors: 'allow', pageOrigins: [new URL(rig.server.url).origin], rotateRefreshToken: false });
  keepingMeta = await (await fetch(`${keeping.issuer}/.well-known/openid-configuration`)).json();
});
after(async () => { await Promise.all([standIn?.close(), keeping?.close()]); });

const FILLED = 'Endpoints filled in from the provider\'s metadata.';
const verdicts = (rows) => Object.fromEntries(Object.values(rows).map((r) => [r.rule, r.verdict]));

function assertRow(rows, rule, verdict, sentence) {
  assert.ok(rows[rule], `a row for ${rule}: ${JSON.stringify(Object.keys(rows))}`);
  assert.equal(rows[rule].verdict, verdict, `${rule}: ${rows[rule].sentence}`);
  assert.equal(rows[rule].sentence, sentence);
}

/** Each rule's row of `expected` ({rule: [verdict, sentence]}) as assertRow checks one. */
function assertRows(rows, expected) {
  for (const [rule, [verdict, sentence]] of Object.entries(expected)) assertRow(rows, rule, verdict, sentence);
}

const REFRESH_NOT_YET = 'Not checked yet: get a token with a refresh token, then press Refresh to see whether the '
  + 'provider rotates it.';

// Refresh, until its answer was handled (an ID token in it is verified after it: a JWKS fetch may follow).
async function refresh(page) {
  const refreshes = (s) => s.log.filter((e) => e.step === 'Refresh');
  const before = refreshes(await snapshot(page)).length;
  await press(page, 'Refresh');
  const snap = await waitFor(page, (s) => !s.busy && refreshes(s).length > before && refreshes(s).at(-1).finished,
    'the refresh');
  assertConnected(snap);
  return snap;
}

test('the demo provider, discovered and signed in to by a public client: every rule passes, rotation seen on Refresh', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('public-client', 'authorization_code', { discoveryUrl: meta.issuer }));
    let rows = await setupCheck(page);
    assertRows(rows, {
      pkce_s256: ['not checked yet',
        'Not checked yet: press Discover to read the provider\'s code_challenge_methods_supported.'],
      nonce: ['not checked yet',
        'Not checked yet: press Get Access Token; a nonce goes with the request and is checked in the ID token.'],
    });
    assert.equal((await discoverWith(page, meta.issuer)).status, FILLED);
    const { snap } = await getTokenWithConsent(page);
    assertConnected(snap);
    rows = await setupCheck(page);
    assertRows(rows, {
      pkce_s256: ['pass', 'The provider offers S256 and not plain, and this page always sends an S256 code challenge.'],
      iss_parameter: ['pass', 'The provider announces the iss response parameter and the last '
        + 'callback carried it, so an answer from another provider is detected.'],
      password_or_implicit: ['pass',
        'This profile does not use the password grant, and the provider does not offer the implicit grant.'],
      http_endpoints: ['pass', 'Every URL of this profile uses https, or plain http on loopback only.'],
      client_secret_in_browser: ['pass', 'No Client Secret: a public client, as an app in a browser should be.'],
      issuer_matches_discovery: ['pass', `The issuer "${meta.issuer}" is the one the Issuer / Discovery URL names.`],
      nonce: ['pass', 'The nonce this page sent came back in the ID token, so the token belongs to this sign-in.'],
      refresh_token_protection: ['not checked yet', REFRESH_NOT_YET],
    });
    assert.equal(rows.pkce_s256.section, 'RFC 9700 section 2.1.1');
    // oidc-provider rotates a public client's refresh tokens unless told otherwise.
    await refresh(page);
    rows = await setupCheck(page);
    assertRow(rows, 'refresh_token_protection', 'pass', 'The last refresh returned a new refresh token, so the '
      + 'provider rotates them and a stolen one stops working.');
    // Each row is text captioned with its rule in items() (found in sight, scrolled to as a person
    // would), and a labelled read-only text in the mirror.
    for (const caption of ['Setup check', 'PKCE with S256', 'iss in the callback', 'Password and implicit grants',
      'https endpoints', 'Client secret in a browser', 'Refresh token protection',
      'PAR and DPoP the provider requires', 'Issuer matches the discovery URL', 'Nonce in the ID token']) {
      const it = await reveal(page, caption);
      assert.ok(it.visible && it.h >= 10, `"${caption}" is in sight: ${JSON.stringify(it)}`);
    }
    assert.equal(await field(page, 'Nonce in the ID token').inputValue(), 'pass: The nonce this page sent came back '
      + 'in the ID token, so the token belongs to this sign-in. (OpenID Connect Core 1.0 sections 3.1.2.1 and 3.1.3.7)');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a provider that keeps refresh tokens, and a token response without an ID token: fail and warning', T, async () => {
  await withPage(async (page) => {
    // A provider that takes openid as a plain OAuth scope answers without an id_token.
    await page.route(keepingMeta.token_endpoint, async (route) => {
      const response = await route.fetch();
      let body = await response.text();
      if (/grant_type=authorization_code/.test(route.request().postData() ?? '')) {
        const { id_token: _dropped, ...rest } = JSON.parse(body);
        body = JSON.stringify(rest);
      }
      await route.fulfill({ response, body });
    });
    await seed(page, {
      ...client('public-client', 'authorization_code'),
      issuer: keepingMeta.issuer, authorizationUrl: keepingMeta.authorization_endpoint,
      accessTokenUrl: keepingMeta.token_endpoint, revocationUrl: '', introspectionUrl: '', deviceAuthorizationUrl: '',
    });
    const { snap } = await getTokenWithConsent(page);
    assertConnected(snap);
    assert.equal(snap.token.id_token, undefined);
    let rows = await setupCheck(page);
    assertRow(rows, 'nonce', 'warning', 'A nonce was sent, but the token response had no ID token, so it could not '
      + 'be checked; the provider takes openid as a plain scope.');
    const kept = snap.token.refresh_token;
    const refreshed = await refresh(page);
    assert.equal(refreshed.token.refresh_token, kept, 'the same refresh token came back');
    rows = await setupCheck(page);
    assertRow(rows, 'refresh_token_protection', 'fail', 'The last refresh kept the same refresh token, which is not '
      + 'sender-constrained either, so a stolen one keeps working; turn on refresh token rotation or DPoP at the provider.');
  });
});

test('a stand-in\'s metadata offering plain PKCE and implicit, announcing no iss and requiring PAR; then another issuer typed', T, async () => {
  await withPage(async (page) => {
    assert.equal((await discoverWith(page, standIn.issuer)).status, FILLED);
    let rows = await setupCheck(page);
    assertRows(rows, {
      pkce_s256: ['warning', 'The provider offers S256 but also plain, which puts the verifier itself '
        + 'into the authorization request; turn plain off at the provider.'],
      iss_parameter: ['warning', 'The provider does not announce the iss response parameter '
        + '(authorization_response_iss_parameter_supported), so an answer from another provider is not detected; ask '
        + 'the provider to turn it on, or give each provider a Redirect URL of its own.'],
      password_or_implicit: ['warning', 'The provider offers the implicit grant '
        + '(response_types_supported lists "token"), which returns tokens in the browser\'s address bar; turn it off '
        + 'at the provider.'],
      par_dpop_required: ['pass', 'Pushed authorization requests are required by the provider '
        + '(require_pushed_authorization_requests), and this page pushes every authorization request of this profile to '
        + 'its pushed_authorization_request_endpoint.'],
      issuer_matches_discovery: ['pass', `The issuer "${standIn.issuer}" is the one the Issuer / Discovery URL names.`],
    });
    await reveal(page, 'Nonce in the ID token');
    await screenshot(page, 'setup-check-stand-in');
    // The Issuer / Discovery URL now names the demo server, but Issuer is still the stand-in's.
    await type(page, 'Issuer / Discovery URL', meta.issuer);
    rows = await setupCheck(page);
    assertRow(rows, 'issuer_matches_discovery', 'fail', `The issuer "${standIn.issuer}" differs from "${meta.issuer}", `
      + 'the Issuer / Discovery URL\'s, so callbacks are checked against another provider; press Discover again.');
  });
});

test('the password grant with a client secret, then an http token URL off loopback: fail, warning, fail', T, async () => {
  await withPage(async (page) => {
    await seed(page, rig.passwordProfile({ discoveryUrl: meta.issuer }));
    assert.equal((await discoverWith(page, meta.issuer)).status, FILLED);
    assertConnected(await getToken(page));
    let rows = await setupCheck(page);
    assertRows(rows, {
      password_or_implicit: ['fail', 'This profile uses the password grant, which hands the user\'s '
        + 'password to the client; use Authorization Code with PKCE instead.'],
      client_secret_in_browser: ['warning', 'This profile sends a Client Secret from a browser page, '
        + 'where whoever opens the page can read it; fine for a test, but an app in a browser should be a public client '
        + 'with PKCE, or leave the secret to its backend.'],
      par_dpop_required: ['pass', 'The provider\'s metadata requires nothing of this profile that it '
        + 'does not use.'],
      refresh_token_protection: ['does not apply', 'A confidential client: its refresh tokens only work '
        + 'with its client credentials, so this rule is for public clients.'],
      http_endpoints: ['pass', 'Every URL of this profile uses https, or plain http on loopback only.'],
    });
    // Typed, it cannot be fetched (the page refuses plain http off loopback), but the rule reads the profile.
    await type(page, 'Access Token URL', 'http://id.example.com/token');
    rows = await setupCheck(page);
    assertRow(rows, 'http_endpoints', 'fail', 'The Access Token URL uses plain http on a host that is not loopback, '
      + 'so codes, secrets and tokens cross the network unencrypted; use https.');
    assert.deepEqual(verdicts(rows), {
      pkce_s256: 'does not apply', iss_parameter: 'does not apply', password_or_implicit: 'fail',
      http_endpoints: 'fail', client_secret_in_browser: 'warning', refresh_token_protection: 'does not apply',
      par_dpop_required: 'pass', issuer_matches_discovery: 'pass', nonce: 'does not apply',
    });
  });
});
