// The consent popup and the Redirect URL page's answers (static/callback.js): postMessage from
// this origin, or the same-origin BroadcastChannel when the provider severed window.opener.
import { wasm, call } from './wasm.js';
import { isStarted } from './frames.js';

let popup = null;
let popupTimer = 0;

export function openPopup(url) {
  const w = 520, h = 680;
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - w) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - h) / 2));
  // After a pushed authorization request (RFC 9126) the popup is open already, on a blank page of
  // this origin: it goes to the authorization endpoint. Opening it again would need a user gesture
  // the push's answer no longer has.
  if (popup && !popup.closed) {
    try { popup.location.href = url; return true; } catch (e) { /* severed: open it again */ }
  }
  let win = null;
  try {
    win = window.open(url, 'oauth-setup-consent', `popup=yes,width=${w},height=${h},left=${left},top=${top}`);
  } catch (e) { win = null; }
  if (!win) return false;
  popup = win;
  clearInterval(popupTimer);
  // A closed popup fires no event: look every few hundred milliseconds.
  popupTimer = setInterval(() => {
    if (popup && !popup.closed) return;
    clearInterval(popupTimer);
    popup = null;
    wasm()._osu_popup_closed();
  }, 300);
  return true;
}

export function closePopup() {
  clearInterval(popupTimer);
  const win = popup;
  popup = null;
  try { if (win && !win.closed) win.close(); } catch (e) { /* severed by the provider */ }
}

// Only this page's own Redirect URL page may answer, and only with the expected shape; the
// state check in C++ rejects the rest.
function onCallbackMessage(data) {
  if (!isStarted() || !data || data.type !== 'oauth-setup-callback' || typeof data.url !== 'string') return;
  call('osu_callback', ['string'], [data.url]);
}

export function installCallbackListeners() {
  window.addEventListener('message', (e) => {
    if (e.origin === window.location.origin) onCallbackMessage(e.data);
  });
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel('oauth-setup-callback');
    channel.onmessage = (e) => onCallbackMessage(e.data);
  }
}

// Telling "nothing answered" from a CORS refusal: a failed fetch rejects alike for both. A GET of
// the same URL in mode 'no-cors' resolves with an opaque response (nothing of it readable) when a
// server answered, and rejects when nothing did (refused, DNS, TLS, blocked port). No
// credentials, no referrer, nothing cached. Answers osu_probe_done(id, kind).
export async function probe(id, url, timeoutMs) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.max(1, timeoutMs));
  let kind = 1;
  try {
    await fetch(url, { mode: 'no-cors', method: 'GET', credentials: 'omit', cache: 'no-store',
      referrerPolicy: 'no-referrer', signal: controller.signal });
    kind = 0;
  } catch (e) {
    kind = timedOut ? 3 : 1;
  } finally {
    clearTimeout(timer);
  }
  call('osu_probe_done', ['number', 'number'], [id, kind]);
}
