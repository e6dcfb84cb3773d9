// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) through the real page against the
// demo oidc-provider: "Sign out at provider" opens its end_session_endpoint in the popup with the ID
// token as id_token_hint and this page's callback page as post_logout_redirect_uri; after the
// provider's confirmation the next sign-in asks for the login again, and the callback page says
// "Signed out at the provider" for a return without code or error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unexpectedConsole } from './lib/browser.mjs';
import { useRig, ALLOWED, tap, waitFor, getTokenWithConsent } from './lib/app.mjs';

const T = { timeout: 90000 };
const rig = useRig({ name: 'logout' });
const { withPage, seed, client } = rig;
const SIGNED_OUT = 'Signed out at the provider. You can close this window if it stays open.';

test('Sign out at provider ends the provider session; the next sign-in shows the login page again', T, async () => {
  await withPage(async (page) => {
    const { meta } = rig;
    await seed(page, client('basic-client', 'authorization_code', { discoveryUrl: meta.issuer, scopes: 'openid profile' }));
    await tap(page, 'Discover');
    await waitFor(page, (s) => s.status === 'Endpoints filled in from the provider\'s metadata.', 'discovery');
    const { snap: first } = await getTokenWithConsent(page, { signIn: true });
    assert.equal(first.state, 'Connected', first.error);
    const idToken = first.token.id_token;

    const opened = page.waitForEvent('popup', { timeout: 10000 });
    await tap(page, 'Sign out at provider');
    const popup = await opened;
    const snap = await waitFor(page, (s) => s.log.some((e) => e.step === 'Sign out'), 'the sign-out in the log');
    assert.equal(snap.status, 'Signing out at the provider in the popup window…');
    const entry = snap.log.find((e) => e.step === 'Sign out');
    const url = new URL(entry.text.split('\n\n')[1].replace(/^GET /, ''));
    assert.equal(`${url.origin}${url.pathname}`, meta.end_session_endpoint);
    assert.deepEqual([...url.searchParams.keys()], ['id_token_hint', 'post_logout_redirect_uri', 'client_id', 'state']);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), rig.redirectUrl());
    assert.ok(!entry.text.includes(idToken), 'the ID token is masked in the log');

    await popup.waitForSelector('button[name="logout"]', { timeout: 10000 });
    const closed = popup.waitForEvent('close', { timeout: 10000 });
    await popup.click('button[name="logout"]');
    await closed; // the page closed it once the provider sent it back with the sign-out's state
    const back = await waitFor(page, (s) => s.log.at(-1).step === 'Callback', 'the return in the log');
    assert.equal(back.status, 'Signed out at the provider: the next sign-in asks for the login again.');
    assert.equal(back.state, 'Connected', 'the token obtained before is still shown: signing out revokes nothing');

    const { snap: again, login } = await getTokenWithConsent(page);
    assert.ok(login.steps.includes('login'), `the provider asked for the login again: ${JSON.stringify(login)}`);
    assert.equal(again.state, 'Connected', again.error);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('the callback page says "Signed out at the provider" for a return with only a state', T, async () => {
  await withPage(async (page) => {
    const callback = await page.context().newPage();
    await callback.goto(`${rig.redirectUrl()}?state=abc`);
    await callback.waitForFunction((text) => document.getElementById('message').textContent === text, SIGNED_OUT);
    assert.equal(new URL(callback.url()).search, '', 'nothing stays in the address bar');
  });
});
