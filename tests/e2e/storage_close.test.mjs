// Storage when the page goes away: typing is written once the frame loop goes idle (not on every
// keystroke: with 1,000 profiles a save costs a frame's budget), so text typed just before the tab is
// closed, reloaded or hidden would be lost if the page waited for that idle frame. It does not:
// pagehide and visibilitychange to hidden write it at once (web/host/storage.js installFlushOnHide).
// Each test catches the first animation frame in which the typed text is in the page's memory (the
// idle frame comes three frames later at the earliest), reads localStorage there, and makes the page
// go away in that same task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { click } from './lib/browser.mjs';
import { useRig, KEY, reveal, selected, storageGet } from './lib/app.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'storage-close', oidc: false, cspClean: true });
const { withPage } = rig;

const storedClientId = (text) => (text ? JSON.parse(text).profiles[0].clientId : null);

/**
 * Types `text` into Client ID with the real keyboard, then, in the first animation frame whose
 * snapshot holds it, reads localStorage and makes the page go away in that same task (`how`):
 * 'reload' queues a reload as a task, which runs before any further animation frame could go idle;
 * 'hide' hides the page the way a browser does (visibilityState reads "hidden", then the event),
 * reads storage once the event has returned, then shows it again.
 */
async function typeThenGoAway(page, text, how) {
  await reveal(page, 'Client ID');
  await click(page, 'Client ID');
  await page.keyboard.type(text);
  return page.evaluate(([typed, key, away]) => new Promise((resolve) => {
    const check = () => {
      const snap = window.oauthSetup.snapshot();
      const p = snap.profiles.find((x) => x.tokenName === snap.selected);
      if (p.clientId !== typed) { requestAnimationFrame(check); return; }
      const before = localStorage.getItem(key);
      if (away === 'reload') {
        setTimeout(() => window.location.reload(), 0);
        resolve({ before, after: null });
        return;
      }
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      const after = localStorage.getItem(key);
      delete document.visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      resolve({ before, after });
    };
    check();
  }), [text, KEY.profiles, how]);
}

test('text typed, then the page reloaded at once (pagehide): the text is stored and shown again', T, async () => {
  await withPage(async (page) => {
    const text = 'typed-then-reloaded';
    const loaded = page.waitForEvent('load');
    const { before } = await typeThenGoAway(page, text, 'reload');
    assert.notEqual(storedClientId(before), text, 'not written yet while typing: it waits for the idle frame');
    await loaded;
    await page.evaluate(() => window.oauthSetup.ready);
    assert.equal(storedClientId(await storageGet(page, KEY.profiles)), text);
    assert.equal((await selected(page)).clientId, text);
  });
});

test('text typed, then the tab hidden at once (visibilitychange): the text is stored before the event returns', T, async () => {
  await withPage(async (page) => {
    const text = 'typed-then-hidden';
    const { before, after } = await typeThenGoAway(page, text, 'hide');
    assert.notEqual(storedClientId(before), text, 'not written yet while typing: it waits for the idle frame');
    assert.equal(storedClientId(after), text);
    assert.equal((await selected(page)).clientId, text);
  });
});
