// The revocation (RFC 7009 section 2.1) and introspection (RFC 7662 section 2.1) endpoints
// authenticate the client as the token endpoint does. oidc-provider answers 401 invalid_client
// "client authentication failed" to a wrong secret and to a method other than the registered one
// alike, so the page names the endpoint and says how it sent the credentials. Driven as a person
// would: get a token, then change the Client Secret or Client Authentication, then press Revoke or
// Introspect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unexpectedConsole } from './lib/browser.mjs';
import {
  useRig, ALLOWED_FAILING, AUTH, tap, type, choose, waitFor, getToken, assertConnected, selected,
} from './lib/app.mjs';
import { CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'client-refusal' });
const { withPage, seed, client } = rig;

const REFUSED = (endpoint) => `The ${endpoint} endpoint did not accept the client's credentials (invalid_client); `
  + 'check Client ID, Client Secret and Client Authentication. The provider says: "client authentication failed"';

// Presses `button` and waits for the tool's answer in the exchange log.
async function toolAnswer(page, button, step) {
  const before = (await waitFor(page, (s) => !s.busy, 'idle')).log.filter((e) => e.step === step).length;
  await tap(page, button);
  return waitFor(page, (s) => !s.busy && s.log.filter((e) => e.step === step && e.finished).length === before + 1,
    `the ${step} answer`);
}

test('a wrong secret at the revocation and introspection endpoints: the endpoint, and Basic named', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'client_credentials'));
    assertConnected(await getToken(page));
    await type(page, 'Client Secret', 'not-the-secret');
    assert.equal((await selected(page)).clientSecret, 'not-the-secret');
    assert.notEqual(CLIENTS['basic-client'].secret, 'not-the-secret');

    let snap = await toolAnswer(page, 'Revoke', 'Revocation');
    assert.equal(snap.status, `${REFUSED('revocation')} This page authenticates to the revocation endpoint as to the `
      + 'token endpoint (RFC 7009 section 2.1): it sent the Client ID and Client Secret in an Authorization: Basic '
      + 'header (client_secret_basic), so a client registered for client_secret_post is refused the same way.');
    assert.equal(snap.revoked, false, 'nothing was revoked');
    const entry = snap.log.findLast((e) => e.step === 'Revocation');
    assert.equal(entry.failed, true);
    assert.ok(entry.summary.startsWith('Revocation: HTTP 401 after '), entry.summary);

    snap = await toolAnswer(page, 'Introspect', 'Introspection');
    assert.equal(snap.status, `${REFUSED('introspection')} This page authenticates to the introspection endpoint as `
      + 'to the token endpoint (RFC 7662 section 2.1): it sent the Client ID and Client Secret in an Authorization: '
      + 'Basic header (client_secret_basic), so a client registered for client_secret_post is refused the same way.');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('the right secret in the body for a client registered for Basic: refused, and the body named', T, async () => {
  await withPage(async (page) => {
    await seed(page, client('basic-client', 'client_credentials'));
    assertConnected(await getToken(page));
    await choose(page, 'Client Authentication', AUTH.body);
    assert.equal((await selected(page)).clientAuthentication, 'body');
    const snap = await toolAnswer(page, 'Revoke', 'Revocation');
    assert.equal(snap.status, `${REFUSED('revocation')} This page authenticates to the revocation endpoint as to the `
      + 'token endpoint (RFC 7009 section 2.1): it sent the Client ID and Client Secret in the request body '
      + '(client_secret_post), so a client registered for client_secret_basic is refused the same way.');
    assert.equal(snap.revoked, false);
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});
