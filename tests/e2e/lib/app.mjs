// The page object every browser test shares: a person's steps on the setup page (find, scroll to,
// click, type, choose, wait for the page to settle), built on lib/browser.mjs (mouse and keyboard
// only, read back through window.oauthSetup.snapshot()), plus the rig of one test file (the page
// server, Chromium, the demo oidc-provider) and the ways to set profiles up (import them, or write
// localStorage and reload).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer, launchBrowser, openPage, findItem, click, fill, settle, snapshot, items, selectAll, reveal, tap, press,
} from './browser.mjs';
import { completeLogin } from './consent.mjs';
import { startOidcServer, USERS, CLIENTS } from '../../../demo/server.mjs';

export { reveal, tap, press };

export const VIEWPORT = { width: 1100, height: 800 };
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const KEY = { profiles: 'oauth-setup:profiles', backup: 'oauth-setup:backup', timeout: 'oauth-setup:timeout' };

// Screenshots read pixels back from WebGL, which SwiftShader reports as a performance warning.
// Before the consent popup, the page probes the Authorization URL with a no-cors fetch (issue 9: a
// host that answers nothing is caught before the popup); oidc-provider answers that bare GET with
// 400, which Chromium logs as a failed resource.
export const ALLOWED = [/GPU stall due to ReadPixels/,
  /^error: Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/];
// A failed call shows up in the console as a failed resource load or a CORS complaint.
export const ALLOWED_FAILING = [...ALLOWED, /Failed to load resource|net::ERR|CORS|Access-Control/i];
export const CSP_VIOLATION = /Content Security Policy|Refused to/;

/** The console lines that are errors or warnings and match none of `allowed`. */
export function consoleProblems(lines, allowed) {
  return lines.filter((line) => /^(error|pageerror|warning)/.test(line) && !allowed.some((re) => re.test(line)));
}

export function assertNoCsp(page, from = 0) {
  const csp = page.consoleLog.slice(from).filter((line) => CSP_VIOLATION.test(line));
  assert.deepEqual(csp, [], 'no Content-Security-Policy violation in the console');
}

export const GRANT = {
  authorization_code: 'Authorization Code',
  password: 'Password Credentials',
  client_credentials: 'Client Credentials',
  device_code: 'Device Code',
};
export const AUTH = {
  header: 'Send as Basic Auth header',
  body: 'Send client credentials in body',
  client_secret_jwt: 'Signed JWT with the client secret',
  private_key_jwt: 'Signed JWT with a private key',
};

export const selectedOf = (snap) => snap.profiles.find((p) => p.tokenName === snap.selected);
export const byName = (snap, name) => snap.profiles.find((p) => p.tokenName === name);

/** The selected profile; fails when the selection names no profile in the list. */
export async function selected(page) {
  const snap = await snapshot(page);
  const profile = selectedOf(snap);
  assert.ok(profile, `the selected profile "${snap.selected}" is in the list: ${JSON.stringify(snap.profiles.map((p) => p.tokenName))}`);
  return profile;
}

/**
 * Replaces what a field holds: click, Ctrl+A, Delete, then the text. `keys` types it key by key;
 * otherwise it arrives as one text input event, as from an input method or dictation (typing every
 * key costs a frame each; the input tests cover key-by-key typing).
 */
export async function type(page, label, text, { keys = false, ...opts } = {}) {
  await reveal(page, label, opts);
  if (keys) {
    await fill(page, label, text, opts);
    return;
  }
  await click(page, label, opts);
  await selectAll(page);
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
  await settle(page);
}

/**
 * Like type(), without waiting for the page to settle (a focused field keeps blinking its cursor):
 * the page queues input events in order, so click, Ctrl+A, Delete and the text go out at once, and
 * the selected profile's `key` is polled until it holds the text.
 */
export async function quickType(page, label, key, text) {
  const it = await reveal(page, label);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  await selectAll(page);
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  const start = Date.now();
  for (;;) {
    const p = await selected(page);
    if (p[key] === text) return p;
    if (Date.now() - start > 5000) assert.fail(`${label} holds ${JSON.stringify(p[key])}, not ${JSON.stringify(text)}`);
    await page.waitForTimeout(20);
  }
}

/** Opens a combo and clicks one of its options. */
export async function choose(page, combo, option) {
  await tap(page, combo);
  await click(page, option);
}

/** The endpoints of a discovery document, under the names configure() takes. */
export function endpointsOf(doc) {
  return {
    issuer: doc.issuer, authorization: doc.authorization_endpoint, token: doc.token_endpoint,
    device: doc.device_authorization_endpoint, revocation: doc.revocation_endpoint,
    introspection: doc.introspection_endpoint,
  };
}

/**
 * Sets up the selected profile as a person would: grant type first (it decides which fields are
 * shown), then every field `cfg` gives. `cfg.endpoints` ({issuer, authorization, token, device,
 * revocation, introspection}, see endpointsOf) fills the URL fields the grant shows; `revocation`
 * and `introspection: true` also fill those two. What was typed is then what the profile holds
 * (a typing problem fails here, not later).
 */
export async function configure(page, cfg) {
  const e = cfg.endpoints ?? {};
  if (cfg.tokenName !== undefined) await type(page, 'Token Name', cfg.tokenName);
  // A person leaves a combo alone when it already shows the right choice.
  if ((await selected(page)).grantType !== cfg.grant) await choose(page, 'Grant Type', GRANT[cfg.grant]);
  await type(page, 'Client ID', cfg.clientId);
  await type(page, 'Client Secret', cfg.secret ?? '', { keys: cfg.keys });
  await type(page, 'Scope(s)', cfg.scope ?? '');
  if ((await selected(page)).clientAuthentication !== cfg.auth) await choose(page, 'Client Authentication', AUTH[cfg.auth]);
  if (cfg.grant === 'authorization_code') {
    // The issuer the callback's iss is checked against (RFC 9207); oidc-provider always sends iss.
    if (e.issuer) await type(page, 'Issuer / Discovery URL', e.issuer);
    if (e.authorization) await type(page, 'Authorization URL', e.authorization);
  }
  if (cfg.grant === 'device_code' && e.device) await type(page, 'Device Authorization URL', e.device);
  if (e.token) await type(page, 'Access Token URL', e.token);
  if (cfg.revocation) await type(page, 'Revocation URL', e.revocation);
  if (cfg.introspection) await type(page, 'Introspection URL', e.introspection);
  if (cfg.authUrlParams !== undefined) await type(page, 'Auth. URL Params', cfg.authUrlParams);
  if (cfg.grant === 'password') {
    await type(page, 'User Name', cfg.username ?? 'alice');
    await type(page, 'Password', cfg.password ?? USERS.alice, { keys: cfg.keys });
  }
  const p = await selected(page);
  if (cfg.tokenName !== undefined) assert.equal(p.tokenName, cfg.tokenName);
  assert.equal(p.grantType, cfg.grant);
  assert.equal(p.clientId, cfg.clientId);
  assert.equal(p.clientSecret, cfg.secret ?? '');
  assert.equal(p.clientAuthentication, cfg.auth);
  if (e.token) assert.equal(p.accessTokenUrl, e.token);
  if (cfg.grant === 'authorization_code' && e.authorization) assert.equal(p.authorizationUrl, e.authorization);
  if (cfg.grant === 'password') {
    assert.equal(p.username, cfg.username ?? 'alice');
    assert.equal(p.password, cfg.password ?? USERS.alice);
  }
  return p;
}

/** Polls snapshot() until `predicate` holds; fails with what the page shows after `timeoutMs`. */
export async function waitFor(page, predicate, what, { timeoutMs = 15000 } = {}) {
  const start = Date.now();
  for (;;) {
    const snap = await snapshot(page);
    if (predicate(snap)) return snap;
    if (Date.now() - start > timeoutMs) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}: busy=${snap.busy} state="${snap.state}" `
        + `status="${snap.status}" error="${snap.error}"`);
    }
    await page.waitForTimeout(50);
  }
}

const ended = (s) => !s.busy && (s.state === 'Connected' || s.state === 'Error');

/** Waits until the running grant has ended with State "Connected" or "Error". */
export async function outcome(page, { timeoutMs = 20000 } = {}) {
  const snap = await waitFor(page, ended, 'State "Connected" or "Error"', { timeoutMs });
  await settle(page);
  return snap;
}

/** Waits until no grant runs any more. */
export async function idle(page, { timeoutMs = 10000 } = {}) {
  return waitFor(page, (s) => !s.busy, 'no grant to run', { timeoutMs });
}

export const lastAttempt = (snap) => Math.max(0, ...(snap.log ?? []).map((e) => e.attempt));

/**
 * "Get Access Token" for a grant without a browser step. Waits for the attempt this click started
 * (a new attempt in the exchange log, which keeps a bounded number of entries), then its end, so
 * the State of an earlier attempt is not taken for the outcome.
 */
export async function getToken(page, { timeoutMs = 20000 } = {}) {
  const before = lastAttempt(await snapshot(page));
  await press(page, 'Get Access Token');
  await waitFor(page, (s) => lastAttempt(s) > before && ended(s), 'the outcome of Get Access Token', { timeoutMs });
  await settle(page);
  return snapshot(page);
}

/** Clicks "Get Access Token" and resolves to the consent popup once it left about:blank (or `origin`). */
export async function openConsent(page, origin) {
  const popupPromise = page.waitForEvent('popup', { timeout: 10000 });
  await press(page, 'Get Access Token');
  const popup = await popupPromise;
  await popup.waitForURL((url) => (origin ? url.href.startsWith(origin) : !url.href.startsWith('about:')), { timeout: 10000 });
  return popup;
}

/**
 * The whole Authorization Code flow: consent popup, sign in as `username`; resolves to {snap, login}.
 * `signIn`: the provider's login page must have been shown (a first sign-in in this context).
 */
export async function getTokenWithConsent(page, { username = 'alice', origin, signIn = false } = {}) {
  const popup = await openConsent(page, origin);
  const login = await completeLogin(popup, { username });
  if (signIn) assert.ok(login.steps.includes('login'), `the login page was shown: ${JSON.stringify(login)}`);
  const snap = await outcome(page);
  return { snap, login };
}

/** Waits until the log holds `count` finished entries (a tool request such as Revoke ended). */
export async function logSettled(page, count) {
  return waitFor(page, (s) => s.log.length >= count && s.log.every((e) => e.finished) && !s.busy,
    `${count} finished exchange log entries`);
}

/** Clicks a tool button (Revoke, Introspect, Refresh...) and resolves once its request ended. */
export async function tool(page, label) {
  const before = (await snapshot(page)).log.length;
  await tap(page, label);
  await waitFor(page, (s) => s.log.length > before && s.log.at(-1).finished, `${label} to end`);
  await settle(page);
  return snapshot(page);
}

/** Opens one entry of the Exchange log (a tree node captioned "#<attempt>  <summary>"). */
export async function openLogEntry(page, pattern) {
  if (!(await items(page)).some((it) => it.label === 'Reveal secrets in the log')) await tap(page, 'Exchange log');
  await tap(page, pattern);
}

export function jwtPayload(token) {
  const parts = String(token).split('.');
  assert.equal(parts.length, 3, `a JWT: ${token}`);
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

export function assertConnected(snap) {
  assert.equal(snap.state, 'Connected', `State: ${snap.state} (error: "${snap.error}", status: "${snap.status}")`);
  assert.equal(snap.error, '');
  assert.ok(snap.token?.access_token, 'an access token');
}

/** Connected, with a whole token response, kept in the profile and shown in the token panel. */
export async function assertTokenShown(page, snap, { clientId } = {}) {
  assertConnected(snap);
  assert.equal(typeof snap.token.access_token, 'string');
  assert.match(snap.token.token_type, /^bearer$/i);
  assert.ok(snap.token.expires_in > 0, `expires_in: ${snap.token.expires_in}`);
  assert.ok(snap.token.obtained_at, 'obtained_at is recorded');
  const p = selectedOf(snap);
  assert.equal(p.state, 'Connected');
  assert.deepEqual(p.lastToken, snap.token);
  if (clientId && snap.token.access_token.split('.').length === 3) {
    assert.equal(jwtPayload(snap.token.access_token).client_id, clientId);
  }
  await reveal(page, 'Copy Token');
}

export function assertError(snap, expected) {
  assert.equal(snap.state, 'Error', `State: "${snap.state}" (status: "${snap.status}")`);
  assert.equal(snap.busy, false);
  if (expected instanceof RegExp) assert.match(snap.error, expected);
  else assert.equal(snap.error, expected);
  assert.equal(selectedOf(snap).state, 'Error');
  assert.equal(selectedOf(snap).lastError, snap.error);
}

/**
 * The token endpoint's answers reach `page` with expires_in: `seconds` (oidc-provider's access
 * token lifetime is fixed by the shared server's configuration; the page learns a token's
 * lifetime only from expires_in).
 */
export async function shortenTokenLifetime(page, tokenEndpoint, seconds) {
  await page.route(tokenEndpoint, async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    let body = text;
    try {
      const json = JSON.parse(text);
      if (json.access_token) body = JSON.stringify({ ...json, expires_in: seconds });
    } catch { /* not JSON: pass it on */ }
    await route.fulfill({ response, body });
  });
}

export async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Clicks a button that downloads a file; resolves to {name (suggested), text}; `saveAs` keeps a copy. */
export async function download(page, label, saveAs) {
  const pending = page.waitForEvent('download', { timeout: 10000 });
  await tap(page, label);
  const file = await pending;
  const saved = await file.path();
  if (saveAs) copyFileSync(saved, saveAs);
  return { name: file.suggestedFilename(), text: readFileSync(saved, 'utf8') };
}

export async function reload(page) {
  await page.reload();
  await page.evaluate(() => window.oauthSetup.ready);
  await settle(page);
}

/** Replaces the origin's localStorage with `entries` (a fixture), then reloads the page. */
export async function seedStorage(page, entries) {
  await page.evaluate((e) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(e)) localStorage.setItem(k, v);
  }, entries);
  await reload(page);
}

export const storageGet = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
export const storageKeys = (page) => page.evaluate(() => Object.keys(localStorage).sort());

/**
 * Types a number into "Timeout (s)" (click, Ctrl+A, the digits, Enter). The page does not caption
 * that number box in items() (only its "-" and "+" buttons), so when the caption is missing the
 * box is found where a person sees it: just left of its "-" button.
 */
export async function setTimeoutSeconds(page, seconds) {
  let box;
  try {
    box = await findItem(page, 'Timeout (s)', { timeoutMs: 300 });
    await page.mouse.click(box.x + Math.min(20, box.w / 2), box.y + box.h / 2);
  } catch {
    const minus = await reveal(page, '-');
    await page.mouse.click(minus.x - 25, minus.y + minus.h / 2);
  }
  await settle(page);
  await selectAll(page);
  await page.keyboard.type(String(seconds));
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal(await storageGet(page, KEY.timeout), String(seconds), 'the timeout is stored');
}

let files = 0;
/**
 * Clicks Import and hands the browser's file chooser `file`. Resolves to the snapshot once
 * `until(snapshot)` holds (by default: the import said something or the profiles changed).
 */
export async function importFile(page, file, until) {
  const first = await snapshot(page);
  const before = JSON.stringify(first.profiles);
  const chooser = page.waitForEvent('filechooser', { timeout: 10000 });
  await tap(page, 'Import');
  await (await chooser).setFiles(file);
  const snap = await waitFor(page, until ?? ((s) => s.status !== first.status || JSON.stringify(s.profiles) !== before),
    `the import of ${path.basename(file)}`);
  await settle(page);
  return snap;
}

/**
 * Sets up profiles the way a person can: Import of an oauth-setup export (written to `dir`)
 * holding them, then a click on the first one in the list. Resolves to the selected profile.
 * Typing every field costs several seconds per profile in software-rendered Chromium; the form
 * itself is typed into in the tests about it.
 */
export async function importProfiles(page, dir, profiles) {
  files += 1;
  const file = path.join(dir, `profiles-${process.pid}-${files}.json`);
  writeFileSync(file, JSON.stringify({ format: 'oauth-setup-profiles', version: 1, profiles }));
  const names = profiles.map((p) => p.tokenName);
  await importFile(page, file, (s) => names.every((n) => s.profiles.some((p) => p.tokenName === n)));
  await tap(page, names[0]);
  const p = await selected(page);
  assert.equal(p.tokenName, names[0]);
  return p;
}

/** Every field of a stored profile, with the values a new profile has, then `extra`. */
export function fullProfile(redirectUrl, extra) {
  return {
    grantType: 'client_credentials', clientId: '', clientSecret: '', scopes: '', clientAuthentication: 'header',
    authorizationUrl: '', accessTokenUrl: '', deviceAuthorizationUrl: '', revocationUrl: '', introspectionUrl: '',
    authUrlParams: '', username: '', password: '', useRelay: false, autoRefresh: false, redirectUrl, ...extra,
  };
}

/**
 * The rig of one test file, started in before() and stopped in after():
 *   server   serve.py with `serverArgs` (or what that function returns, once earlier before() hooks ran);
 *            `plainServer: true` adds a second one without arguments
 *   browser  Debian Chromium
 *   oidc     the demo oidc-provider (CORS open to the page), `meta` its discovery document
 *   refusing a second one that refuses CORS (`refusing: true`), `refusingMeta`
 *   tmp      a temporary folder
 * `rig.first(fn)` and `rig.ready(fn)` add a file's own set-up before and after that.
 * `withPage(fn, {server, viewport})` opens the page in a fresh context (its own storage), runs
 * fn(page, context), closes the context.
 */
export function useRig({ serverArgs = [], oidc = true, refusing = false, plainServer = false, name = 'e2e',
  viewport = VIEWPORT, cspClean = false } = {}) {
  const rig = {};
  // node:test starts each top-level before() as soon as it is registered, so hooks do not wait for
  // each other: the file's own set-up runs inside this one hook instead, rig.first(fn) before the
  // servers start and rig.ready(fn) after.
  const firsts = []; const readies = [];
  rig.first = (fn) => { firsts.push(fn); };
  rig.ready = (fn) => { readies.push(fn); };
  before(async () => {
    // A top-level before() starts at once, while the rest of the file is still being read: let the
    // file finish registering its rig.first() and rig.ready() functions.
    await new Promise((resolve) => { setImmediate(resolve); });
    for (const fn of firsts) await fn(rig);
    rig.server = await startServer({ args: typeof serverArgs === 'function' ? serverArgs() : serverArgs });
    const pageOrigins = [new URL(rig.server.url).origin];
    [rig.browser, rig.oidc, rig.refusing, rig.plainServer] = await Promise.all([
      launchBrowser(),
      oidc ? startOidcServer({ port: 0, cors: 'allow', pageOrigins }) : null,
      refusing ? startOidcServer({ port: 0, cors: 'refuse', pageOrigins }) : null,
      plainServer ? startServer() : null,
    ]);
    if (rig.oidc) rig.meta = await discover(rig.oidc.issuer);
    if (rig.refusing) rig.refusingMeta = await discover(rig.refusing.issuer);
    rig.tmp = mkdtempSync(path.join(os.tmpdir(), `oauth-setup-${name}-`));
    for (const fn of readies) await fn(rig);
  });
  after(async () => {
    await rig.browser?.close();
    await Promise.all([rig.oidc?.close(), rig.refusing?.close(), rig.server?.close(), rig.plainServer?.close()]);
    if (rig.tmp) rmSync(rig.tmp, { recursive: true, force: true });
  });
  rig.withPage = async (fn, { server = rig.server, viewport: size = viewport, contextOptions = {} } = {}) => {
    const context = await rig.browser.newContext({ viewport: size, deviceScaleFactor: 1, acceptDownloads: true,
      ...contextOptions });
    try {
      const page = await openPage(rig.browser, server.url, { context });
      const result = await fn(page, context);
      if (cspClean) assertNoCsp(page);
      return result;
    } finally {
      await context.close();
    }
  };
  /** A phone (390 x 844 CSS px, touch, mobile viewport meta honoured). */
  rig.withPhone = (fn) => rig.withPage(fn, { viewport: { width: 390, height: 844 },
    contextOptions: { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } });
  /** A larger window, where the profile list has room to widen. */
  rig.withWidePage = (fn) => rig.withPage(fn, { viewport: { width: 1280, height: 900 } });
  rig.redirectUrl = (server = rig.server) => new URL('callback.html', server.url).href;
  /** Imports `profiles` (every field filled in with a new profile's values) and selects the first. */
  rig.seed = async (page, ...profiles) => {
    const full = profiles.map((p) => fullProfile(rig.redirectUrl(), { accessTokenUrl: rig.meta?.token_endpoint ?? '', ...p }));
    const p = await importProfiles(page, rig.tmp, full);
    for (const key of Object.keys(full[0])) assert.deepEqual(p[key], full[0][key], `seeded ${key}`);
    return p;
  };
  /** A profile for one of the demo server's clients, with every endpoint of its discovery document. */
  rig.client = (clientId, grantType, extra = {}) => ({
    tokenName: `${grantType} ${clientId}`, grantType, clientId, clientSecret: CLIENTS[clientId].secret ?? '',
    clientAuthentication: { client_secret_post: 'body', client_secret_jwt: 'client_secret_jwt', private_key_jwt: 'private_key_jwt' }[CLIENTS[clientId].auth] ?? 'header',
    authorizationUrl: rig.meta.authorization_endpoint, deviceAuthorizationUrl: rig.meta.device_authorization_endpoint,
    revocationUrl: rig.meta.revocation_endpoint, introspectionUrl: rig.meta.introspection_endpoint,
    scopes: grantType === 'authorization_code' || grantType === 'device_code' ? 'openid api:read' : 'api:read',
    ...(grantType === 'password' ? { username: 'alice', password: USERS.alice } : {}),
    ...(grantType === 'authorization_code' ? { issuer: rig.meta.issuer } : {}),
    ...extra,
  });
  /** The password grant for post-client, with a refresh token (offline_access), as an export holds it. */
  rig.passwordProfile = (extra = {}) => ({
    tokenName: 'Orders (password)', grantType: 'password', clientId: 'post-client',
    clientSecret: CLIENTS['post-client'].secret, clientAuthentication: 'body', scopes: 'openid offline_access api:read',
    accessTokenUrl: rig.meta.token_endpoint, revocationUrl: rig.meta.revocation_endpoint,
    introspectionUrl: rig.meta.introspection_endpoint, username: 'alice', password: USERS.alice,
    redirectUrl: rig.redirectUrl(), ...extra,
  });
  return rig;
}

/** The discovery document of an issuer. */
export async function discover(issuer) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  return res.json();
}

/** Discover: types `issuer` into Issuer / Discovery URL, presses Discover, waits for the endpoints. */
export async function discoverWith(page, issuer) {
  await type(page, 'Issuer / Discovery URL', issuer);
  await tap(page, 'Discover');
  return waitFor(page, (s) => s.status === 'Endpoints filled in from the provider\'s metadata.'
    || s.status.startsWith('Discovery failed'), 'discovery');
}

/**
 * Opens the "Setup check" panel (when its rows are not shown yet) and resolves to its rows as
 * snapshot().setupCheck holds them, by rule id: {rule, section, verdict, sentence}.
 */
export async function setupCheck(page) {
  if (!(await items(page)).some((it) => it.label === 'PKCE with S256')) await tap(page, 'Setup check');
  await reveal(page, 'PKCE with S256');
  const rows = (await snapshot(page)).setupCheck;
  return Object.fromEntries(rows.map((row) => [row.rule, row]));
}
