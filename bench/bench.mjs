// Page benchmark: the gzip size of everything the page downloads, time to first frame in headless
// Chromium, and frames drawn during 5 idle seconds. Targets: at most 300 KB gzip, 0 idle frames.
// Usage: node bench/bench.mjs   (after scripts/build.sh page; run from tests/e2e for its modules)
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SITE, startServer, launchBrowser, settle } from '../tests/e2e/lib/browser.mjs';

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  const downloaded = new Set();
  page.on('requestfinished', (req) => downloaded.add(new URL(req.url()).pathname.replace(/^\/$/, '/index.html')));
  const t0 = Date.now();
  await page.goto(server.url);
  const firstFrameMs = await page.evaluate(() => window.oauthSetup.ready.then(() => performance.now()));
  const wallMs = Date.now() - t0;
  await settle(page);
  const f0 = await page.evaluate(() => window.oauthSetup.frames());
  await page.waitForTimeout(5000);
  const idleFrames = (await page.evaluate(() => window.oauthSetup.frames())) - f0;

  let raw = 0, gz = 0;
  const rows = [];
  for (const p of [...downloaded].sort()) {
    const file = path.join(SITE, p);
    let data;
    try { data = readFileSync(file); } catch { continue; }
    const z = gzipSync(data, { level: 9 }).length;
    raw += data.length; gz += z;
    rows.push(`  ${p.padEnd(18)} ${String(data.length).padStart(8)} B  ${String(z).padStart(8)} B gzip`);
  }
  console.log('bench: files downloaded by the page');
  console.log(rows.join('\n'));
  console.log(`bench: total download ${raw} B, ${gz} B gzip (${(gz / 1024).toFixed(1)} KiB; target <= 300 KB)`);
  console.log(`bench: first frame ${firstFrameMs.toFixed(0)} ms after navigation start (wall ${wallMs} ms)`);
  console.log(`bench: frames drawn in 5 idle seconds: ${idleFrames} (target 0)`);
  console.log(`bench: site folder holds ${readdirSync(SITE).length} files`);
  if (gz > 300 * 1000 || idleFrames !== 0) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
