// A tab in the background keeps working: the device grant's polling and auto-refresh stay on time
// and another tab's save is merged when it arrives, though a hidden tab gets no requestAnimationFrame. The
// tabs here really hide (lib/browser.mjs launchTabbedBrowser): the tab behind the one in front is
// document.visibilityState 'hidden', its animation frames stop and its timers are throttled.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchTabbedBrowser, openPage, fill, settle, snapshot } from './lib/browser.mjs';
import {
  useRig, VIEWPORT, press, tap, waitFor, byName, selected, getToken, assertConnected, shortenTokenLifetime,
} from './lib/app.mjs';
import { completeLogin } from './lib/consent.mjs';

const T = { timeout: 120000 };
const rig = useRig({ name: 'background' });
let tabs;
rig.ready(async () => { tabs = await launchTabbedBrowser(); });
after(async () => { await tabs?.close(); });

const visibility = (page) => page.evaluate(() => document.visibilityState);

/** How many animation frames the page gets in `ms` (0 in a hidden tab). */
const animationFrames = (page, ms) => page.evaluate((wait) => new Promise((resolve) => {
  let n = 0; let running = true;
  const loop = () => { if (running) { n += 1; requestAnimationFrame(loop); } };
  requestAnimationFrame(loop);
  setTimeout(() => { running = false; resolve(n); }, wait);
}), ms);

/** Puts `front` in front of the other tabs, and checks that `behind` really is a hidden tab now. */
async function hideBehind(front, behind) {
  await front.bringToFront();
  assert.equal(await visibility(behind), 'hidden', 'the tab behind is hidden');
  assert.equal(await animationFrames(behind, 1200), 0, 'a hidden tab gets no animation frames');
}

/** Opens the page as a new tab; afterwards every tab it opened is closed and the storage they
 *  share is cleared (the default context keeps it from one test to the next). */
async function withTabs(fn) {
  const opened = [];
  const open = async () => {
    const page = await openPage(null, rig.server.url, { context: tabs.context });
    opened.push(page);
    await page.setViewportSize(VIEWPORT); // the default context has no viewport of its own
    await page.bringToFront(); // a new tab in front, with the keyboard focus, as a person opens it
    await settle(page);
    return page;
  };
  try {
    return await fn(open, opened);
  } finally {
    await opened[0]?.evaluate(() => localStorage.clear()).catch(() => {});
    for (const page of opened) await page.close().catch(() => {});
  }
}

const polls = (snap) => snap.log.filter((e) => e.step === 'Token poll' && e.finished).length;

test('a hidden tab polls for the device token on time and connects once approved in the tab in front', T, async () => {
  await withTabs(async (open, opened) => {
    const app = await open();
    await rig.seed(app, rig.client('basic-client', 'device_code'));
    await press(app, 'Get Access Token');
    const waiting = await waitFor(app, (s) => s.device, 'the user code');
    const interval = Number(waiting.status.match(/every (\d+) s/)?.[1]);
    assert.ok(interval >= 1 && interval <= 10, `the poll interval: ${waiting.status}`);

    // The person goes to the verification page in another tab: the page is now in the background.
    const verifier = await tabs.context.newPage();
    opened.push(verifier);
    await verifier.goto(waiting.device.verificationUri);
    await hideBehind(verifier, app);

    // Polls go on while hidden, one each interval (a background tab's timers fire up to about a
    // second late), and each answer (authorization_pending) is applied when it arrives.
    const before = polls(await snapshot(app));
    const start = Date.now();
    await waitFor(app, (s) => polls(s) >= before + 2, 'two more polls in the hidden tab',
      { timeoutMs: (2 * interval + 4) * 1000 });
    const elapsed = (Date.now() - start) / 1000;
    assert.ok(elapsed <= 2 * interval + 3, `two polls took ${elapsed} s at an interval of ${interval} s`);

    // Approved in the tab in front: the hidden tab's next poll connects.
    const done = await completeLogin(verifier, { userCode: waiting.device.userCode, username: 'carol' });
    assert.ok(done.steps.includes('success'), JSON.stringify(done.steps));
    const approvedAt = Date.now();
    const snap = await waitFor(app, (s) => !s.busy && s.state === 'Connected', 'State "Connected" in the hidden tab',
      { timeoutMs: (interval + 4) * 1000 });
    assert.ok((Date.now() - approvedAt) / 1000 <= interval + 3, 'connected by the next poll');
    assertConnected(snap);
    assert.equal(snap.device, null);
    assert.equal(await visibility(app), 'hidden', 'still in the background');
  });
});

test('a hidden tab merges another tab\'s save when it arrives, and draws nothing after', T, async () => {
  await withTabs(async (open) => {
    const a = await open();
    await fill(a, 'Client ID', 'typed-in-a');
    await a.keyboard.press('Tab');
    await settle(a);
    assert.equal((await snapshot(a)).profiles[0].clientId, 'typed-in-a');
    const b = await open();
    await waitFor(b, (s) => s.profiles[0]?.clientId === 'typed-in-a', 'tab A\'s save in tab B');
    await hideBehind(b, a);

    await fill(b, 'Client ID', 'edited-in-b');
    await b.keyboard.press('Tab'); // leaving the field saves it
    await settle(b);
    assert.equal(JSON.parse(await b.evaluate(() => localStorage.getItem('oauth-setup:profiles'))).profiles[0].clientId,
      'edited-in-b', 'tab B saved');
    const merged = await waitFor(a, (s) => byName(s, 'New Profile')?.clientId === 'edited-in-b',
      'tab B\'s edit in the hidden tab A', { timeoutMs: 3000 });
    assert.equal(merged.profiles.length, 1);
    assert.equal(await visibility(a), 'hidden');

    // Nothing else changes: the hidden tab draws no more frames.
    const drawn = await settle(a, { quietMs: 1500, timeoutMs: 8000 });
    await a.waitForTimeout(2000);
    assert.equal(await a.evaluate(() => window.oauthSetup.frames()), drawn, 'an idle hidden tab draws no frames');

    // Back in front, it shows the merged value at once.
    await a.bringToFront();
    assert.equal(await visibility(a), 'visible');
    assert.equal(byName(await snapshot(a), 'New Profile').clientId, 'edited-in-b');
  });
});

test('a hidden tab refreshes its token automatically, on time', T, async () => {
  await withTabs(async (open, opened) => {
    const app = await open();
    // The demo server's tokens live 3600 s: its answers reach the page with expires_in: 8, so the
    // refresh is due 0.8 s before that (a tenth of the lifetime, src/app/grants.cpp).
    const lifetime = 8;
    await shortenTokenLifetime(app, rig.meta.token_endpoint, lifetime);
    await rig.seed(app, rig.client('post-client', 'password'));
    await tap(app, 'Auto-refresh');
    assert.equal((await selected(app)).autoRefresh, true);
    const first = await getToken(app);
    assertConnected(first);
    const obtainedAt = Date.now();

    const other = await tabs.context.newPage();
    opened.push(other);
    await hideBehind(other, app);
    const snap = await waitFor(app, (s) => s.log.some((e) => e.step === 'Refresh' && e.finished) && !s.busy,
      'an automatic refresh in the hidden tab', { timeoutMs: (lifetime + 6) * 1000 });
    const at = (Date.now() - obtainedAt) / 1000;
    assert.ok(at <= lifetime + 2, `refreshed ${at} s after the token was obtained (it lives ${lifetime} s)`);
    assertConnected(snap);
    assert.notEqual(snap.token.access_token, first.token.access_token, 'a new access token');
    assert.equal(await visibility(app), 'hidden', 'still in the background');
  });
});
