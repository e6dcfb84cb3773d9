// Two tabs on the page share browser storage: an edit in one appears in the other, edits to
// different profiles both survive, and a conflicting edit of the same profile is reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, click, fill, settle, snapshot } from './lib/browser.mjs';
import { waitFor, byName } from './lib/app.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('an edit in one tab appears in the other, and edits to different profiles both survive', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const a = await openPage(browser, server.url, { context });
  await fill(a, 'Client ID', 'first-client');
  await click(a, 'New');
  await fill(a, 'Client ID', 'second-client');
  const b = await openPage(browser, server.url, { context });
  await waitFor(b, (s) => s.profiles.length === 2, 'both profiles in tab B');
  assert.equal(byName(await snapshot(b), 'New Profile').clientId, 'first-client');

  // Tab A edits "New Profile", tab B edits "New Profile 2". A person types in the tab in front, so
  // bring each to the front (pages launched this way never really hide: background.test.mjs has
  // tabs that do, and shows a hidden tab merging as the save arrives).
  await a.bringToFront();
  await click(a, 'New Profile');
  await fill(a, 'Client ID', 'edited-in-a');
  await b.bringToFront();
  await click(b, 'New Profile 2');
  await fill(b, 'Client ID', 'edited-in-b');
  await a.bringToFront();
  const snapA = await waitFor(a, (s) => byName(s, 'New Profile 2')?.clientId === 'edited-in-b', 'B edit in A');
  assert.equal(byName(snapA, 'New Profile').clientId, 'edited-in-a');
  await b.bringToFront();
  const snapB = await waitFor(b, (s) => byName(s, 'New Profile')?.clientId === 'edited-in-a', 'A edit in B');
  assert.equal(byName(snapB, 'New Profile 2').clientId, 'edited-in-b');
  await settle(a);
  const stored = await a.evaluate(() => JSON.parse(localStorage.getItem('oauth-setup:profiles')));
  const clientIds = stored.profiles.map((p) => p.clientId).sort();
  assert.deepEqual(clientIds, ['edited-in-a', 'edited-in-b']);
  await context.close();
});
