// Resource indicators (RFC 8707) and Audience through the real page against the demo oidc-provider:
// typed into the form with the keyboard, sent on the authorization request and the token requests,
// and the provider's JWT access token is for exactly that API (its aud). A value that is not an
// absolute URI is refused before anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { click, snapshot, unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED, type, press, waitFor, getToken, openConsent, outcome, assertConnected, jwtPayload, selected,
} from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { REPORTS_RESOURCE } from '../../demo/server.mjs';

const T = { timeout: 90000 };
const rig = useRig({ name: 'resource' });
const { withPage, seed, client } = rig;
const ENCODED = encodeURIComponent(REPORTS_RESOURCE);

test('a Resource makes the client credentials token an access token for that API', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'client_credentials'));
    await type(page, 'Resource', REPORTS_RESOURCE);
    assert.equal((await selected(page)).resource, REPORTS_RESOURCE);
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(jwtPayload(snap.token.access_token).aud, REPORTS_RESOURCE);
    const entry = snap.log.find((e) => e.step === 'Token request');
    assert.ok(entry.text.includes(`grant_type=client_credentials&scope=api%3Aread&resource=${ENCODED}`), entry.text);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('an Audience is sent as the audience parameter, which the demo takes as Auth0 does', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('post-client', 'password'));
    await type(page, 'Audience', REPORTS_RESOURCE);
    const snap = await getToken(page);
    assertConnected(snap);
    assert.equal(jwtPayload(snap.token.access_token).aud, REPORTS_RESOURCE);
    assert.ok(snap.log.at(-1).text.includes(`&audience=${ENCODED}`), snap.log.at(-1).text);
  });
});

test('the authorization request, the code redemption and Refresh all name the resource', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'authorization_code', { resource: REPORTS_RESOURCE }));
    const popup = await openConsent(page);
    await completeLogin(popup, { username: 'alice' });
    let snap = await outcome(page);
    assertConnected(snap);
    // What the popup was opened at (it moves on to the login page): the exchange log's entry.
    const opened = snap.log.find((e) => e.step === 'Authorization request');
    const query = new URL(opened.text.split('\n\n')[1].replace(/^GET /, '')).searchParams;
    assert.deepEqual(query.getAll('resource'), [REPORTS_RESOURCE], opened.text);
    assert.equal(jwtPayload(snap.token.access_token).aud, REPORTS_RESOURCE);
    const redemption = snap.log.find((e) => e.step === 'Token request');
    assert.ok(redemption.text.includes(`&resource=${ENCODED}`), redemption.text);

    const first = snap.token.access_token;
    await press(page, 'Refresh');
    snap = await waitFor(page, (s) => !s.busy && s.log.some((e) => e.step === 'Refresh' && e.finished), 'the refresh');
    assertConnected(snap);
    assert.notEqual(snap.token.access_token, first);
    assert.equal(jwtPayload(snap.token.access_token).aud, REPORTS_RESOURCE);
    assert.ok(snap.log.at(-1).text.includes(`grant_type=refresh_token&refresh_token=********&resource=${ENCODED}`),
      snap.log.at(-1).text);
  });
});

test('a Resource that is not an absolute URI is refused before anything is sent', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'client_credentials'));
    await type(page, 'Resource', 'reports');
    const before = (await snapshot(page)).log.length;
    await click(page, 'Get Access Token');
    const snap = await waitFor(page, (s) => s.status.startsWith('Not sent'), 'the "Not sent" sentence');
    assert.equal(snap.status, 'Not sent: Resource: "reports" is not an absolute URI; RFC 8707 section 2 asks for '
      + 'one, such as https://api.example.com/ or urn:example:api.');
    assert.equal(snap.log.length, before, 'nothing was sent');
  });
});
