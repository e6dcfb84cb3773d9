// Storage through the real page: unreadable text (broken JSON, another shape, a newer version,
// wrong types) kept under a backup key and offered for download, storage that is full, and a page
// holding 1,000 profiles. Storage is prepared as a fixture: a first load, localStorage.setItem, then a
// reload; every load must be free of CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hasItem, click, settle, items, snapshot, screenshot } from './lib/browser.mjs';
import {
  useRig, ALLOWED, KEY, getToken, selectedOf, byName, selected, reveal, tap, type, download, reload, seedStorage,
  storageGet, storageKeys, consoleProblems,
} from './lib/app.mjs';
import { startFaultServer } from './fixtures/fault_server.mjs';

const T = { timeout: 60000 };
const rig = useRig({ name: 'storage', oidc: false, cspClean: true });
const { withPage } = rig;
let faults;
before(async () => { faults = await startFaultServer(); });
after(async () => { await faults?.close(); });

// ---- storage: unreadable text -------------------------------------------------------------------

const BROKEN_JSON = '{"version":1,"profiles":[{"tokenName":"Half written","clientId":"half';

test('broken JSON in storage: the page starts, says so, backs the text up, offers it for download', T, async () => {
  await withPage(async (page) => {
    await seedStorage(page, { [KEY.profiles]: BROKEN_JSON });
    const snap = await snapshot(page);
    assert.match(snap.storage, /^The saved profiles are not valid JSON; the text was kept as it is and will not be overwritten\./);
    assert.match(snap.storage, /kept under the key "oauth-setup:backup"; download it below\.$/);
    assert.equal(await storageGet(page, KEY.backup), BROKEN_JSON, 'the raw text is the backup');
    assert.equal(snap.profiles.length, 1, 'a fresh profile to work with');
    assert.equal(snap.selected, 'New Profile');
    await screenshot(page, 'hardening-broken-json');

    const file = await download(page, 'Download Stored Text');
    assert.equal(file.text, BROKEN_JSON, 'the download holds the stored text exactly');

    // The page is usable: an edit is saved, and the backup survives it.
    await type(page, 'Client ID', 'after-broken');
    assert.equal((await selected(page)).clientId, 'after-broken');
    const stored = JSON.parse(await storageGet(page, KEY.profiles));
    assert.equal(stored.version, 1);
    assert.equal(stored.profiles[0].clientId, 'after-broken');
    assert.equal(await storageGet(page, KEY.backup), BROKEN_JSON, 'the backup is not overwritten by a save');

    await reload(page);
    const again = await snapshot(page);
    assert.equal(again.storage, '', 'readable again: no banner');
    assert.equal(selectedOf(again).clientId, 'after-broken');
    assert.equal(await storageGet(page, KEY.backup), BROKEN_JSON);
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

test('an older backup of different text is never overwritten: the new text gets a key of its own', T, async () => {
  await withPage(async (page) => {
    const older = 'older unreadable text from another day';
    const broken = '[1, 2, 3]'; // JSON, but not the document shape
    const t0 = Math.floor(Date.now() / 1000);
    await seedStorage(page, { [KEY.profiles]: broken, [KEY.backup]: older });
    const snap = await snapshot(page);
    assert.match(snap.storage, /not a \{"version": 1, "profiles": \[\.\.\.\]\} document/);
    const m = snap.storage.match(/kept under the key "(oauth-setup:backup:(\d+))"/);
    assert.ok(m, `the banner names the new backup key: ${snap.storage}`);
    assert.ok(Math.abs(Number(m[2]) - t0) <= 5, `the key carries unix seconds: ${m[2]} vs ${t0}`);
    assert.equal(await storageGet(page, KEY.backup), older, 'the older backup is untouched');
    assert.equal(await storageGet(page, m[1]), broken, 'the new text is kept under its own key');
    const file = await download(page, 'Download Stored Text');
    assert.equal(file.text, broken, 'the download is the text just found, not the older backup');
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

test('reloading a page whose storage is still unreadable does not pile up copies of the same text', {
  ...T,
}, async () => {
  await withPage(async (page) => {
    await seedStorage(page, { [KEY.profiles]: 'not json at all', [KEY.backup]: 'an older backup' });
    const first = (await storageKeys(page)).filter((k) => k.startsWith(KEY.backup));
    assert.equal(first.length, 2);
    await page.waitForTimeout(1100); // another second, so another timestamp
    await reload(page);
    const second = (await storageKeys(page)).filter((k) => k.startsWith(KEY.backup));
    assert.deepEqual(second, first, 'the same unreadable text is backed up once');
  });
});

test('a document from a newer version: shown and usable, kept under the backup key', T, async () => {
  await withPage(async (page) => {
    const future = JSON.stringify({
      version: 99,
      hologram: { enabled: true },
      profiles: [{
        tokenName: 'From the future', grantType: 'client_credentials', clientId: 'future-client', clientSecret: 'future-secret',
        clientAuthentication: 'header', accessTokenUrl: faults.goodUrl, quantumKey: 'keep me',
      }],
    });
    await seedStorage(page, { [KEY.profiles]: future });
    const snap = await snapshot(page);
    assert.match(snap.storage, /^The saved profiles were written by a newer version of this page \(document version 99\); they are shown but will not be overwritten\./);
    assert.match(snap.storage, /kept under the key "oauth-setup:backup"/);
    assert.equal(await storageGet(page, KEY.backup), future);
    const p = byName(snap, 'From the future');
    assert.ok(p, 'the readable profile is shown');
    assert.equal(p.clientId, 'future-client');
    await reveal(page, 'From the future');

    // Usable: it gets a token, and an edit takes.
    const connected = await getToken(page);
    assert.equal(connected.state, 'Connected', `State: ${connected.state} (${connected.error})`);
    await type(page, 'Client ID', 'edited-future-client');
    assert.equal((await selected(page)).clientId, 'edited-future-client');
    assert.equal(await storageGet(page, KEY.backup), future, 'the newer document is still kept, byte for byte');
    assert.equal((await download(page, 'Download Stored Text')).text, future);
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

const WRONG_TYPES = JSON.stringify({
  version: 1,
  profiles: [
    {
      tokenName: 'Typed wrong', grantType: 'client_credentials', clientId: 42, clientSecret: ['not', 'a', 'string'],
      scopes: { read: true }, useRelay: 'yes', lastToken: 'not-an-object', accessTokenUrl: 'http://127.0.0.1:1/token',
    },
    'not even an object',
    {
      tokenName: 'Readable', grantType: 'client_credentials', clientId: 'readable-client', clientSecret: 'readable-secret',
      clientAuthentication: 'header', scopes: 'api:read', accessTokenUrl: 'PLACEHOLDER',
    },
  ],
});

test('a profile with wrong types: banner, defaults for the wrong fields, readable profiles stay usable', T, async () => {
  await withPage(async (page) => {
    const text = WRONG_TYPES.replace('PLACEHOLDER', faults.goodUrl);
    await seedStorage(page, { [KEY.profiles]: text });
    const snap = await snapshot(page);
    assert.match(snap.storage, /^Some saved values could not be read and took their defaults/);
    assert.deepEqual(snap.profiles.map((p) => p.tokenName), ['Typed wrong', 'Readable']);
    const wrong = byName(snap, 'Typed wrong');
    assert.equal(wrong.clientId, '', 'a number Client ID takes the default');
    assert.equal(wrong.clientSecret, '');
    assert.equal(wrong.scopes, '');
    assert.equal(wrong.lastToken, null);
    assert.equal(wrong.accessTokenUrl, 'http://127.0.0.1:1/token', 'its readable fields are kept');
    const readable = byName(snap, 'Readable');
    assert.equal(readable.clientId, 'readable-client');
    assert.equal(readable.clientSecret, 'readable-secret');

    await tap(page, 'Readable');
    assert.equal((await snapshot(page)).selected, 'Readable');
    const connected = await getToken(page);
    assert.equal(connected.state, 'Connected', `the readable profile works: ${connected.error}`);
    await tap(page, 'Typed wrong');
    await type(page, 'Client ID', 'fixed-client');
    assert.equal(byName(await snapshot(page), 'Typed wrong').clientId, 'fixed-client');
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

test('a profile with wrong types: the raw text is kept under the backup key before the first save', {
  ...T,
}, async () => {
  await withPage(async (page) => {
    const text = WRONG_TYPES.replace('PLACEHOLDER', faults.goodUrl);
    await seedStorage(page, { [KEY.profiles]: text });
    assert.match((await snapshot(page)).storage, /oauth-setup:backup/, 'the banner names the backup key');
    await type(page, 'Client ID', 'first-save');
    assert.equal(await storageGet(page, KEY.backup), text, 'the raw text survives the first save');
  });
});

// ---- storage: full ------------------------------------------------------------------------------

test('storage full (QuotaExceededError): the edit stays in memory, a banner says it is not saved, nothing stored is damaged', T, async () => {
  await withPage(async (page) => {
    await type(page, 'Token Name', 'Quota test');
    await type(page, 'Client ID', 'stored-before-full');
    const storedBefore = await storageGet(page, KEY.profiles);
    assert.equal(JSON.parse(storedBefore).profiles[0].clientId, 'stored-before-full');

    // Fill the origin's quota with one big key, leaving (nearly) no room.
    const filled = await page.evaluate(() => {
      let lo = 0; let hi = 16 * 1024 * 1024;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        try { localStorage.setItem('filler', 'x'.repeat(mid)); lo = mid; } catch { hi = mid - 1; }
      }
      localStorage.setItem('filler', 'x'.repeat(lo));
      try { localStorage.setItem('probe', 'x'.repeat(16)); localStorage.removeItem('probe'); return { lo, full: false }; } catch (e) { return { lo, full: e.name }; }
    });
    assert.equal(filled.full, 'QuotaExceededError', `storage is full (filler of ${filled.lo} characters)`);

    // Append to the field (End, then text): every save attempt is larger than what is stored.
    await tap(page, 'Client ID');
    await page.keyboard.press('End');
    await page.keyboard.insertText('-edited-while-storage-is-full');
    await settle(page);
    let snap = await snapshot(page);
    assert.match(snap.storage, /^Changes are not saved: the browser refused to store them \(storage is full\)\. They stay on this page until it is closed\.$/);
    assert.equal(selectedOf(snap).clientId, 'stored-before-full-edited-while-storage-is-full', 'the edit stays in memory');
    assert.equal(await storageGet(page, KEY.profiles), storedBefore, 'what was stored is not damaged');
    await screenshot(page, 'hardening-storage-full');

    // Room again: the next edit is saved and the banner goes away.
    await page.evaluate(() => localStorage.removeItem('filler'));
    await type(page, 'Scope(s)', 'api:read');
    snap = await snapshot(page);
    assert.equal(snap.storage, '', 'the banner is gone once a save works');
    const stored = JSON.parse(await storageGet(page, KEY.profiles));
    assert.equal(stored.profiles[0].clientId, 'stored-before-full-edited-while-storage-is-full', 'the kept edit is saved with the next one');
    assert.equal(stored.profiles[0].scopes, 'api:read');
    await reload(page);
    assert.equal(selectedOf(await snapshot(page)).clientId, 'stored-before-full-edited-while-storage-is-full');
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});

// ---- scale ----------------------------------------------------------------------------------------

export function manyProfiles(count, { tokenUrl = 'http://127.0.0.1:9/token', needleAt = -1 } = {}) {
  const profiles = [];
  for (let i = 0; i < count; i += 1) {
    const n = String(i).padStart(4, '0');
    profiles.push({
      tokenName: i === needleAt ? `Zebra Needle ${n}` : `Profile ${n}`,
      grantType: 'client_credentials', clientId: `client-${n}`, clientSecret: `secret-${n}`,
      redirectUrl: 'http://127.0.0.1/callback.html', scopes: 'api:read', clientAuthentication: 'header',
      authorizationUrl: '', accessTokenUrl: tokenUrl, authUrlParams: '', username: '', password: '',
      state: '', lastError: '',
    });
  }
  return JSON.stringify({ version: 1, profiles });
}

test('1,000 stored profiles: the page loads, the filter narrows the list, an edit is saved', { timeout: 90000 }, async () => {
  await withPage(async (page) => {
    await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('oauth-setup:profiles', t); },
      manyProfiles(1000, { needleAt: 777 }));
    const t0 = Date.now();
    await page.reload();
    await page.evaluate(() => window.oauthSetup.ready);
    const loadMs = Date.now() - t0;
    await settle(page);
    const snap = await snapshot(page);
    assert.equal(snap.profiles.length, 1000);
    assert.equal(snap.storage, '');
    assert.ok(loadMs < 15000, `loaded in ${loadMs} ms`);

    await click(page, 'Filter');
    const t1 = Date.now();
    await page.keyboard.type('zebra');
    await settle(page);
    const filterMs = Date.now() - t1;
    assert.ok(filterMs < 10000, `filtered in ${filterMs} ms`);
    const shown = (await items(page)).filter((it) => /^(Profile|Zebra Needle) \d{4}$/.test(it.label));
    assert.deepEqual(shown.map((it) => it.label), ['Zebra Needle 0777'], 'only the matching profile is listed');
    assert.ok(await hasItem(page, 'Zebra Needle 0777'));

    await click(page, 'Zebra Needle 0777');
    assert.equal((await snapshot(page)).selected, 'Zebra Needle 0777');
    const t2 = Date.now();
    await type(page, 'Client ID', 'edited-at-scale');
    const editMs = Date.now() - t2;
    assert.ok(editMs < 10000, `edited in ${editMs} ms`);
    const stored = JSON.parse(await storageGet(page, KEY.profiles));
    assert.equal(stored.profiles.length, 1000);
    assert.equal(stored.profiles[777].clientId, 'edited-at-scale');
    assert.equal(stored.profiles[776].clientId, 'client-0776');
    await screenshot(page, 'hardening-1000-profiles');
    assert.deepEqual(consoleProblems(page.consoleLog, ALLOWED), []);
  });
});
