// OIDC discovery through the real page: every endpoint filled exactly from the provider's metadata
// and saved, warnings about a grant, client authentication and PKCE method the provider does not
// list, its published scopes offered in a combo, and a document whose issuer is not the one asked for.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { settle, items, screenshot, unexpectedConsole } from './lib/browser.mjs';
import { useRig, ALLOWED, selectedOf, selected, reveal, tap, type, choose, waitFor } from './lib/app.mjs';
import { startMetadataServer } from './fixtures/metadata_server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'discovery' });
const { withPage } = rig;
let oidc; let meta; let metadataServer;
rig.ready(async () => { ({ oidc, meta } = rig); metadataServer = await startMetadataServer(); });
after(async () => { await metadataServer?.close(); });

const FILLED = 'Endpoints filled in from the provider\'s metadata.';

// ---- discovery ----------------------------------------------------------------------------------

test('discovery fills every endpoint exactly from the provider metadata', T, async () => {
  await withPage(async (page) => {
    await type(page, 'Issuer / Discovery URL', oidc.issuer);
    await tap(page, 'Discover');
    const snap = await waitFor(page, (s) => /Endpoints filled in|Discovery failed/.test(s.status), 'discovery');
    assert.equal(snap.status, FILLED);
    const p = selectedOf(snap);
    assert.equal(p.authorizationUrl, meta.authorization_endpoint);
    assert.equal(p.accessTokenUrl, meta.token_endpoint);
    assert.equal(p.deviceAuthorizationUrl, meta.device_authorization_endpoint);
    assert.equal(p.revocationUrl, meta.revocation_endpoint);
    assert.equal(p.introspectionUrl, meta.introspection_endpoint);
    assert.equal(p.issuer, meta.issuer);
    assert.deepEqual(snap.discoveryWarnings, [], 'a new profile (Basic auth, S256) fits this provider');
    const entry = snap.log.at(-1);
    assert.equal(entry.step, 'Discovery');
    assert.equal(entry.failed, false);
    assert.ok(entry.text.includes(`GET ${oidc.issuer}/.well-known/openid-configuration`), entry.text);
    // The discovered values are saved like typed ones.
    await page.reload();
    await page.evaluate(() => window.oauthSetup.ready);
    await settle(page);
    assert.equal((await selected(page)).introspectionUrl, meta.introspection_endpoint);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('discovery warns about a grant, client authentication and PKCE method the provider does not list', T, async () => {
  await withPage(async (page) => {
    const issuer = `${metadataServer.origin}/odd`;
    // A confidential client sent as a Basic header, with the Authorization Code grant (PKCE S256).
    await type(page, 'Client Secret', 'some-secret');
    await type(page, 'Issuer / Discovery URL', issuer);
    await tap(page, 'Discover');
    const snap = await waitFor(page, (s) => /Endpoints filled in|Discovery failed/.test(s.status), 'discovery');
    assert.equal(snap.status, FILLED);
    const p = selectedOf(snap);
    assert.equal(p.accessTokenUrl, `${issuer}/token`);
    assert.equal(p.authorizationUrl, `${issuer}/authorize`);
    const warnings = snap.discoveryWarnings.join('\n');
    assert.equal(snap.discoveryWarnings.length, 3, warnings);
    assert.match(warnings, /grant_types_supported.*authorization_code/, `a warning about the grant: ${warnings}`);
    assert.match(warnings, /token_endpoint_auth_methods_supported.*client_secret_basic/, `a warning about Basic auth: ${warnings}`);
    assert.match(warnings, /code_challenge_methods_supported.*S256/, `a warning about PKCE: ${warnings}`);
    await reveal(page, 'Discover');
    await screenshot(page, 'beyond-discovery-warnings');
  });
});

test('discovery: the provider\'s published scopes can be picked from "Add a published scope…"', {
  ...T,
}, async () => {
  await withPage(async (page) => {
    await type(page, 'Issuer / Discovery URL', oidc.issuer);
    await tap(page, 'Discover');
    await waitFor(page, (s) => s.status === FILLED, 'discovery');
    await type(page, 'Scope(s)', 'openid');
    const combo = (await items(page)).find((it) => /Add a published scope/.test(it.label));
    assert.ok(combo, `the combo is listed by items(): ${(await items(page)).map((it) => it.label).join(' | ')}`);
    await choose(page, /Add a published scope/, 'api:write');
    assert.match((await selected(page)).scopes, /\bopenid\b.*\bapi:write\b/);
  });
});

test('discovery refuses a document whose issuer is not the one asked for', T, async () => {
  await withPage(async (page) => {
    const before = await selected(page);
    await type(page, 'Issuer / Discovery URL', `${metadataServer.origin}/wrong`);
    await tap(page, 'Discover');
    const snap = await waitFor(page, (s) => /Endpoints filled in|Discovery failed/.test(s.status), 'discovery');
    assert.equal(snap.status, 'Discovery failed: The discovery document names issuer "https://someone-else.example", '
      + `not the expected "${metadataServer.origin}/wrong" (OpenID Connect Discovery 1.0 section 4.3); its endpoints `
      + 'were not used.');
    const p = selectedOf(snap);
    assert.equal(p.accessTokenUrl, before.accessTokenUrl, 'nothing filled in from a foreign document');
    assert.equal(p.authorizationUrl, before.authorizationUrl);
  });
});
