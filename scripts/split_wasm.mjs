// Splits the page's wasm in two (web/host/deferred.js says why): app.wasm keeps every function the
// page runs while it comes up and a person looks at it, moves over it, types into it, tabs through
// it and scrolls it, on a wide window and on a phone, and when it comes back with stored profiles
// in each State; app.deferred.wasm gets the rest.
//
// Usage: node scripts/split_wasm.mjs <site folder>
// The page must have been linked with -sSPLIT_MODULE: Emscripten then leaves the optimized module
// as app.wasm.orig and an instrumented copy as app.wasm, which records the first call of each
// function. This script serves the folder with serve.py, runs those first steps in headless
// Chromium (the browser tests' rig), reads the profile through the instrumented module's
// __write_profile export, and runs Binaryen's wasm-split with it.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, launchBrowser, openPage, settle, items, fill,
} from '../tests/e2e/lib/browser.mjs';

const site = path.resolve(process.argv[2] || 'build/site');
const wasm = path.join(site, 'app.wasm');
const profileFile = path.join(site, 'app.wasm.profile');

/** A person's first minute: move over every widget, type, tab, scroll, open a list, on two sizes. */
async function firstSteps(page) {
  for (const item of (await items(page)).filter((i) => i.visible).slice(0, 60)) {
    await page.mouse.move(item.x + item.w / 2, item.y + item.h / 2);
  }
  await fill(page, 'Client ID', 'first-steps');
  for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Escape');
  await page.mouse.move(500, 400);
  await page.mouse.wheel(0, 600);
  await settle(page);
  await page.mouse.wheel(0, -600);
  await settle(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await settle(page);
  await page.mouse.wheel(0, 400);
  await settle(page);
}

/** A returning person's page: stored profiles in each State, drawn from its first frame. */
async function returningPage(page) {
  const key = 'oauth-setup:profiles';
  await page.waitForFunction((k) => (localStorage.getItem(k) || '').includes('first-steps'), key);
  await page.evaluate((k) => {
    const doc = JSON.parse(localStorage.getItem(k));
    const [first] = doc.profiles;
    doc.profiles.push({ ...first, tokenName: 'Connected one', state: 'Connected' },
      { ...first, tokenName: 'Failed one', state: 'Error' });
    localStorage.setItem(k, JSON.stringify(doc));
  }, key);
  await page.reload(); // a new instance: its profile starts afresh
  await page.evaluate(() => window.oauthSetup.ready);
  await settle(page);
  for (const item of (await items(page)).filter((i) => i.visible).slice(0, 30)) {
    await page.mouse.move(item.x + item.w / 2, item.y + item.h / 2);
  }
  await settle(page);
}

/** The instrumented module's profile: which functions ran (wasm-split's format). */
async function profileOf(page) {
  return Buffer.from(await page.evaluate(() => {
    const exports = window.Module.asm;
    const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
    const at = memory.grow(1) * 65536; // a fresh page nothing else uses
    const size = exports.__write_profile(at, 65536);
    return Array.from(new Uint8Array(memory.buffer, at, size));
  }));
}

const server = await startServer({ dir: site });
const browser = await launchBrowser();
try {
  const page = await openPage(browser, server.url, { viewport: { width: 1200, height: 800 } });
  await firstSteps(page);
  writeFileSync(`${profileFile}.1`, await profileOf(page));
  await page.setViewportSize({ width: 1200, height: 800 });
  await returningPage(page);
  writeFileSync(`${profileFile}.2`, await profileOf(page));
} finally {
  await browser.close();
  await server.close();
}
execFileSync('wasm-split', ['--merge-profiles', `${profileFile}.1`, `${profileFile}.2`, '-o', profileFile],
  { stdio: 'inherit' });
execFileSync('wasm-split', [`${wasm}.orig`, '--enable-mutable-globals', '--export-prefix=%',
  '--placeholder-namespace=placeholder', `--profile=${profileFile}`,
  '-o1', `${wasm}.primary`, '-o2', path.join(site, 'app.deferred.wasm')], { stdio: 'inherit' });
renameSync(`${wasm}.primary`, wasm);
rmSync(`${wasm}.orig`);
for (const f of [profileFile, `${profileFile}.1`, `${profileFile}.2`]) rmSync(f);
