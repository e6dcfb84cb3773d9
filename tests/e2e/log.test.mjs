// The exchange log, the flow diagram and the cURL copies through the real page: every request of an
// authorization code flow in order and masked until revealed, response headers one per line, a wrong
// secret marking "Token exchange" failed, a "Not sent" that replaces the older flow, and the curl
// commands in the clipboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { click, snapshot, screenshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, ALLOWED_FAILING, reveal, tap, type, getToken, getTokenWithConsent, assertConnected, openLogEntry,
  clipboard, importProfiles,
} from './lib/app.mjs';
import { CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'log' });
const { withPage, withWidePage, seed, client } = rig;
const INVALID_CLIENT = 'The token endpoint did not accept the client\'s credentials (invalid_client); check Client ID, '
  + 'Client Secret and Client Authentication. The provider says: "client authentication failed"';
const base64 = (s) => Buffer.from(s, 'utf8').toString('base64');
let meta; let tmp;
rig.ready(() => { ({ meta, tmp } = rig); });

// ---- exchange log -------------------------------------------------------------------------------

test('exchange log: every request of an authorization code flow in order, masked until revealed', T, async () => {
  await withPage(async (page) => {
    const secret = CLIENTS['basic-client'].secret;
    await seed(page, client('basic-client', 'authorization_code'));
    const { snap, login } = await getTokenWithConsent(page);
    assertConnected(snap);
    const code = new URL(login.url).searchParams.get('code');
    assert.ok(code, `the callback carried a code: ${login.url}`);

    assert.deepEqual(snap.log.map((e) => e.step), ['Authorization request', 'Callback', 'Token request']);
    assert.ok(snap.log.every((e) => e.attempt === snap.log[0].attempt && e.finished && !e.failed));
    assert.deepEqual(snap.flow, [
      { label: 'Authorize', state: 'ok' }, { label: 'Callback', state: 'ok' },
      { label: 'Token exchange', state: 'ok' }, { label: 'Done', state: 'ok' },
    ]);
    const [authz, callback, tokenRequest] = snap.log;
    assert.ok(authz.text.includes(meta.authorization_endpoint), authz.text);
    assert.ok(tokenRequest.text.includes(`POST ${meta.token_endpoint}`), tokenRequest.text);
    assert.match(tokenRequest.text, /HTTP 200/);
    const secrets = [code, secret, base64(`basic-client:${secret}`), snap.token.access_token, snap.token.refresh_token,
      snap.token.id_token];
    for (const entry of snap.log) {
      for (const s of secrets) assert.ok(!entry.text.includes(s), `${entry.step} masks ${s.slice(0, 12)}…:\n${entry.text}`);
    }
    assert.match(callback.text, /code=/);

    await openLogEntry(page, /Token request/);
    await screenshot(page, 'beyond-exchange-log-masked');
    await tap(page, 'Reveal secrets in the log');
    const revealed = await snapshot(page);
    const [, cb2, tok2] = revealed.log;
    assert.ok(cb2.text.includes(code), `the revealed callback shows the code:\n${cb2.text}`);
    assert.ok(tok2.text.includes(code), 'the revealed token request shows the code');
    assert.ok(tok2.text.includes(base64(`basic-client:${secret}`)) || tok2.text.includes(secret),
      `the revealed token request shows the client credentials:\n${tok2.text}`);
    assert.ok(tok2.text.includes(snap.token.access_token), 'the revealed response shows the access token');
    await screenshot(page, 'beyond-exchange-log-revealed');
    await tap(page, 'Reveal secrets in the log');
    assert.ok(!(await snapshot(page)).log[2].text.includes(code), 'masked again');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('exchange log: response headers are shown one per line as "name: value"', {
  ...T,
}, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'client_credentials'));
    const snap = await getToken(page);
    assertConnected(snap);
    const text = snap.log.at(-1).text;
    const response = text.slice(text.indexOf('\nHTTP 200'));
    assert.ok(!text.includes('\r'), `no carriage returns:\n${JSON.stringify(text)}`);
    assert.match(response, /\ncontent-type: application\/json; charset=utf-8\n/i, `one header per line:\n${response}`);
    assert.doesNotMatch(response, /\n\n\n/, `no empty lines between headers:\n${response}`);
    assert.doesNotMatch(response, /^[a-z-]+: {2}/im, `one space after the colon:\n${response}`);
  });
});

test('flow diagram: a wrong secret marks "Token exchange" failed', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { clientSecret: 'not-the-secret', scopes: 'openid' }));
    const { snap } = await getTokenWithConsent(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.error, INVALID_CLIENT);
    const flow = Object.fromEntries(snap.flow.map((f) => [f.label, f.state]));
    assert.equal(flow.Authorize, 'ok');
    assert.equal(flow.Callback, 'ok');
    assert.equal(flow['Token exchange'], 'failed');
    assert.notEqual(flow.Done, 'ok');
    const last = snap.log.at(-1);
    assert.equal(last.step, 'Token request');
    assert.equal(last.failed, true);
    assert.match(last.text, /HTTP 401/);
    assert.ok(!last.text.includes('not-the-secret'), 'the wrong secret is masked too');
    await reveal(page, 'State');
    await screenshot(page, 'beyond-flow-failed');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('a Not sent replaces the older error and flow; the error is shown once', T, async () => {
  await withWidePage(async (page) => {
    await importProfiles(page, tmp, [rig.passwordProfile({ tokenName: 'Wrong secret', clientSecret: 'not-the-secret' })]);
    let snap = await getToken(page);
    assert.equal(snap.state, 'Error');
    assert.equal(snap.outcome, snap.error);
    assert.ok(snap.flow.length > 0, 'the failed attempt draws its flow');
    await type(page, 'Access Token URL', '');
    await click(page, 'Get Access Token');
    snap = await snapshot(page);
    assert.equal(snap.status, 'Not sent: Access Token URL is required.');
    assert.equal(snap.outcome, 'Not sent: Access Token URL is required.');
    assert.deepEqual(snap.flow, [], 'the older flow is not shown as this attempt\'s');
    assert.equal(snap.state, 'Error', 'State keeps its value: nothing new was decided');
    await screenshot(page, 'stale-not-sent');
  });
});

test('cURL: "Copy request as cURL" and "Copy as cURL" put a curl command in the clipboard', T, async () => {
  await withPage(async (page) => {
    const secret = CLIENTS['post-client'].secret;
    await seed(page, client('post-client', 'client_credentials'));
    const snap = await getToken(page);
    assertConnected(snap);

    await openLogEntry(page, /Token request/);
    await tap(page, 'Copy request as cURL');
    let curl = await clipboard(page);
    assert.match(curl, /^curl /);
    assert.ok(curl.includes(meta.token_endpoint), curl);
    assert.match(curl, /grant_type=client_credentials/);
    assert.ok(!curl.includes(secret), `the secret is masked: ${curl}`);
    assert.equal((await snapshot(page)).status, 'Copied the request as a cURL command (secrets masked).');

    await tap(page, 'Reveal secrets in the log');
    await tap(page, 'Copy request as cURL');
    curl = await clipboard(page);
    assert.ok(curl.includes(secret), `revealed, the secret is in the command: ${curl}`);

    await tap(page, 'Copy as cURL');
    curl = await clipboard(page);
    assert.match(curl, /^curl /);
    assert.ok(curl.includes(meta.token_endpoint), curl);
    assert.ok(!curl.includes(secret), 'the form\'s cURL leaves the secret out unless "Include secrets in exports"');
    await tap(page, 'Include secrets in exports');
    await tap(page, 'Copy as cURL');
    assert.ok((await clipboard(page)).includes(secret));
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});
