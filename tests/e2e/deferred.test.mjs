// The page's code in two parts (web/host/deferred.js): a fresh page fetches app.wasm alone, and
// app.deferred.wasm (grants, tools, exports) comes once a person acts, in the background; code the
// page needs before that is fetched synchronously, and the page goes on as if it had been there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  items, settle, snapshot, findItem, unexpectedConsole, startServer, openPage, SITE,
} from './lib/browser.mjs';
import {
  useRig, ALLOWED, KEY, configure, endpointsOf, getToken, assertTokenShown, seedStorage, fullProfile,
} from './lib/app.mjs';
import { CLIENTS } from '../../demo/server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'deferred' });
const { withPage } = rig;

/** The page's requests for its two wasm files, as Resource Timing saw them: [{file, initiator}]. */
const wasmFetches = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((e) => ({ file: new URL(e.name).pathname.slice(1), initiator: e.initiatorType }))
  .filter((e) => e.file.endsWith('.wasm')));

/** Waits until the deferred module has been requested (Resource Timing lists it once loaded). */
async function deferredFetched(page) {
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((e) => e.name.endsWith('/app.deferred.wasm')), null, { timeout: 15000 });
  return wasmFetches(page);
}

const KB = 1024;
const gzipKb = (file) => gzipSync(readFileSync(path.join(SITE, file)), { level: 9 }).length / KB;

test('the split leaves most of the code for later: app.wasm is the smaller part', () => {
  const [primary, deferred] = [gzipKb('app.wasm'), gzipKb('app.deferred.wasm')];
  assert.ok(primary < 260, `app.wasm is ${primary.toFixed(1)} KB gzip`);
  assert.ok(deferred > 60, `app.deferred.wasm is ${deferred.toFixed(1)} KB gzip: the split moved little`);
});

test('looking and moving over the page fetch app.wasm alone; the first press fetches the rest, and a grant runs', T, async () => {
  await withPage(async (page) => {
    for (const item of (await items(page)).filter((i) => i.visible)) {
      await page.mouse.move(item.x + item.w / 2, item.y + item.h / 2);
    }
    await settle(page);
    assert.deepEqual(await wasmFetches(page), [{ file: 'app.wasm', initiator: 'fetch' }]);

    const field = await findItem(page, 'Client ID');
    await page.mouse.move(field.x + field.w / 2, field.y + field.h / 2);
    await page.mouse.down();
    assert.deepEqual(await deferredFetched(page),
      [{ file: 'app.wasm', initiator: 'fetch' }, { file: 'app.deferred.wasm', initiator: 'fetch' }]);
    await page.mouse.up();

    await configure(page, {
      grant: 'client_credentials', auth: 'header', clientId: 'basic-client', secret: CLIENTS['basic-client'].secret,
      scope: 'api:read', endpoints: endpointsOf(rig.meta),
    });
    const snap = await getToken(page);
    await assertTokenShown(page, snap, { clientId: 'basic-client' });
    assert.equal((await wasmFetches(page)).length, 2, 'each part is fetched once');
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a returning page, with stored profiles Connected and in Error, comes up and is looked at with app.wasm alone', T, async () => {
  await withPage(async (page) => {
    const stored = (tokenName, state) => ({ ...fullProfile('', { tokenName, clientId: 'c', accessTokenUrl: 'https://id.example.com/token' }), state });
    const profiles = [stored('Worked yesterday', 'Connected'), stored('Failed yesterday', 'Error'), stored('Not tried', '')];
    await seedStorage(page, { [KEY.profiles]: JSON.stringify({ version: 1, profiles }) });
    for (const item of (await items(page)).filter((i) => i.visible)) {
      await page.mouse.move(item.x + item.w / 2, item.y + item.h / 2);
    }
    await settle(page);
    assert.ok((await items(page)).some((i) => i.label === 'Failed yesterday'), 'the stored profiles are listed');
    assert.deepEqual(await wasmFetches(page), [{ file: 'app.wasm', initiator: 'fetch' }]);
  });
});

test('deferred code called before anyone acts is fetched at once, and the call returns its answer', T, async () => {
  await withPage(async (page) => {
    assert.deepEqual(await wasmFetches(page), [{ file: 'app.wasm', initiator: 'fetch' }]);
    // snapshot() is the automation interface, not a person's step: its code is in the deferred
    // part, so this first call waits for it (a synchronous request) and then answers as always.
    const snap = await snapshot(page);
    assert.equal(snap.busy, false);
    assert.ok(Array.isArray(snap.profiles), 'the snapshot lists the profiles');
    assert.deepEqual(await wasmFetches(page),
      [{ file: 'app.wasm', initiator: 'fetch' }, { file: 'app.deferred.wasm', initiator: 'xmlhttprequest' }]);
    // The person's first press then finds it there: no second request.
    const field = await findItem(page, 'Client ID');
    await page.mouse.click(field.x + field.w / 2, field.y + field.h / 2);
    await settle(page);
    assert.equal((await wasmFetches(page)).length, 2);
    assert.deepEqual(unexpectedConsole(page, ALLOWED), []);
  });
});

test('a site deployed without app.deferred.wasm says so when the code is needed, instead of hanging', T, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-setup-no-deferred-'));
  cpSync(SITE, dir, { recursive: true });
  rmSync(path.join(dir, 'app.deferred.wasm'));
  const server = await startServer({ dir });
  const page = await openPage(rig.browser, server.url);
  try {
    const button = await findItem(page, 'Get Access Token');
    await page.mouse.click(button.x + button.w / 2, button.y + button.h / 2);
    await page.waitForFunction(() => !document.getElementById('loading').hidden, null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => document.getElementById('loading').textContent),
      'OAuth Setup could not load the rest of its code (app.deferred.wasm: HTTP 404). Reload the page to start again.');
  } finally {
    await page.context().close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
