// Export and import through the real page: Export All with and without secrets, Import merging by
// Token Name and refusing a file that is not an export, the status that says what an import did, and
// Postman collections (the page's own download, and a hand-written one with variables) read back as
// profiles. (newman running the page's collections is in postman.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { settle, snapshot, screenshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, FIXTURES, selectedOf, reveal, tap, configure, endpointsOf, getToken, assertConnected, download,
  importFile,
} from './lib/app.mjs';
import { USERS, CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'export' });
const { withPage, seed, client } = rig;
let meta; let tmp;
rig.ready(() => { ({ meta, tmp } = rig); });

// ---- export and import --------------------------------------------------------------------------

test('Export All leaves secrets out unless ticked; Import merges the file by Token Name', T, async () => {
  const names = ['Export password', 'Export service'];
  const secrets = [CLIENTS['basic-client'].secret, CLIENTS['post-client'].secret, USERS.alice];
  let token;
  await withPage(async (page) => {
    // (The form's own round trip is in the Postman test, which types its profile.)
    await seed(page,
      client('basic-client', 'password', { tokenName: names[0], introspectionUrl: '', deviceAuthorizationUrl: '' }),
      client('post-client', 'client_credentials', { tokenName: names[1], scopes: 'api:read api:write' }));
    const snap = await getToken(page);
    assertConnected(snap);
    token = snap.token;
    const text = (await download(page, 'Export All', path.join(tmp, 'export-plain.json'))).text;
    const plain = JSON.parse(text);
    assert.equal(plain.format, 'oauth-setup-profiles');
    assert.equal(plain.version, 1);
    assert.deepEqual(plain.profiles.map((p) => p.tokenName), ['New Profile', ...names]);
    for (const s of [...secrets, token.access_token, token.refresh_token]) assert.ok(!text.includes(s), `no "${s.slice(0, 12)}…" in the file`);
    const exported = plain.profiles[1];
    assert.equal(exported.clientId, 'basic-client');
    assert.equal(exported.username, 'alice');
    assert.equal(exported.revocationUrl, meta.revocation_endpoint);
    assert.equal(exported.clientSecret ?? '', '');
    assert.equal(exported.password ?? '', '');
    assert.equal(exported.lastToken ?? null, null);
    assert.equal((await snapshot(page)).status, 'Exported 3 profiles (secrets and tokens left out).');

    await tap(page, 'With secrets');
    const withSecrets = JSON.parse((await download(page, 'Export All', path.join(tmp, 'export-secrets.json'))).text);
    assert.equal(withSecrets.profiles[1].clientSecret, CLIENTS['basic-client'].secret);
    assert.equal(withSecrets.profiles[1].password, USERS.alice);
    assert.equal(withSecrets.profiles[1].lastToken.access_token, token.access_token);
    assert.equal(withSecrets.profiles[2].clientSecret, CLIENTS['post-client'].secret);
  });

  await withPage(async (page) => {
    let snap = await importFile(page, path.join(tmp, 'export-plain.json'));
    assert.deepEqual(snap.profiles.map((p) => p.tokenName), ['New Profile', ...names]);
    const a = snap.profiles.find((p) => p.tokenName === names[0]);
    assert.equal(a.clientId, 'basic-client');
    assert.equal(a.grantType, 'password');
    assert.equal(a.username, 'alice');
    assert.equal(a.clientSecret, '');
    assert.equal(a.password, '');
    assert.equal(a.accessTokenUrl, meta.token_endpoint);
    assert.equal(snap.profiles.find((p) => p.tokenName === names[1]).scopes, 'api:read api:write');
    await reveal(page, 'Import');
    await screenshot(page, 'beyond-import');

    // The same names again (one in another letter case), with secrets: merged, not duplicated.
    const upper = JSON.parse(readFileSync(path.join(tmp, 'export-secrets.json'), 'utf8'));
    upper.profiles[2].tokenName = names[1].toUpperCase();
    writeFileSync(path.join(tmp, 'export-secrets-upper.json'), JSON.stringify(upper));
    snap = await importFile(page, path.join(tmp, 'export-secrets-upper.json'),
      (s) => s.profiles.find((p) => p.tokenName.toLowerCase() === names[1].toLowerCase())?.clientSecret);
    assert.equal(snap.profiles.length, 3, JSON.stringify(snap.profiles.map((p) => p.tokenName)));
    assert.equal(snap.profiles.find((p) => p.tokenName === names[0]).clientSecret, CLIENTS['basic-client'].secret);
    assert.equal(snap.profiles.find((p) => p.tokenName === names[0]).lastToken.access_token, token.access_token);

    // A file that is not an export is refused with a reason, and nothing changes.
    snap = await importFile(page, path.join(FIXTURES, 'not-an-export.txt'));
    assert.match(snap.status, /^Nothing imported from not-an-export\.txt/);
    assert.equal(snap.profiles.length, 3);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('Import reports what it did in the status', {
  ...T,
}, async () => {
  await withPage(async (page) => {
    let snap = await importFile(page, path.join(FIXTURES, 'profiles-export.json'),
      (s) => s.profiles.length === 3);
    await settle(page);
    snap = await snapshot(page);
    await screenshot(page, 'beyond-import-report');
    assert.match(snap.status, /^Imported 2 profiles: 2 added \(Orders service, Orders user\)/, `status: "${snap.status}"`);
    snap = await importFile(page, path.join(FIXTURES, 'postman-billing-collection.json'),
      (s) => s.profiles.length === 4);
    await settle(page);
    snap = await snapshot(page);
    assert.match(snap.status, /^Imported 1 profile from the Postman collection/, `status: "${snap.status}"`);
  });
});

test('Postman: the downloaded collection imports into a profile with the same settings', T, async () => {
  const settings = {
    tokenName: 'Postman round trip', grant: 'authorization_code', auth: 'header', clientId: 'basic-client',
    secret: CLIENTS['basic-client'].secret, scope: 'openid api:read', authUrlParams: 'prompt=consent',
  };
  let original;
  await withPage(async (page) => {
    original = await configure(page, { ...settings, endpoints: endpointsOf(meta) });
    const text = (await download(page, 'Download Postman Collection', path.join(tmp, 'postman.json'))).text;
    const collection = JSON.parse(text);
    assert.match(collection.info.schema, /collection\/v2\.1\.0/);
    assert.ok(!text.includes(settings.secret), 'no secret unless "Include secrets in exports"');
    const auth = collection.auth ?? collection.item?.[0]?.request?.auth;
    assert.equal(auth?.type, 'oauth2', text);
    const kv = Object.fromEntries(auth.oauth2.map((e) => [e.key, e.value]));
    assert.equal(kv.accessTokenUrl, meta.token_endpoint);
    assert.equal(kv.authUrl, meta.authorization_endpoint);
    assert.equal(kv.clientId, 'basic-client');
    assert.equal(kv.scope, 'openid api:read');
    await tap(page, 'Include secrets in exports');
    const full = (await download(page, 'Download Postman Collection', path.join(tmp, 'postman-secrets.json'))).text;
    assert.ok(full.includes(settings.secret), 'ticked: the secret is in the collection');
  });
  await withPage(async (page) => {
    const snap = await importFile(page, path.join(tmp, 'postman.json'), (s) => s.profiles.length === 2);
    const p = selectedOf(snap);
    assert.equal(p.tokenName, settings.tokenName);
    for (const key of ['grantType', 'clientId', 'scopes', 'clientAuthentication', 'authorizationUrl', 'accessTokenUrl',
      'authUrlParams', 'redirectUrl']) {
      assert.equal(p[key], original[key], key);
    }
    assert.equal(p.clientSecret, '');
  });
});

test('Postman: a hand-written collection with variables imports as a profile', T, async () => {
  await withPage(async (page) => {
    const snap = await importFile(page, path.join(FIXTURES, 'postman-billing-collection.json'), (s) => s.profiles.length === 2);
    const p = selectedOf(snap);
    assert.match(p.tokenName, /Billing/);
    assert.equal(p.grantType, 'client_credentials');
    assert.equal(p.accessTokenUrl, 'https://sso.example.test/realms/billing/protocol/openid-connect/token');
    assert.equal(p.clientId, 'billing-service');
    assert.equal(p.clientSecret, 'billing-s3cret');
    assert.equal(p.scopes, 'billing:read billing:write');
    assert.equal(p.clientAuthentication, 'body');
  });
});
