// Callbacks the page must ignore, through the real page: a callback message posted from another
// origin (the fault server's /evil-authorize page), and a real callback that arrives after Cancel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { settle, snapshot } from './lib/browser.mjs';
import { useRig, ALLOWED, press, configure, endpointsOf, idle, consoleProblems } from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';
import { CLIENTS } from '../../demo/server.mjs';
import { startFaultServer } from './fixtures/fault_server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'callback', cspClean: true });
const { withPage } = rig;
let oidc; let oidcEndpoints; let faults;
rig.ready(async () => { ({ oidc } = rig); oidcEndpoints = endpointsOf(rig.meta); faults = await startFaultServer(); });
after(async () => { await faults?.close(); });

// ---- the callback ---------------------------------------------------------------------------------

test('a callback message from another origin is ignored', T, async () => {
  await withPage(async (page) => {
    // The "authorization server" is the fault server's /evil-authorize page: it posts a callback with
    // the attempt's real state and its own code to window.opener, from its own origin.
    await configure(page, {
      grant: 'authorization_code', auth: 'header', clientId: 'evil-test', secret: 'evil-secret', scope: 'openid',
      endpoints: { authorization: faults.evilAuthorizeUrl, token: faults.goodUrl },
    });
    const tokenCallsBefore = faults.requests.filter((r) => r.path === '/good' && r.method === 'POST').length;
    const popupPromise = page.waitForEvent('popup', { timeout: 10000 });
    await press(page, 'Get Access Token');
    const popup = await popupPromise;
    await popup.waitForFunction(() => document.getElementById('out')?.textContent === 'posted', null, { timeout: 10000 });
    await page.waitForTimeout(500);
    const snap = await snapshot(page);
    assert.equal(snap.busy, true, `still waiting for the real callback: ${snap.status}`);
    assert.notEqual(snap.state, 'Connected');
    assert.notEqual(snap.state, 'Error', `not even an error: the message was not looked at (${snap.error})`);
    assert.equal(faults.requests.filter((r) => r.path === '/good' && r.method === 'POST').length, tokenCallsBefore,
      'no token request was made with the forged code');
    await press(page, 'Cancel');
    const end = await idle(page);
    assert.notEqual(end.state, 'Connected');
    assert.equal(end.token, null);
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

test('a callback that arrives after Cancel is ignored', T, async () => {
  await withPage(async (page, context) => {
    // The first callback.html runs without its script, so the code reaches the page only when we
    // deliver it: after Cancel, from a new tab of the same origin (BroadcastChannel).
    let callbackScript = false;
    await context.route('**/callback.js', (route) => (callbackScript
      ? route.continue()
      : route.fulfill({ status: 200, contentType: 'text/javascript', body: '' })));
    const tokenRequests = [];
    context.on('request', (r) => { if (r.url().startsWith(oidcEndpoints.token)) tokenRequests.push(r.url()); });
    await configure(page, {
      grant: 'authorization_code', auth: 'header', clientId: 'basic-client', secret: CLIENTS['basic-client'].secret,
      scope: 'openid', endpoints: { authorization: oidcEndpoints.authorization, token: oidcEndpoints.token },
    });
    const popupPromise = page.waitForEvent('popup', { timeout: 10000 });
    await press(page, 'Get Access Token');
    const popup = await popupPromise;
    await popup.waitForURL((u) => u.href.startsWith(oidc.issuer), { timeout: 10000 });
    const login = await completeLogin(popup, { username: 'alice' });
    const callback = new URL(login.url);
    assert.equal(callback.pathname, '/callback.html');
    assert.ok(callback.searchParams.get('code'));
    assert.equal((await snapshot(page)).busy, true, 'waiting for the callback');

    await press(page, 'Cancel');
    const cancelled = await idle(page);
    assert.notEqual(cancelled.state, 'Connected');

    callbackScript = true;
    const late = await context.newPage();
    await late.goto(callback.href).catch(() => {}); // hands the URL over, then closes itself
    await page.waitForTimeout(1000);
    await settle(page);
    const snap = await snapshot(page);
    assert.equal(snap.busy, false);
    assert.notEqual(snap.state, 'Connected', 'a late callback is not turned into a token');
    assert.equal(snap.token, null);
    assert.deepEqual(tokenRequests, [], 'the code was never redeemed');
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});
