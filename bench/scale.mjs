// Scale benchmark (issue 6): the page with 1 stored profile against the page with 1,000.
// For each size: time from navigation to window.oauthSetup.ready (the first frame), the cost of
// filtering the profile list (per keystroke: time to the first frame, time until the page is quiet
// again, frames drawn), and the time to select a profile and to edit a field until it is saved.
// Prints each figure per size and the ratio of the large page to the small one.
//
// The "Filter" box appears only once there are six profiles, so filtering is compared with a page
// of 6 profiles (the smallest page that has the box); everything else with a page of 1.
//
// Usage (after scripts/build.sh page): cd tests/e2e && node ../../bench/scale.mjs [count=1000] [runs=3]
import { startServer, launchBrowser, settle, items } from '../tests/e2e/lib/browser.mjs';

const COUNT = Number(process.argv[2] || 1000);
const RUNS = Number(process.argv[3] || 3);
const NEEDLE = 'Zebra Needle';
const FILTER_TEXT = 'zebra';

function profilesText(count) {
  const needleAt = Math.floor(count * 0.777);
  const profiles = [];
  for (let i = 0; i < count; i += 1) {
    const n = String(i).padStart(4, '0');
    profiles.push({
      tokenName: i === needleAt ? `${NEEDLE} ${n}` : `Profile ${n}`,
      grantType: 'client_credentials', clientId: `client-${n}`, clientSecret: `secret-${n}`,
      redirectUrl: 'http://127.0.0.1/callback.html', scopes: 'api:read', clientAuthentication: 'header',
      authorizationUrl: '', accessTokenUrl: 'http://127.0.0.1:9/token', authUrlParams: '', username: '', password: '',
      state: '', lastError: '',
    });
  }
  return { text: JSON.stringify({ version: 1, profiles }), needle: profiles[needleAt].tokenName };
}

const frames = (page) => page.evaluate(() => window.oauthSetup.frames());
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };

/** After an input: ms to the first new frame, ms to the last frame before 150 ms of quiet, frames drawn. */
async function until(page, f0, t0, { quietMs = 150, timeoutMs = 10000 } = {}) {
  let first = null; let last = t0; let count = f0;
  for (;;) {
    const now = Date.now();
    const f = await frames(page);
    if (f !== count) { count = f; last = now; if (first === null) first = now; }
    if (first !== null && now - last >= quietMs) break;
    if (now - t0 > timeoutMs) break;
    await page.waitForTimeout(5);
  }
  return { firstMs: (first ?? last) - t0, settleMs: last - t0, frames: count - f0 };
}

async function clickItem(page, label) {
  const all = await items(page);
  const it = all.find((x) => x.label === label && x.visible);
  if (!it) throw new Error(`no visible "${label}"`);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
}

async function measure(browser, url, count) {
  const { text, needle } = profilesText(count);
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  const result = { count, load: [], wall: [], key: [], keySettle: [], keyFrames: [], select: [], edit: [] };
  try {
    await page.goto(url);
    await page.evaluate(() => window.oauthSetup.ready);
    await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('oauth-setup:profiles', t); }, text);
    for (let run = 0; run < RUNS; run += 1) {
      const t0 = Date.now();
      await page.reload();
      const readyAt = await page.evaluate(() => window.oauthSetup.ready.then(() => performance.now()));
      result.wall.push(Date.now() - t0);
      result.load.push(readyAt);
      await settle(page);
      const n = await page.evaluate(() => window.oauthSetup.snapshot().profiles.length);
      if (n !== count) throw new Error(`stored ${count} profiles, the page shows ${n}`);

      if (count >= 6) {
        await clickItem(page, 'Filter');
        await settle(page);
        for (const ch of FILTER_TEXT) {
          const f0 = await frames(page);
          const k0 = Date.now();
          await page.keyboard.press(ch);
          const r = await until(page, f0, k0);
          result.key.push(r.firstMs); result.keySettle.push(r.settleMs); result.keyFrames.push(r.frames);
        }
        const shown = (await items(page)).filter((it) => /^(Profile|Zebra Needle) \d{4}$/.test(it.label)).map((it) => it.label);
        if (shown.length !== 1 || shown[0] !== needle) throw new Error(`the filter shows ${JSON.stringify(shown.slice(0, 5))}`);
      }

      const s0 = Date.now();
      await clickItem(page, needle);
      await page.waitForFunction((name) => window.oauthSetup.snapshot().selected === name, needle, { polling: 5 });
      result.select.push(Date.now() - s0);
      await settle(page);

      const value = `edited-${run}-${Date.now()}`;
      await clickItem(page, 'Client ID');
      await settle(page);
      const e0 = Date.now();
      await page.keyboard.down('Control'); await page.keyboard.press('a'); await page.keyboard.up('Control');
      await page.keyboard.insertText(value);
      await page.waitForFunction((v) => (localStorage.getItem('oauth-setup:profiles') || '').includes(`"clientId":"${v}"`), value, { polling: 5 });
      result.edit.push(Date.now() - e0);
      await page.evaluate((t) => localStorage.setItem('oauth-setup:profiles', t), text); // back to the fixture
    }
  } finally {
    await context.close();
  }
  return result;
}

const server = await startServer();
const browser = await launchBrowser();
try {
  // A first load warms up the compiled wasm in the HTTP cache like a returning visitor's.
  const small = await measure(browser, server.url, 1);
  const filterBase = await measure(browser, server.url, 6);
  const large = await measure(browser, server.url, COUNT);
  const rows = [
    ['first frame after navigation start (ms)', 'load', small],
    ['navigation to ready, wall (ms)', 'wall', small],
    ['filter keystroke: to first frame (ms)', 'key', filterBase],
    ['filter keystroke: until quiet (ms)', 'keySettle', filterBase],
    ['filter keystroke: frames drawn', 'keyFrames', filterBase],
    ['select a profile (ms)', 'select', small],
    ['edit Client ID until saved (ms)', 'edit', small],
  ];
  console.log(`scale: medians of ${RUNS} runs (filter: ${FILTER_TEXT.length} keystrokes per run); filter compared with 6 profiles`);
  console.log(`${'figure'.padEnd(42)} ${'base'.padStart(8)} ${String(COUNT).padStart(8)}   ratio`);
  for (const [label, key, base] of rows) {
    const a = median(base[key]); const b = median(large[key]);
    const ratio = a > 0 ? (b / a).toFixed(2) : 'n/a';
    console.log(`${label.padEnd(42)} ${String(Math.round(a * 10) / 10).padStart(8)} ${String(Math.round(b * 10) / 10).padStart(8)}   ${ratio}`
      + `   (base ${base.count} profile${base.count === 1 ? '' : 's'})`);
  }
} finally {
  await browser.close();
  await server.close();
}
