// The set-up form as a person fills it: scroll to a field, click it, type, choose from a combo,
// click a button that downloads a file. Built on lib/browser.mjs (mouse and keyboard only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findItem, click, settle, snapshot, selectAll } from './browser.mjs';

export const GRANT = {
  authorization_code: 'Authorization Code',
  password: 'Password Credentials',
  client_credentials: 'Client Credentials',
  device_code: 'Device Code',
};
export const AUTH = { header: 'Send as Basic Auth header', body: 'Send client credentials in body' };

export async function selectedProfile(page) {
  const snap = await snapshot(page);
  const profile = snap.profiles.find((p) => p.tokenName === snap.selected);
  assert.ok(profile, `the selected profile "${snap.selected}" is in the list`);
  return profile;
}

/** Finds a widget, scrolling the pane under the mouse wheel when it is out of sight. */
export async function reveal(page, label, opts = {}) {
  try {
    const it = await findItem(page, label, { ...opts, timeoutMs: 400 });
    if (it.h >= 10) return it;
  } catch { /* scroll for it */ }
  const vp = page.viewportSize();
  await page.mouse.move(Math.round(vp.width * 0.7), Math.round(vp.height / 2));
  for (const dy of [...Array(10).fill(300), ...Array(20).fill(-300)]) {
    await page.mouse.wheel(0, dy);
    await settle(page, { quietMs: 80 });
    try {
      const it = await findItem(page, label, { ...opts, timeoutMs: 0 });
      if (it.h >= 10) return it; // fully inside the pane, not cut by its edge
    } catch { /* keep scrolling */ }
  }
  return findItem(page, label, opts); // throws with the list of widgets seen
}

export async function tap(page, label, opts) {
  await reveal(page, label, opts);
  return click(page, label, opts);
}

/** Replaces what a field holds: click, Ctrl+A, Delete, then the text as one input event. */
export async function type(page, label, text, opts = {}) {
  await reveal(page, label, opts);
  await click(page, label, opts);
  await selectAll(page);
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
  await settle(page);
}

export async function choose(page, combo, option) {
  await tap(page, combo);
  await click(page, option);
}

/** Waits until `predicate(snapshot)` holds; fails with the page's state after `timeoutMs`. */
export async function waitFor(page, predicate, what, { timeoutMs = 15000 } = {}) {
  const start = Date.now();
  for (;;) {
    const snap = await snapshot(page);
    if (predicate(snap)) return snap;
    if (Date.now() - start > timeoutMs) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}: busy=${snap.busy} status="${snap.status}"`);
    }
    await page.waitForTimeout(100);
  }
}

/** Clicks a button that downloads a file; saves it in `dir` and resolves to its text. */
export async function download(page, label, dir, name) {
  const pending = page.waitForEvent('download', { timeout: 10000 });
  await tap(page, label);
  const file = path.join(dir, name);
  await (await pending).saveAs(file);
  return readFileSync(file, 'utf8');
}
