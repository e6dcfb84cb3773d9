// Drive oidc-provider 8's development login and consent pages (features.devInteractions) with
// Playwright, e.g. in the popup the page under test opened for an authorization request.
//
// oidc-provider 8's dev pages, as served by server.mjs:
//   login   (/interaction/<uid>): <form action=".../interaction/<uid>" method="post">
//             <input type="hidden" name="prompt" value="login"> <input name="login">
//             <input type="password" name="password"> <button type="submit">Sign-in</button>
//   consent (/interaction/<uid>): <form ...> <input type="hidden" name="prompt" value="consent">
//             <button type="submit">Continue</button>
// Any login name and any (non-empty) password are accepted.
// Device flow pages (pages.mjs, same ids as oidc-provider's defaults): the user code form
// [id="op.deviceInputForm"], the confirmation form [id="op.deviceConfirmForm"] with a
// "Continue" button, and the "Sign-in Success" page at the end.

const LOGIN_FORM = 'form:has(input[name="prompt"][value="login"])';
const CONSENT_FORM = 'form:has(input[name="prompt"][value="consent"])';
const DEVICE_INPUT_FORM = '[id="op.deviceInputForm"]';
const DEVICE_CONFIRM_BUTTON = 'button[form="op.deviceConfirmForm"]:not([name="abort"])';
const DEVICE_SUCCESS = 'h1:text-is("Sign-in Success")';

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * Complete the dev login (and consent, when asked) on `page`, which shows (or is on its way to)
 * an oidc-provider interaction page. Resolves once the page has left the authorization server's
 * origin (normally: it is at the redirect URI), or has been closed, or (device flow) shows the
 * "Sign-in Success" page.
 *
 * @param {import('playwright-core').Page} page
 * @param {{username?: string, password?: string, userCode?: string, timeout?: number}} [options]
 *   userCode: for the device flow's "enter the code" page (not needed when the page was opened
 *   at verification_uri_complete).
 * @returns {Promise<{url: string|undefined, closed: boolean, steps: string[]}>}
 *   url: the last URL seen outside the authorization server (the redirect URI with code/state,
 *   or with error=...), or the success page's URL for the device flow; closed: the page closed
 *   itself (e.g. a callback page that posts the result to its opener and closes); steps:
 *   'login', 'consent', 'user_code', 'confirm', 'success' in the order they happened.
 */
export async function completeLogin(page, {
  username = 'alice', password = 'any-password', userCode, timeout = 15000,
} = {}) {
  const deadline = Date.now() + timeout;
  const steps = [];
  let awayUrl;
  let closed = page.isClosed();
  const onClose = () => { closed = true; };
  page.once('close', onClose);

  // The authorization server origin is the one the page shows now (login page or /auth).
  let serverOrigin;
  try { serverOrigin = new URL(page.url()).origin; } catch { serverOrigin = undefined; }
  if (!serverOrigin || serverOrigin === 'null') {
    throw new Error(`completeLogin: the page is not on the authorization server yet (${page.url()})`);
  }

  // Navigations to another origin are the redirect back to the client (they may fail to load,
  // e.g. when nothing serves the redirect URI, or the page may close itself at once).
  const onRequest = (request) => {
    try {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()
          && new URL(request.url()).origin !== serverOrigin) {
        awayUrl = request.url();
      }
    } catch { /* frame detached */ }
  };
  page.on('request', onRequest);

  const left = () => {
    if (closed || awayUrl) return true;
    try {
      const url = new URL(page.url());
      if (url.origin !== serverOrigin && url.protocol !== 'about:' && url.protocol !== 'chrome-error:') {
        awayUrl = url.href;
        return true;
      }
    } catch { /* about:blank etc. */ }
    return false;
  };

  // Which dev page is shown now: 'login', 'consent', 'user_code', 'confirm', 'success' or
  // undefined. Throws nothing.
  const currentForm = async () => {
    try {
      if (await page.locator(LOGIN_FORM).count()) return 'login';
      if (await page.locator(CONSENT_FORM).count()) return 'consent';
      if (await page.locator(DEVICE_CONFIRM_BUTTON).count()) return 'confirm';
      if (await page.locator(DEVICE_INPUT_FORM).count()) return 'user_code';
      if (await page.locator(DEVICE_SUCCESS).count()) return 'success';
    } catch { /* navigating */ }
    return undefined;
  };

  try {
    let lastActedUrl;
    while (!left()) {
      if (Date.now() > deadline) {
        throw new Error(`completeLogin: timed out after ${timeout} ms at ${page.url()} (done: ${steps.join(', ') || 'nothing'})`);
      }
      const form = await currentForm();
      const here = `${page.url()} ${form}`;
      if (!form || here === lastActedUrl) {
        await sleep(50);
        continue; // eslint-disable-line no-continue
      }
      if (form === 'success') {
        steps.push(form);
        awayUrl = page.url();
        break;
      }
      if (form === 'user_code' && !userCode) {
        throw new Error('completeLogin: the device flow asks for the user code: pass { userCode }');
      }
      const remaining = () => Math.max(1000, deadline - Date.now());
      try {
        if (form === 'user_code') {
          await page.fill(`${DEVICE_INPUT_FORM} input[name="user_code"]`, userCode, { timeout: remaining() });
          await page.click('button[form="op.deviceInputForm"]', { timeout: remaining(), noWaitAfter: true });
        } else if (form === 'confirm') {
          await page.click(DEVICE_CONFIRM_BUTTON, { timeout: remaining(), noWaitAfter: true });
        } else if (form === 'login') {
          await page.fill(`${LOGIN_FORM} input[name="login"]`, username, { timeout: remaining() });
          await page.fill(`${LOGIN_FORM} input[name="password"]`, password, { timeout: remaining() });
          await page.click(`${LOGIN_FORM} button[type="submit"]`, { timeout: remaining(), noWaitAfter: true });
        } else {
          await page.click(`${CONSENT_FORM} button[type="submit"]`, { timeout: remaining(), noWaitAfter: true });
        }
        steps.push(form);
        lastActedUrl = here;
      } catch (err) {
        if (left()) break;
        // The page navigated under us (e.g. it moved on by itself); look again.
        if (Date.now() > deadline) throw err;
      }
    }
  } finally {
    page.off('request', onRequest);
    page.off('close', onClose);
  }

  return { url: awayUrl, closed, steps };
}

export default completeLogin;
