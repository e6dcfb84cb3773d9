// The passphrase lock (issue 6): secrets, passwords and tokens encrypted at rest with WebCrypto;
// a locked page shows profiles without secrets until unlocked; a wrong passphrase changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, click, fill, settle, snapshot, screenshot, unexpectedConsole,
} from './lib/browser.mjs';
import { waitFor } from './lib/app.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

const ALLOWED = [/GPU stall due to ReadPixels/];

const stored = (page) => page.evaluate(() => localStorage.getItem('oauth-setup:profiles'));

test('a passphrase encrypts secrets at rest; a reload is locked until the right passphrase', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await openPage(browser, server.url, { context });
  await fill(page, 'Client ID', 'locked-client');
  await fill(page, 'Client Secret', 'very-secret-value');

  await click(page, 'Lock with Passphrase');
  await fill(page, 'New Passphrase', 'correct horse battery');
  await fill(page, 'Repeat Passphrase', 'correct horse battery');
  await click(page, 'Encrypt Secrets');
  await waitFor(page, (s) => s.lock.enabled && !s.lock.locked && /encrypted/.test(s.status), 'lock set');
  await settle(page);
  let text = await stored(page);
  assert.ok(!text.includes('very-secret-value'), 'the secret is not stored in clear');
  const doc = JSON.parse(text);
  assert.equal(doc.lock.kdf, 'PBKDF2-SHA-256');
  assert.ok(doc.lock.iterations >= 600000);
  assert.ok(doc.lock.ciphertext.length > 10);
  assert.equal(doc.profiles[0].clientId, 'locked-client', 'the rest stays readable');

  // Edits after locking are sealed too.
  await fill(page, 'Client Secret', 'changed-secret');
  await waitFor(page, (s) => s.profiles[0].clientSecret === 'changed-secret', 'edit');
  await page.waitForTimeout(300);
  text = await stored(page);
  assert.ok(!text.includes('changed-secret'));

  await page.reload();
  await page.evaluate(() => window.oauthSetup.ready);
  await settle(page);
  let snap = await snapshot(page);
  assert.equal(snap.lock.locked, true);
  assert.equal(snap.profiles[0].clientSecret, '', 'a locked page shows no secret');
  assert.equal(snap.profiles[0].clientId, 'locked-client');
  await screenshot(page, 'lock-locked');

  // A wrong passphrase is refused and changes nothing.
  const before = await stored(page);
  await fill(page, 'Passphrase', 'wrong passphrase');
  await click(page, 'Unlock');
  snap = await waitFor(page, (s) => /Wrong passphrase/.test(s.status), 'refusal');
  assert.equal(snap.lock.locked, true);
  assert.equal(await stored(page), before, 'storage untouched');

  // Get Access Token is refused while locked.
  await click(page, 'Get Access Token');
  snap = await waitFor(page, (s) => /locked/.test(s.status), 'locked refusal');
  assert.equal(snap.busy, false);

  await fill(page, 'Passphrase', 'correct horse battery');
  await click(page, 'Unlock');
  snap = await waitFor(page, (s) => !s.lock.locked, 'unlock');
  assert.equal(snap.profiles[0].clientSecret, 'changed-secret');

  // Lock Now hides them again; Remove Passphrase (after unlocking) stores them in clear again.
  await click(page, 'Lock Now');
  snap = await waitFor(page, (s) => s.lock.locked, 'locked again');
  assert.equal(snap.profiles[0].clientSecret, '');
  await fill(page, 'Passphrase', 'correct horse battery');
  await click(page, 'Unlock');
  await waitFor(page, (s) => !s.lock.locked, 'unlock again');
  await click(page, 'Remove Passphrase');
  await waitFor(page, (s) => !s.lock.enabled, 'lock removed');
  await settle(page);
  text = await stored(page);
  assert.ok(text.includes('changed-secret'));
  assert.ok(!JSON.parse(text).lock);
  assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  await context.close();
});

test('passphrases that are too short or differ are refused', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await openPage(browser, server.url, { context });
  await click(page, 'Lock with Passphrase');
  await fill(page, 'New Passphrase', 'short');
  await fill(page, 'Repeat Passphrase', 'short');
  await click(page, 'Encrypt Secrets');
  let snap = await waitFor(page, (s) => /at least 8/.test(s.status), 'too short');
  assert.equal(snap.lock.enabled, false);
  await click(page, 'Lock with Passphrase');
  await fill(page, 'New Passphrase', 'long enough one');
  await fill(page, 'Repeat Passphrase', 'long enough two');
  await click(page, 'Encrypt Secrets');
  snap = await waitFor(page, (s) => /differ/.test(s.status), 'differ');
  assert.equal(snap.lock.enabled, false);
  await context.close();
});
