// Benchmark, side by side (issue 12): the page (build/site) against the anchor (build/anchor-site,
// bench/anchor: Dear ImGui 1.86 with one window, WebGL2 and emscripten_fetch, no app, built with the
// page's toolchain and flags), both measured in one run of headless Debian Chromium.
//
//   download         gzip -9 of every file each page fetched on a fresh load; the page's with its
//                    deferred code, fetched once a person first acts (app.deferred.wasm, see
//                    web/host/deferred.js), and with the CJK fallback font it fetches once such text
//                    first appears (fonts/fallback.ttf)
//   first frame      ms from navigation start to the first drawn frame; median of fresh loads
//                    (a new browser context each, anchor and page interleaved)
//   CPU per frame    over a burst of frames forced by mouse moves, divided by the frames drawn: the
//                    main thread (CDP Performance metrics in thread ticks), the renderer process and
//                    the GPU process (CDP SystemInfo; SwiftShader runs the WebGL calls there)
//   keystroke        ms from a key's keydown to the next drawn frame, typing into a text field
//   round trip       a client-credentials token request against the demo oidc-provider: ms from the
//                    click on the page's "Get Access Token" until a frame has drawn State "Connected",
//                    against the click on the anchor's "Fetch" (a bare emscripten_fetch of the same
//                    request) until a frame has drawn its answer; split into click to request sent,
//                    the request (Resource Timing) and response to drawn frame; a raw JavaScript
//                    fetch() of the same request is shown too
//   idle frames      frames drawn during 5 quiet seconds
//   mirror           the frame cost with the accessible mirror on (web/host/mirror.js; always on),
//                    with 1 and with 1,000 stored profiles, against the anchor in the same run: CPU
//                    per frame over mouse moves (the mirror does not change) and over typing (every
//                    frame changes a mirrored value), and the mirror's own DOM update per change
// Targets: download <= 300 KB gzip; first frame <= 2x the anchor; 0 idle frames (both); round trip
// <= 1.2x the anchor's. Prints one table and writes bench/results.json; exits 1 when a target fails.
//
// Usage (after scripts/build.sh page anchor): node bench/bench.mjs [--loads N] [--rounds N] [--keys N]
// Noisy on a shared machine: it is not part of the test command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT, SITE, startServer, launchBrowser, findItem, snapshot } from '../tests/e2e/lib/browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ANCHOR_SITE = process.env.OAUTH_SETUP_ANCHOR_SITE || path.join(ROOT, 'build/anchor-site');
const RESULTS = path.join(HERE, 'results.json');
const KB = 1000;

function option(name, fallback, min) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < min) {
    console.error(`bench: --${name} needs a whole number of at least ${min}`);
    process.exit(2);
  }
  return value;
}
const LOADS = option('loads', 7, 5);
const ROUNDS = option('rounds', 9, 3);
const KEYS = option('keys', 15, 5);
const IDLE_MS = 5000;
const VIEWPORT = { width: 1200, height: 800 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round1 = (x) => Math.round(x * 10) / 10;

// ---- The two subjects ----------------------------------------------------------------------------
// `api` is the global each page's host publishes: {ready, frames()} on both.
const SUBJECTS = {
  anchor: { name: 'anchor', site: ANCHOR_SITE, api: 'anchor', entry: 'anchor.js' },
  page: { name: 'page', site: SITE, api: 'oauthSetup', entry: 'app.js' },
};

function checkBuilt() {
  const missing = Object.values(SUBJECTS).filter((s) => !existsSync(path.join(s.site, 'index.html'))
    || !existsSync(path.join(s.site, s.entry)));
  if (missing.length) {
    console.error(`bench: no build in ${missing.map((s) => s.site).join(', ')}: run scripts/build.sh page anchor`);
    process.exit(2);
  }
}

async function importOidcServer() {
  // The demo server may move out of tests/ (issue 12): take whichever is there.
  for (const rel of ['tests/e2e/oidc/server.mjs', 'demo/oidc/server.mjs', 'demo/server.mjs']) {
    const file = path.join(ROOT, rel);
    if (existsSync(file)) return import(pathToFileURL(file).href);
  }
  throw new Error('bench: the demo oidc-provider (demo/server.mjs) is missing');
}

// ---- In-page probes (serialised into the page: no closures over this module) ---------------------

/**
 * Before the page's own scripts: note performance.now() when the host's `ready` settles, which it
 * does in the frameDrawn() of the first frame, so the time is that frame's, not the test's.
 */
function firstFrameProbe(api) {
  let value;
  Object.defineProperty(window, api, {
    configurable: true,
    enumerable: true,
    get() { return value; },
    set(v) {
      value = v;
      if (v && v.ready) v.ready.then(() => { window.benchFirstFrameMs = performance.now(); }, () => {});
    },
  });
}

/**
 * Installs window.bench in a loaded page: `after(t0, done)` checks, right after each animation
 * frame's rendering (a message posted from requestAnimationFrame runs once the frame is drawn),
 * whether a new frame was drawn and `done()` holds; it records the time since `t0` when it does.
 */
function installWatcher(api) {
  if (window.bench) return;
  const host = () => window[api];
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => {
    if (!pending) return;
    const frames = host().frames();
    if (frames !== pending.frames) {
      pending.frames = frames;
      if (pending.done()) {
        const w = pending;
        pending = null;
        w.resolve(performance.now() - w.t0);
        return;
      }
    }
    if (performance.now() - pending.t0 > pending.timeoutMs) {
      const w = pending;
      pending = null;
      w.resolve(NaN);
      return;
    }
    requestAnimationFrame(() => channel.port2.postMessage(0));
  };
  const bench = {
    next: null,
    after(t0, done, timeoutMs = 20000) {
      return new Promise((resolve) => {
        pending = { t0, done, resolve, timeoutMs, frames: host().frames() };
        requestAnimationFrame(() => channel.port2.postMessage(0));
      });
    },
    // The next input event of `type` starts a watch; bench.next resolves to its result.
    arm(type, done) {
      bench.next = new Promise((resolve) => {
        const listener = (e) => {
          window.removeEventListener(type, listener, true);
          bench.armedAt = e.timeStamp;
          bench.after(e.timeStamp, done).then(resolve);
        };
        window.addEventListener(type, listener, true);
      });
    },
  };
  window.bench = bench;
}

/** Waits until `api`'s page draws no frame for `quietMs` (settle() of tests/e2e, for either page). */
async function settle(page, api = 'oauthSetup', { quietMs = 150, timeoutMs = 5000 } = {}) {
  const frames = () => page.evaluate((name) => window[name].frames(), api);
  const start = Date.now();
  let last = await frames();
  let lastChange = Date.now();
  while (Date.now() - start < timeoutMs) {
    await page.waitForTimeout(30);
    const now = await frames();
    if (now !== last) { last = now; lastChange = Date.now(); } else if (Date.now() - lastChange >= quietMs) return;
  }
}

// ---- Opening pages -------------------------------------------------------------------------------

async function openSubject(browser, subject, url) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(firstFrameProbe, subject.api);
  const page = await context.newPage();
  const fetched = new Set();
  const origin = new URL(url).origin;
  page.on('requestfinished', (req) => {
    const u = new URL(req.url());
    if (u.origin === origin) fetched.add(u.pathname === '/' ? '/index.html' : u.pathname);
  });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.evaluate((api) => window[api].ready, subject.api);
  const firstFrameMs = await page.evaluate(() => window.benchFirstFrameMs ?? NaN);
  await settle(page, subject.api);
  await page.evaluate(installWatcher, subject.api);
  return { context, page, fetched, firstFrameMs, problems };
}

/** A file of the page it fetches only later: fonts/fallback.ttf once CJK text appears, app.deferred.wasm once a person acts. */
function laterFileOf(subject, name) {
  const file = path.join(subject.site, name);
  if (!existsSync(file)) return { bytes: NaN, gzip: NaN };
  const data = readFileSync(file);
  return { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

function downloadOf(subject, fetched) {
  const files = [];
  for (const p of [...fetched].sort()) {
    const file = path.join(subject.site, decodeURIComponent(p));
    if (!existsSync(file)) continue;
    const data = readFileSync(file);
    files.push({ path: p, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length });
  }
  return { files, bytes: files.reduce((n, f) => n + f.bytes, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

/** N fresh loads of each subject, interleaved (the order alternates), for first frame and download. */
async function freshLoads(browser, urls) {
  const times = { anchor: [], page: [] };
  const download = {};
  for (let i = 0; i < LOADS; i += 1) {
    const order = i % 2 ? ['page', 'anchor'] : ['anchor', 'page'];
    for (const name of order) {
      const s = await openSubject(browser, SUBJECTS[name], urls[name]);
      times[name].push(s.firstFrameMs);
      if (!download[name]) download[name] = downloadOf(SUBJECTS[name], s.fetched);
      await s.context.close();
    }
  }
  return { times, download };
}

// ---- CPU per frame -------------------------------------------------------------------------------

/** CPU seconds so far of each kind of browser process (renderer, GPU, browser, ...), summed. */
async function processCpu(browserCdp) {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  const sums = {};
  for (const p of processInfo) sums[p.type] = (sums[p.type] || 0) + p.cpuTime;
  return sums;
}

/**
 * CPU time per frame over a burst of frames forced by `moves` mouse moves: the page's main thread
 * (CDP Performance metrics in thread ticks: CPU, not wall time), all renderer processes (main,
 * compositor and raster threads; the other subject's renderer is idle meanwhile), and the GPU
 * process, where SwiftShader executes the frame's WebGL calls in software.
 */
async function cpuPerFrame(session, browserCdp, burst = mouseBurst) {
  const { page } = session;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics
    .map((m) => [m.name, m.value]));
  const frames = () => page.evaluate((api) => window[api].frames(), session.api);
  if (burst === mouseBurst) await page.mouse.move(300, 300);
  await settle(page, session.api);
  const stats = () => page.evaluate((api) => (window[api].mirrorStats ? window[api].mirrorStats() : null), session.api);
  const [f0, m0, p0, s0] = [await frames(), await metrics(), await processCpu(browserCdp), await stats()];
  await burst(page);
  await settle(page, session.api);
  const [f1, m1, p1, s1] = [await frames(), await metrics(), await processCpu(browserCdp), await stats()];
  await cdp.detach();
  const drawn = f1 - f0;
  const perFrame = (a, b, key) => (((b[key] || 0) - (a[key] || 0)) * 1000) / drawn;
  return {
    frames: drawn,
    mainMs: perFrame(m0, m1, 'TaskDuration'),
    scriptMs: perFrame(m0, m1, 'ScriptDuration'),
    rendererMs: perFrame(p0, p1, 'renderer'),
    gpuMs: perFrame(p0, p1, 'GPU'),
    mirrorUpdates: s1 ? s1.updates - s0.updates : NaN,
    mirrorMsPerUpdate: s1 && s1.updates > s0.updates ? (s1.domMs - s0.domMs) / (s1.updates - s0.updates) : NaN,
    mirrorWasmMsPerFrame: s1 ? (s1.wasmMs - s0.wasmMs) / drawn : NaN,
  };
}

/** A zigzag of mouse moves over the widgets, so hover changes as a person's mouse would make it. */
async function mouseBurst(page, moves = 40) {
  for (let i = 0; i < moves; i += 1) {
    await page.mouse.move(60 + ((i * 37) % 420), 60 + ((i * 23) % 300));
    await page.waitForTimeout(16);
  }
}

/** Letters typed into the focused text field, one frame's worth apart. */
async function typingBurst(page, keys = 12) {
  for (let i = 0; i < keys; i += 1) {
    await page.keyboard.press('abcdefghijkl'[i % 12]);
    await page.waitForTimeout(30);
  }
}

// ---- Keystroke to drawn frame --------------------------------------------------------------------

async function keystroke(session, ch) {
  const { page } = session;
  await page.evaluate(() => window.bench.arm('keydown', () => true));
  await page.keyboard.press(ch);
  const ms = await page.evaluate(() => window.bench.next);
  await settle(page, session.api);
  return ms;
}

// ---- Client-credentials round trip ---------------------------------------------------------------

async function clickBox(page, box) {
  await page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
}

/**
 * One round trip's phases from the page's own clock: the click (pointerup) to the token request's
 * start, the request itself (Resource Timing of the last request to `url`, CORS preflight included),
 * and its response to the drawn frame.
 */
async function tripPhases(page, url, totalMs) {
  return page.evaluate(({ u, total }) => {
    const entry = performance.getEntriesByType('resource').filter((e) => e.name === u).at(-1);
    const t0 = window.bench.armedAt;
    if (!entry || entry.startTime < t0) return { totalMs: total, toRequestMs: NaN, requestMs: NaN, toFrameMs: NaN };
    return {
      totalMs: total,
      toRequestMs: entry.startTime - t0,
      requestMs: entry.responseEnd - entry.startTime,
      toFrameMs: t0 + total - entry.responseEnd,
    };
  }, { u: url, total: totalMs });
}

/** Page: "Get Access Token" to a drawn frame with State "Connected" for this new request. */
async function pageRoundTrip(session) {
  const { page } = session;
  const before = (await snapshot(page)).log.length;
  await page.evaluate((n) => window.bench.arm('pointerup', () => {
    const s = window.oauthSetup.snapshot();
    return s.state === 'Connected' && !s.busy && s.log.length > n && s.log.at(-1).finished;
  }), before);
  const button = await findItem(page, 'Get Access Token');
  await clickBox(page, button);
  const ms = await page.evaluate(() => window.bench.next);
  const snap = await snapshot(page);
  if (snap.state !== 'Connected') throw new Error(`page: State "${snap.state}" (${snap.error})`);
  const phases = await tripPhases(page, session.tokenUrl, ms);
  await settle(page);
  return phases;
}

/** Anchor: "Fetch" to a drawn frame with the answer (HTTP 200) of this new request. */
async function anchorRoundTrip(session) {
  const { page } = session;
  const before = await page.evaluate(() => window.anchor.fetches());
  await page.evaluate((n) => window.bench.arm('pointerup',
    () => window.anchor.fetches() > n), before);
  const { button } = await page.evaluate(() => window.anchor.boxes());
  await clickBox(page, button);
  const ms = await page.evaluate(() => window.bench.next);
  const status = await page.evaluate(() => window.anchor.lastStatus());
  if (status !== 200) throw new Error(`anchor: the token endpoint answered HTTP ${status}`);
  const phases = await tripPhases(page, session.tokenUrl, ms);
  await settle(page, 'anchor');
  return phases;
}

/** A raw fetch() of the same request from the anchor's page: ms until the body is read. */
async function rawFetch(session, request) {
  return session.page.evaluate(async (r) => {
    const t0 = performance.now();
    const res = await fetch(r.url, {
      method: 'POST', body: r.body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Authorization: r.authorization },
    });
    await res.text();
    if (res.status !== 200) throw new Error(`raw fetch: HTTP ${res.status}`);
    return performance.now() - t0;
  }, request);
}

// The profile the page's Client Credentials round trip uses, stored the way tests/e2e seed it,
// then `more` other profiles (the 1,000-profile page of the mirror figures).
function seededProfiles(tokenUrl, client, more = 0) {
  const profile = (tokenName, clientId) => ({
    tokenName, grantType: 'client_credentials', clientId, clientSecret: client.secret, scopes: 'api:read',
    clientAuthentication: 'header', authorizationUrl: '', accessTokenUrl: tokenUrl,
    redirectUrl: 'http://127.0.0.1/callback.html', authUrlParams: '', username: '', password: '', state: '', lastError: '',
  });
  const others = Array.from({ length: more }, (_, i) => profile(`Profile ${String(i).padStart(4, '0')}`, `client-${i}`));
  return JSON.stringify({ version: 1, profiles: [profile('Bench client credentials', client.id), ...others] });
}

async function preparePage(session, tokenUrl, client, more = 0) {
  const { page } = session;
  await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('oauth-setup:profiles', t); },
    seededProfiles(tokenUrl, client, more));
  await page.reload();
  await page.evaluate(() => window.oauthSetup.ready);
  await settle(page);
  await page.evaluate(installWatcher, 'oauthSetup');
  const name = 'Bench client credentials';
  if ((await snapshot(page)).selected !== name) {
    await clickBox(page, await findItem(page, name));
    await settle(page);
  }
  const snap = await snapshot(page);
  if (snap.selected !== name) throw new Error(`page: the seeded profile is not selected (${snap.selected})`);
}

// ---- Build flags: are the two really built alike? --------------------------------------------------

function linkFlags(file) {
  if (!existsSync(file)) return null;
  const words = readFileSync(file, 'utf8').split(/\s+/);
  return new Set(words.map((w) => w.replace(/^["']|["']$/g, '')).filter((w) => /^(-s[A-Z_]+|-O|-flto)/.test(w)));
}

function compareLinkFlags() {
  const page = linkFlags(path.join(ROOT, 'build/web/src/CMakeFiles/oauth_setup_page.dir/link.txt'));
  const anchor = linkFlags(path.join(ROOT, 'build/anchor/bench/anchor/CMakeFiles/anchor_page.dir/link.txt'));
  if (!page || !anchor) return { known: false };
  return {
    known: true,
    pageOnly: [...page].filter((f) => !anchor.has(f)),
    anchorOnly: [...anchor].filter((f) => !page.has(f)),
  };
}

// ---- Report --------------------------------------------------------------------------------------

function figure(label, unit, anchor, page, target) {
  const ratio = anchor > 0 ? page / anchor : NaN;
  const pass = target ? target.check(page, anchor, ratio) : null;
  return { label, unit, anchor, page, ratio, target: target ? target.text : '', pass };
}

function printTable(rows) {
  const cell = (x, unit) => (typeof x === 'number' ? (Number.isNaN(x) ? 'n/a' : `${round1(x)} ${unit}`) : String(x));
  const lines = [['figure', 'anchor', 'page', 'page/anchor', 'target', '']];
  for (const r of rows) {
    lines.push([r.label, cell(r.anchor, r.unit), cell(r.page, r.unit),
      Number.isNaN(r.ratio) ? 'n/a' : r.ratio.toFixed(2), r.target,
      r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL']);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  for (const l of lines) {
    console.log(l.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
  }
}

/** Frames each session draws while nobody touches either (both measured at once). */
async function idleFrames(sessions) {
  const list = Object.values(sessions);
  for (const s of list) {
    await s.page.mouse.move(5, VIEWPORT.height - 5);
    await settle(s.page, s.api);
  }
  const count = () => Promise.all(list.map((s) => s.page.evaluate((api) => window[api].frames(), s.api)));
  const before = await count();
  await new Promise((resolve) => { setTimeout(resolve, IDLE_MS); });
  const after = await count();
  return Object.fromEntries(list.map((s, i) => [s.name, after[i] - before[i]]));
}

async function measureCpu(sessions, browserCdp) {
  const cpu = { anchor: [], page: [] };
  for (let i = 0; i < 3; i += 1) {
    for (const name of ['anchor', 'page']) cpu[name].push(await cpuPerFrame(sessions[name], browserCdp));
  }
  return cpu;
}

async function measureRoundTrips(sessions, request) {
  const trips = { anchor: [], page: [], rawFetch: [] };
  await anchorRoundTrip(sessions.anchor); // warm-up: connections and CORS preflight caches
  await pageRoundTrip(sessions.page);
  await rawFetch(sessions.anchor, request);
  for (let i = 0; i < ROUNDS; i += 1) {
    trips.anchor.push(await anchorRoundTrip(sessions.anchor));
    trips.page.push(await pageRoundTrip(sessions.page));
    trips.rawFetch.push(await rawFetch(sessions.anchor, request));
  }
  return trips;
}

/**
 * The frame cost with the mirror on: the page with 1 profile and with 1,000 against the anchor,
 * CPU per frame over mouse moves and over typing into a text field (the mirror follows each
 * keystroke), 3 bursts each, interleaved.
 */
async function measureMirror(sessions, browserCdp) {
  const names = ['anchor', 'page', 'page1000'];
  await focusTextField(sessions.anchor, sessions.page);
  await focusTextField(sessions.anchor, sessions.page1000);
  const out = Object.fromEntries(names.map((n) => [n, { mouse: [], typing: [] }]));
  for (let i = 0; i < 3; i += 1) {
    for (const name of names) {
      out[name].mouse.push(await cpuPerFrame(sessions[name], browserCdp, mouseBurst));
      out[name].typing.push(await cpuPerFrame(sessions[name], browserCdp, typingBurst));
    }
  }
  return out;
}

/** Clicks the anchor's text field and the page's Token Name (caret at its end), for typing. */
async function focusTextField(anchor, page) {
  await clickBox(anchor.page, (await anchor.page.evaluate(() => window.anchor.boxes())).text);
  await settle(anchor.page, anchor.api);
  await clickBox(page.page, await findItem(page.page, 'Token Name'));
  await settle(page.page);
  await page.page.keyboard.press('End');
  await settle(page.page);
}

async function measureKeystrokes(sessions) {
  const { anchor, page } = sessions;
  await focusTextField(anchor, page);
  const keys = { anchor: [], page: [] };
  const text = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < KEYS; i += 1) {
    for (const name of ['anchor', 'page']) keys[name].push(await keystroke(sessions[name], text[i % text.length]));
  }
  return keys;
}

function tableRows(m) {
  const cpu = (name, key) => median(m.cpu[name].map((c) => c[key]));
  const cpuRow = (label, key) => figure(label, 'ms', cpu('anchor', key), cpu('page', key));
  const trip = (name, key) => median(m.trips[name].map((t) => t[key]).filter((x) => !Number.isNaN(x)));
  const tripRow = (label, key, target) => figure(label, 'ms', trip('anchor', key), trip('page', key), target);
  return [
    figure('download (gzip -9)', 'KB', m.loads.download.anchor.gzip / KB, m.loads.download.page.gzip / KB,
      { text: 'page <= 300 KB', check: (page) => page <= 300 }),
    figure('  with the deferred code, once a person acts', 'KB', NaN,
      (m.loads.download.page.gzip + laterFileOf(SUBJECTS.page, 'app.deferred.wasm').gzip) / KB),
    figure('  with the CJK fallback font too, once such text appears', 'KB', NaN,
      (m.loads.download.page.gzip + laterFileOf(SUBJECTS.page, 'app.deferred.wasm').gzip
        + laterFileOf(SUBJECTS.page, 'fonts/fallback.ttf').gzip) / KB),
    figure(`first frame (median of ${LOADS})`, 'ms', median(m.loads.times.anchor), median(m.loads.times.page),
      { text: 'page <= 2x anchor', check: (p, a, ratio) => ratio <= 2 }),
    cpuRow('CPU per frame: main thread', 'mainMs'),
    cpuRow('  of which script', 'scriptMs'),
    cpuRow('CPU per frame: renderer process', 'rendererMs'),
    cpuRow('CPU per frame: GPU process (SwiftShader)', 'gpuMs'),
    figure(`keystroke to drawn frame (median of ${KEYS})`, 'ms', median(m.keys.anchor), median(m.keys.page)),
    tripRow(`client-credentials round trip (median of ${ROUNDS})`, 'totalMs',
      { text: 'page <= 1.2x anchor', check: (p, a, ratio) => ratio <= 1.2 }),
    tripRow('  click to request sent', 'toRequestMs'),
    tripRow('  request and response (CORS preflight too)', 'requestMs'),
    tripRow('  response to drawn frame', 'toFrameMs'),
    figure('  page round trip against a raw fetch()', 'ms', median(m.trips.rawFetch), median(m.trips.page.map((t) => t.totalMs))),
    figure(`idle frames in ${IDLE_MS / 1000} s`, 'frames', m.idle.anchor, m.idle.page,
      { text: '0 for both', check: (p, a) => p === 0 && a === 0 }),
    figure(`  idle frames in ${IDLE_MS / 1000} s, token shown`, 'frames', m.idleWithToken.anchor, m.idleWithToken.page,
      { text: 'info: the expiry countdown', check: () => null }),
    ...mirrorRows(m.mirror),
  ];
}

function mirrorRows(mirror) {
  const med = (name, burst, key) => median(mirror[name][burst].map((c) => c[key]).filter((x) => !Number.isNaN(x)));
  const rows = [];
  for (const [burst, what] of [['mouse', 'mouse moves'], ['typing', 'typing']]) {
    for (const [name, size] of [['page', '1 profile'], ['page1000', '1,000 profiles']]) {
      rows.push(figure(`mirror on, ${size}, ${what}: CPU per frame, main thread`, 'ms',
        med('anchor', burst, 'mainMs'), med(name, burst, 'mainMs')));
      rows.push(figure('  renderer process', 'ms', med('anchor', burst, 'rendererMs'), med(name, burst, 'rendererMs')));
    }
  }
  for (const [name, size] of [['page', '1 profile'], ['page1000', '1,000 profiles']]) {
    rows.push(figure(`mirror DOM update per change, typing, ${size}`, 'ms', NaN, med(name, 'typing', 'mirrorMsPerUpdate')));
    for (const [burst, what] of [['mouse', 'mouse moves'], ['typing', 'typing']]) {
      rows.push(figure(`  mirror's C++ share of a frame, ${what}`, 'ms', NaN, med(name, burst, 'mirrorWasmMsPerFrame')));
    }
    rows.push(figure(`  mirror updates per burst (mouse / typing), ${size}`, 'updates',
      med(name, 'mouse', 'mirrorUpdates'), med(name, 'typing', 'mirrorUpdates'), { text: 'info: anchor column = mouse', check: () => null }));
  }
  return rows;
}

function report(m) {
  console.log('');
  for (const name of ['anchor', 'page']) {
    const d = m.loads.download[name];
    console.log(`${name}: ${d.files.map((f) => `${f.path.slice(1)} ${round1(f.gzip / KB)} KB`).join(', ')}`
      + ` (gzip -9; ${round1(d.bytes / KB)} KB raw)`);
  }
  const flags = compareLinkFlags();
  if (flags.known) {
    console.log(`link flags only the page has: ${flags.pageOnly.join(' ') || 'none'};`
      + ` only the anchor: ${flags.anchorOnly.join(' ') || 'none'}`);
  }
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('');
  const rows = tableRows(m);
  printTable(rows);
  for (const p of m.problems) console.log(`page error: ${p}`);
  writeFileSync(RESULTS, `${JSON.stringify({
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg: os.loadavg() },
    settings: { loads: LOADS, rounds: ROUNDS, keys: KEYS, idleMs: IDLE_MS, viewport: VIEWPORT },
    figures: rows,
    samples: {
      firstFrameMs: m.loads.times, cpu: m.cpu, keystrokeMs: m.keys, roundTripMs: m.trips,
      idleFrames: m.idle, idleFramesWithToken: m.idleWithToken, mirror: m.mirror,
    },
    download: m.loads.download,
    linkFlags: flags,
    problems: m.problems,
  }, null, 2)}\n`);
  console.log(`\nbench: wrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
  return rows;
}

/** The request the page builds for the seeded profile (client_secret_basic, RFC 6749 2.3.1). */
function tokenRequest(tokenUrl, client) {
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
  return { url: tokenUrl, authorization: `Basic ${basic}`, body: 'grant_type=client_credentials&scope=api%3Aread' };
}

async function main() {
  checkBuilt();
  const { startOidcServer, CLIENTS } = await importOidcServer();
  const servers = { anchor: await startServer({ dir: ANCHOR_SITE }), page: await startServer({ dir: SITE }) };
  const urls = { anchor: servers.anchor.url, page: servers.page.url };
  const oidc = await startOidcServer({ cors: 'allow', pageOrigins: Object.values(urls).map((u) => new URL(u).origin) });
  const browser = await launchBrowser();
  const sessions = {};
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const meta = await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json();
    const client = { id: 'basic-client', secret: CLIENTS['basic-client'].secret };
    const request = tokenRequest(meta.token_endpoint, client);
    const m = {};

    console.log(`bench: ${LOADS} fresh loads each, interleaved ...`);
    m.loads = await freshLoads(browser, urls);
    for (const name of ['anchor', 'page']) {
      sessions[name] = { ...(await openSubject(browser, SUBJECTS[name], urls[name])), ...SUBJECTS[name] };
    }
    sessions.page1000 = { ...(await openSubject(browser, SUBJECTS.page, urls.page)), ...SUBJECTS.page, name: 'page1000' };
    await preparePage(sessions.page, meta.token_endpoint, client);
    await preparePage(sessions.page1000, meta.token_endpoint, client, 1000);
    await sessions.anchor.page.evaluate((r) => window.anchor.setRequest(r), request);
    for (const session of Object.values(sessions)) session.tokenUrl = meta.token_endpoint;
    console.log(`bench: idle frames over ${IDLE_MS / 1000} s, both at once ...`);
    m.idle = await idleFrames({ anchor: sessions.anchor, page: sessions.page });
    console.log('bench: CPU per frame, 3 bursts of mouse moves each ...');
    m.cpu = await measureCpu(sessions, browserCdp);
    console.log(`bench: ${ROUNDS} client-credentials round trips each, interleaved ...`);
    m.trips = await measureRoundTrips(sessions, request);
    console.log(`bench: ${KEYS} keystrokes each, interleaved ...`);
    m.keys = await measureKeystrokes(sessions);
    console.log(`bench: idle frames over ${IDLE_MS / 1000} s with a token shown ...`);
    m.idleWithToken = await idleFrames({ anchor: sessions.anchor, page: sessions.page });
    console.log('bench: the mirror on, 1 and 1,000 profiles: CPU per frame over mouse moves and typing ...');
    m.mirror = await measureMirror(sessions, browserCdp);
    m.problems = Object.entries(sessions).flatMap(([name, s]) => s.problems.map((p) => `${name}: ${p}`));

    const rows = report(m);
    if (rows.some((r) => r.pass === false) || m.problems.length) process.exitCode = 1;
  } finally {
    for (const s of Object.values(sessions)) await s.context.close().catch(() => {});
    await browser.close();
    await oidc.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
}

await main();
