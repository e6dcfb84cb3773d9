// serve.py's CORS relay through the real page: a provider that refuses browsers fails without the
// relay and works through it (the log shows the provider's URL), and a host that is not on the
// allowlist is refused with the relay's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, unexpectedConsole } from './lib/browser.mjs';
import { useRig, ALLOWED_FAILING, selected, reveal, tap, getToken, assertConnected } from './lib/app.mjs';

const T = { timeout: 60000 };
// The relay on, for loopback providers (test flag) at 127.0.0.1 only: "localhost" stays off the
// allowlist, which the refusal test uses.
const rig = useRig({ name: 'relay', refusing: true,
  serverArgs: ['--relay', '--relay-allow-loopback-for-tests', '--relay-allow', '127.0.0.1'] });
const { withPage, seed, client } = rig;
let server; let refusingMeta;
rig.ready(() => { ({ server, refusingMeta } = rig); });

// ---- CORS relay ---------------------------------------------------------------------------------

test('relay: a provider that refuses browsers fails without the relay, and works with it', T, async () => {
  await withPage(async (page, context) => {
    const relayed = [];
    context.on('request', (r) => {
      // POSTs only: after a CORS refusal the page also asks GET /relay whether the relay runs.
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/relay')) relayed.push(r.headers()['x-oauth-setup-target']);
    });
    await seed(page, client('basic-client', 'client_credentials', {
      accessTokenUrl: refusingMeta.token_endpoint, revocationUrl: '', introspectionUrl: '',
    }));
    let snap = await getToken(page);
    assert.equal(snap.state, 'Error');
    // The page reads the relay's port-less "127.0.0.1" as port 443, as serve.py does without the tests'
    // loopback flag; with that flag serve.py forwards to any port, so the tick below still works.
    const host = new URL(refusingMeta.token_endpoint).host;
    assert.equal(snap.error, `The token endpoint at ${host} answered but refused this page (CORS): the provider does `
      + `not allow browser calls from this page's origin. This page's CORS relay runs but does not forward to ${host}: `
      + `restart serve.py with --relay-allow ${host} (or add the host to its allowlist).`);
    assert.deepEqual(relayed, []);
    await reveal(page, 'State');
    await screenshot(page, 'beyond-relay-offered');

    await tap(page, 'Use CORS relay');
    assert.equal((await selected(page)).useRelay, true);
    snap = await getToken(page);
    assertConnected(snap);
    assert.deepEqual(relayed, [refusingMeta.token_endpoint], 'the token request went through /relay');
    // The log shows the provider's URL, not the relay's.
    assert.ok(snap.log.at(-1).text.includes(`POST ${refusingMeta.token_endpoint}`), snap.log.at(-1).text);
    assert.match(server.stderr(), /POST \/relay -> 127\.0\.0\.1 200/);
    await reveal(page, 'Use CORS relay');
    await screenshot(page, 'beyond-relay-connected');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});

test('relay: a host that is not on the allowlist is refused with the relay\'s reason', T, async () => {
  await withPage(async (page) => {
    const tokenUrl = refusingMeta.token_endpoint.replace('127.0.0.1', 'localhost');
    await seed(page, client('basic-client', 'client_credentials', {
      accessTokenUrl: tokenUrl, revocationUrl: '', introspectionUrl: '', useRelay: true,
    }));
    const snap = await getToken(page);
    assert.equal(snap.state, 'Error');
    // (--relay-allow-loopback-for-tests: the relay names the host without its port.)
    assert.equal(snap.error, 'This page\'s CORS relay refused to forward the request (relay_refused): The target host '
      + 'localhost is not on the relay\'s allowlist; start serve.py with --relay-allow localhost to add it.');
    assert.equal(snap.token, null);
    await reveal(page, 'State');
    await screenshot(page, 'beyond-relay-refused');
    assert.deepEqual(unexpectedConsole(page, ALLOWED_FAILING), []);
  });
});
