// The set-up form as a person fills it: scroll to a field, click it, type, choose from a combo,
// click a button that downloads a file. Built on lib/browser.mjs (mouse and keyboard only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findItem, click, settle, snapshot, selectAll, reveal, tap } from './browser.mjs';

export { reveal, tap };

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
