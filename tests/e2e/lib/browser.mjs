// Shared rig of the browser tests: Debian Chromium through playwright-core, the page served by the
// real serve.py, and helpers that drive the canvas the way a person does (find a widget through
// window.oauthSetup.items(), click it with the mouse, type with the keyboard).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SITE = process.env.OAUTH_SETUP_SITE || path.join(ROOT, 'build/site');
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Starts serve.py on a free port; resolves to {url, close, stderr()}. */
export async function startServer({ dir = SITE, host = '127.0.0.1', args = [] } = {}) {
  const child = spawn('python3', [path.join(ROOT, 'serve.py'), '--port', '0', '--host', host, '--dir', dir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.py did not start: ${err}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/\S+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.py exited ${code}: ${err}`)); });
  });
  return {
    url,
    stderr: () => err,
    async close() { child.kill('SIGTERM'); await once(child, 'exit').catch(() => {}); },
  };
}

/** Debian Chromium, headless; Playwright gives each launch a fresh, temporary profile. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Debian Chromium whose tabs hide as a person's do: a page behind the one brought to the front is
 * document.visibilityState 'hidden', gets no requestAnimationFrame, and its timers are throttled
 * as in a real background tab. chromium.launch() cannot give that: its pages keep focus emulation
 * (which keeps every page visible) and it turns background timer throttling off. So this starts
 * Chromium itself and connects over CDP with noDefaults, using the default context.
 * Resolves to {browser, context, close()}.
 */
export async function launchTabbedBrowser() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-setup-tabs-'));
  const child = spawn(process.env.CHROMIUM || '/usr/bin/chromium', ['--headless', ...CHROMIUM_ARGS,
    '--remote-debugging-port=0', `--user-data-dir=${dir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err}`)), 20000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited ${code}: ${err}`)); });
  });
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  return {
    browser,
    context: browser.contexts()[0],
    async close() {
      await browser.close().catch(() => {});
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      // Chromium's helper processes may still be writing the profile for a moment after it exited.
      try { rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch (e) { /* left in tmp */ }
    },
  };
}

/**
 * Opens the page in a fresh context and waits for the first frame. Collects console messages and
 * page errors in page.consoleLog so tests can fail on CSP violations or errors.
 */
export async function openPage(browser, url, { viewport = { width: 1100, height: 800 }, deviceScaleFactor = 1,
  permissions = ['clipboard-read', 'clipboard-write'], context: existing } = {}) {
  const context = existing || await browser.newContext({ viewport, deviceScaleFactor });
  if (permissions.length) await context.grantPermissions(permissions, { origin: new URL(url).origin }).catch(() => {});
  const page = await context.newPage();
  page.consoleLog = [];
  page.on('console', (m) => page.consoleLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => page.consoleLog.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.evaluate(() => window.oauthSetup.ready);
  await settle(page);
  return page;
}

/** Waits until the page stops drawing frames (it draws only when something changed). */
export async function settle(page, { quietMs = 150, timeoutMs = 5000 } = {}) {
  const start = Date.now();
  let last = await page.evaluate(() => window.oauthSetup.frames());
  let lastChange = Date.now();
  while (Date.now() - start < timeoutMs) {
    await page.waitForTimeout(30);
    const now = await page.evaluate(() => window.oauthSetup.frames());
    if (now !== last) { last = now; lastChange = Date.now(); }
    else if (Date.now() - lastChange >= quietMs) return last;
  }
  return last;
}

export async function items(page) { return page.evaluate(() => window.oauthSetup.items()); }
export async function snapshot(page) { return page.evaluate(() => window.oauthSetup.snapshot()); }

/** The widget whose caption is `label` (exact, or a RegExp); `nth` picks among several. */
export async function findItem(page, label, { nth = 0, timeoutMs = 3000, window } = {}) {
  const start = Date.now();
  let wheels = 0; let lastLayout; let flip = false;
  for (;;) {
    const all = await items(page);
    const named = all.filter((it) => (label instanceof RegExp ? label.test(it.label) : it.label === label)
      && (!window || it.window === window));
    const hits = named.filter((it) => it.visible);
    if (hits.length > nth) return hits[nth];
    const scrolling = named.length > nth && wheels < 40;
    if (!scrolling && Date.now() - start > timeoutMs) {
      const why = named.length > nth ? ` (drawn at y ${named[nth].y}, never scrolled into view)` : '';
      throw new Error(`no widget "${label}" on the page${why}; seen: ${[...new Set(all.map((it) => it.label))].join(' | ')}`);
    }
    if (scrolling) {
      // Drawn but scrolled out of its pane: scroll it into view with the mouse wheel, as a person would.
      // A widget above the middle of the window is above its pane's visible part (a pane starts below
      // 0, so y >= 0 says nothing); a wheel that moves nothing means the pane is at that end: turn back.
      const target = named[nth];
      const layout = all.filter((it) => it.window === target.window).map((it) => it.y).join();
      if (layout === lastLayout) flip = !flip;
      lastLayout = layout;
      const vp = page.viewportSize();
      const up = (target.y < vp.height / 2) !== flip;
      await page.mouse.move(Math.min(Math.max(target.x + 10, 5), vp.width - 5), vp.height / 2);
      await page.mouse.wheel(0, up ? -250 : 250);
      wheels += 1;
      await settle(page, { quietMs: 80 });
      continue;
    }
    await page.waitForTimeout(50);
  }
}

export async function hasItem(page, label) {
  const all = await items(page);
  return all.some((it) => (label instanceof RegExp ? label.test(it.label) : it.label === label) && it.visible);
}

/** Clicks the middle of a widget with the real mouse, then lets the page settle. */
export async function click(page, label, opts = {}) {
  const it = await findItem(page, label, opts);
  await page.mouse.click(it.x + Math.min(it.w / 2, opts.offsetX ?? it.w / 2), it.y + it.h / 2);
  await settle(page);
  return it;
}

/** Clicks a text field, selects all it holds, and types `text` with the real keyboard. */
export async function fill(page, label, text, opts = {}) {
  await click(page, label, opts);
  await selectAll(page);
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
  await settle(page);
}

export async function selectAll(page) {
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

export function unexpectedConsole(page, allowed = []) {
  return page.consoleLog.filter((line) => !allowed.some((re) => re.test(line))
    && /^(error|pageerror|warning)/.test(line));
}

// ---- A person's steps on any widget: scroll to it, click it (lib/app.mjs builds the page object on them) ----

/** Finds a widget fully in sight, scrolling the pane under the mouse wheel while it is not. */
export async function reveal(page, label, opts = {}) {
  try {
    const it = await findItem(page, label, { ...opts, timeoutMs: 400 });
    if (it.h >= 10) return it;
  } catch { /* scroll for it */ }
  const vp = page.viewportSize();
  await page.mouse.move(Math.round(vp.width * 0.7), Math.round(vp.height / 2));
  // A widget drawn before keeps its last box: one scrolled away above the middle is found by
  // scrolling up first. Scrolling away from it could put a scrolling child (a log entry's text)
  // under the mouse, which then takes the wheel and never brings the widget back.
  const stale = (await items(page)).find((it) => it.label === label && !it.visible);
  const down = !(stale && stale.y < vp.height / 2);
  const steps = [...Array(10).fill(down ? 300 : -300), ...Array(20).fill(down ? -300 : 300)];
  for (const dy of steps) {
    await page.mouse.wheel(0, dy);
    await settle(page, { quietMs: 80 });
    try {
      const it = await findItem(page, label, { ...opts, timeoutMs: 0 });
      if (it.h >= 10) return it;
    } catch { /* keep scrolling */ }
  }
  return findItem(page, label, opts);
}

/** Scrolls to a widget and clicks it, then lets the page settle. */
export async function tap(page, label, opts) {
  await reveal(page, label, opts);
  return click(page, label, opts);
}

/** Clicks without waiting for the page to settle (it redraws while a request runs). */
export async function press(page, label, opts) {
  const it = await reveal(page, label, opts);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
}
