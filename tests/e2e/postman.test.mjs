// "A Postman request that works" (issue 9): the page's "Download Postman Collection", typed into
// like a person does, gives a collection that newman runs against the demo oidc-provider with no
// edit beyond filling the secret variables. Every download is checked against the official
// Postman Collection v2.1 schema and read by Bruno's importer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { snapshot, screenshot, unexpectedConsole } from './lib/browser.mjs';
import { useRig, selected, selectedOf, tap, type, configure, waitFor, download } from './lib/app.mjs';
import { schemaErrors, fillVariables, runNewman, brunoImport, dpopKey } from './lib/postman.mjs';
import { CLIENTS, USERS, SPECIAL_SECRET } from '../../demo/server.mjs';

const T = { timeout: 120000 };
const ALLOWED = [/GPU stall due to ReadPixels/];
const rig = useRig({ name: 'postman' });
const { withPage } = rig;
let oidc; let tmp;
rig.ready(() => { ({ oidc, tmp } = rig); });

/** Downloads the collection, checks the page's status, the schema and Bruno; resolves to the JSON. */
async function downloadCollection(page, name, { secrets = false } = {}) {
  const { text } = await download(page, 'Download Postman Collection', path.join(tmp, name));
  const snap = await snapshot(page);
  assert.equal(snap.status, `Postman collection downloaded${secrets ? ' (with secrets).' : ' (secrets left out).'}`);
  const collection = JSON.parse(text);
  assert.deepEqual(schemaErrors(collection), [], 'valid against the Postman Collection v2.1 schema');
  const bruno = await brunoImport(collection);
  assert.equal(bruno.items[0].name, '1. Get an access token', 'Bruno keeps the token request first');
  assert.equal(bruno.items[0].request.method, 'POST');
  assert.equal(bruno.items[0].request.url, '{{token_url}}');
  assert.equal(bruno.items[0].request.body.mode, 'formUrlEncoded');
  assert.equal(bruno.root.request.auth.mode, 'oauth2');
  return { collection, text };
}

const variable = (collection, key) => collection.variable.find((v) => v.key === key)?.value;
const names = (run) => run.executions.map((x) => `${x.name}: ${x.code}`);

function assertAllPassed(run, requests, assertions) {
  assert.deepEqual(run.failures, [], 'no failure');
  assert.equal(run.requests, requests, 'requests');
  assert.equal(run.failedRequests, 0);
  assert.equal(run.assertions, assertions, 'assertions');
  assert.equal(run.failedAssertions, 0);
  assert.equal(run.scriptErrors, 0);
}

// Basic credentials as RFC 6749 section 2.3.1 says, computed here independently of the page.
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)
  .replace(/%20/g, '+')}`).toString('base64')}`;

test('Client Credentials: the downloaded collection gets a token with newman once client_secret is filled', T, async () => {
  const issuer = oidc.issuer;
  await withPage(async (page) => {
    await configure(page, {
      tokenName: 'Newman service', grant: 'client_credentials', clientId: 'basic-client',
      secret: CLIENTS['basic-client'].secret, scope: 'api:read', auth: 'header',
    });
    await type(page, 'Access Token URL', `${issuer}/token`);
    await type(page, 'Introspection URL', `${issuer}/token/introspection`);
    const { collection, text } = await downloadCollection(page, 'cc.json');
    assert.ok(!text.includes(CLIENTS['basic-client'].secret), 'no secret in the file');
    assert.deepEqual(collection.variable.map((v) => [v.key, v.value]), [
      ['token_url', `${issuer}/token`], ['client_id', 'basic-client'], ['client_secret', ''], ['scope', 'api:read'],
      ['introspection_url', `${issuer}/token/introspection`], ['basic_credentials', ''], ['access_token', ''],
      ['refresh_token', ''],
    ]);
    assert.deepEqual(collection.item.map((i) => i.name), ['1. Get an access token', 'Check the token (introspection)']);

    const run = await runNewman(fillVariables(collection, { client_secret: CLIENTS['basic-client'].secret }));
    assertAllPassed(run, 2, 4);
    const [token, introspection] = run.executions;
    assert.equal(token.method, 'POST');
    assert.equal(token.url, `${issuer}/token`);
    assert.equal(token.code, 200);
    assert.equal(token.headers.Authorization, basic('basic-client', CLIENTS['basic-client'].secret));
    const issued = JSON.parse(token.body);
    assert.equal(issued.token_type, 'Bearer');
    assert.equal(issued.scope, 'api:read');
    assert.equal(introspection.code, 200);
    const info = JSON.parse(introspection.body);
    assert.equal(info.active, true);
    assert.equal(info.client_id, 'basic-client');
    assert.match(introspection.requestBody, new RegExp(`^token=${issued.access_token}&token_type_hint=access_token$`),
      'the stored access_token was sent');
    console.log(`newman, client credentials: ${run.requests} requests, ${run.assertions} assertions, ${run.failedAssertions} failed`);

    // A wrong secret: the provider's answer is in the failed assertion, the run says so.
    const wrong = await runNewman(fillVariables(collection, { client_secret: 'not-the-secret' }));
    assert.deepEqual(names(wrong), ['1. Get an access token: 401', 'Check the token (introspection): 401']);
    assert.deepEqual(wrong.executions[0].assertions, [
      { name: 'The token endpoint answers 200 OK', error: 'expected response to have status code 200 but got 401' },
      { name: 'The answer holds an access_token', error: 'error: invalid_client client authentication failed: expected undefined to be a string' },
    ]);
    assert.equal(wrong.failedAssertions, 4);

    // The special secret (":", "+", "/", "=", "%", space) only works when the script form-encodes it.
    await type(page, 'Client ID', 'special-client');
    await type(page, 'Client Secret', SPECIAL_SECRET);
    await tap(page, 'Include secrets in exports');
    const { collection: special } = await downloadCollection(page, 'cc-special.json', { secrets: true });
    assert.equal(variable(special, 'client_secret'), SPECIAL_SECRET, 'ticked: the secret is in the file');
    const specialRun = await runNewman(special);
    assertAllPassed(specialRun, 2, 4);
    assert.equal(specialRun.executions[0].headers.Authorization,
      `Basic ${Buffer.from('special-client:a%3Ab%2Bc%2Fd%3De%25f+g').toString('base64')}`);
    await screenshot(page, 'postman-client-credentials');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('Password: after Discover, the collection gets a token and calls UserInfo with it as Bearer', T, async () => {
  const issuer = oidc.issuer;
  await withPage(async (page) => {
    await type(page, 'Issuer / Discovery URL', issuer);
    await tap(page, 'Discover');
    const discovered = await waitFor(page, (s) => /Endpoints filled in|Discovery failed/.test(s.status), 'discovery');
    assert.match(discovered.status, /^Endpoints filled in/);
    await configure(page, {
      tokenName: 'Newman user', grant: 'password', clientId: 'post-client', secret: CLIENTS['post-client'].secret,
      scope: 'openid profile', auth: 'body', username: 'alice', password: USERS.alice,
    });
    assert.equal((await selected(page)).accessTokenUrl, `${issuer}/token`);
    const { collection, text } = await downloadCollection(page, 'password.json');
    for (const secret of [CLIENTS['post-client'].secret, USERS.alice]) assert.ok(!text.includes(secret), 'no secret in the file');
    assert.equal(variable(collection, 'password'), '');
    assert.equal(variable(collection, 'client_secret'), '');
    assert.equal(variable(collection, 'username'), 'alice');
    assert.equal(variable(collection, 'userinfo_url'), `${issuer}/me`);
    const oauth2 = Object.fromEntries(collection.auth.oauth2.map((e) => [e.key, e.value]));
    assert.equal(oauth2.headerPrefix, 'Bearer');
    assert.equal(oauth2.refreshTokenUrl, `${issuer}/token`);
    assert.equal(oauth2.accessToken, '{{access_token}}');
    assert.deepEqual(collection.item.map((i) => i.name),
      ['1. Get an access token', '2. Call UserInfo with the token', 'Check the token (introspection)']);

    const run = await runNewman(fillVariables(collection, { client_secret: CLIENTS['post-client'].secret, password: USERS.alice }));
    assertAllPassed(run, 3, 6);
    const [token, userinfo, introspection] = run.executions;
    assert.equal(token.code, 200);
    assert.equal(token.headers.Authorization, undefined, 'body authentication: no Authorization header');
    const issued = JSON.parse(token.body);
    assert.ok(issued.refresh_token, 'a refresh token');
    assert.equal(userinfo.method, 'GET');
    assert.equal(userinfo.url, `${issuer}/me`);
    assert.equal(userinfo.headers.Authorization, `Bearer ${issued.access_token}`);
    assert.deepEqual(JSON.parse(userinfo.body), { sub: 'alice', name: 'Alice', preferred_username: 'alice' });
    assert.equal(JSON.parse(introspection.body).active, true);
    console.log(`newman, password: ${run.requests} requests, ${run.assertions} assertions, ${run.failedAssertions} failed`);

    // The user's password left empty, as the file has it: the provider's invalid_grant is reported.
    const unfilled = await runNewman(fillVariables(collection, { client_secret: CLIENTS['post-client'].secret }));
    assert.deepEqual(unfilled.executions[0].assertions, [
      { name: 'The token endpoint answers 200 OK', error: 'expected response to have status code 200 but got 400' },
      { name: 'The answer holds an access_token', error: 'error: invalid_request missing required parameter(s) (username, password): expected undefined to be a string' },
    ]);
    await screenshot(page, 'postman-password');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('DPoP: the UserInfo item sends Authorization: DPoP with the proof pasted into dpop_proof, and says it needs one', T, async () => {
  const issuer = oidc.issuer;
  await withPage(async (page) => {
    await type(page, 'Issuer / Discovery URL', issuer);
    await tap(page, 'Discover');
    await waitFor(page, (s) => s.status === 'Endpoints filled in from the provider\'s metadata.', 'discovery');
    await configure(page, {
      tokenName: 'Newman DPoP', grant: 'password', clientId: 'dpop-client', secret: CLIENTS['dpop-client'].secret,
      scope: 'openid profile', auth: 'header', username: 'alice', password: USERS.alice,
    });
    await tap(page, 'Use DPoP');
    await waitFor(page, (s) => selectedOf(s).useDpop === true, 'Use DPoP ticked');
    const { collection, text } = await downloadCollection(page, 'dpop.json');
    assert.ok(!text.includes('Bearer {{access_token}}'), 'nothing sends the DPoP token as Bearer');
    const userinfoItem = '2. Call UserInfo with the DPoP-bound token (needs a fresh DPoP proof)';
    assert.deepEqual(collection.item.map((i) => i.name), ['1. Get an access token', userinfoItem,
      'Check the token (introspection)']);
    const call = collection.item[1].request;
    assert.deepEqual(call.auth, { type: 'noauth' });
    assert.deepEqual(call.header, [{ key: 'Accept', value: 'application/json' },
      { key: 'Authorization', value: 'DPoP {{access_token}}' }, { key: 'DPoP', value: '{{dpop_proof}}' }]);
    assert.ok(call.description.includes('Postman cannot sign ES256 proofs, so paste a fresh proof from a tool that '
      + 'holds the key before each send'), call.description);
    const oauth2 = Object.fromEntries(collection.auth.oauth2.map((e) => [e.key, e.value]));
    assert.equal(oauth2.headerPrefix, 'DPoP');

    // newman cannot sign (its sandbox has no Web Crypto, node crypto or ECDSA library): the test's own
    // key makes each proof, as a tool that holds a key would, and pastes it into dpop_proof.
    const key = dpopKey();
    const filled = fillVariables(collection, { client_secret: CLIENTS['dpop-client'].secret, password: USERS.alice });
    const tokenUrl = `${issuer}/token`;
    const got = await runNewman(fillVariables(filled, { dpop_proof: key.proof({ htm: 'POST', htu: tokenUrl }) }),
      { item: '1. Get an access token' });
    assertAllPassed(got, 1, 2);
    const issued = JSON.parse(got.executions[0].body);
    assert.equal(issued.token_type, 'DPoP');
    const accessToken = issued.access_token;

    const userinfoUrl = `${issuer}/me`;
    const proof = key.proof({ htm: 'GET', htu: userinfoUrl, accessToken });
    const withProof = fillVariables(filled, { access_token: accessToken, dpop_proof: proof });
    const called = await runNewman(withProof, { item: userinfoItem });
    assertAllPassed(called, 1, 2);
    assert.equal(called.executions[0].headers.Authorization, `DPoP ${accessToken}`);
    assert.equal(called.executions[0].headers.DPoP, proof);
    assert.equal(JSON.parse(called.executions[0].body).sub, 'alice');
    // The same proof again: refused, as the item's name and description say (RFC 9449 section 11.1).
    const replayed = await runNewman(withProof, { item: userinfoItem });
    assert.equal(replayed.executions[0].code, 401);
    console.log(`newman, DPoP: token ${got.executions[0].code}, UserInfo ${called.executions[0].code}, `
      + `the proof replayed ${replayed.executions[0].code}`);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});
