// localStorage for C++ (src/platform/web/browser_platform.cpp), other tabs' saves (the 'storage'
// event, which C++ merges in: the per-profile revision decides), and the unsaved edits written when
// the page is hidden or closed.
import { call, wasm } from './wasm.js';

export function storageGet(key) {
  try { return window.localStorage.getItem(key); } catch (e) { return null; }
}

export function storageKeys(prefix) {
  try {
    const keys = [];
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const key = window.localStorage.key(i);
      if (key && key.startsWith(prefix)) keys.push(key);
    }
    return keys;
  } catch (e) { return []; }
}

// '' on success, else the reason a person can act on.
export function storageSet(key, value) {
  try { window.localStorage.setItem(key, value); return ''; } catch (e) {
    return e && e.name === 'QuotaExceededError' ? 'storage is full' : `storage is unavailable: ${e && e.message}`;
  }
}

// Edits are written once the frame loop goes idle (C++ ProfileStore::markEdited). A page being
// hidden or closed may never draw that frame, so what is unsaved is written at once: on pagehide (a
// closed tab, a reload, a navigation away) and on visibilitychange to hidden, the last event a
// mobile browser promises before it may discard a page in the background.
export function installFlushOnHide() {
  const flush = () => wasm()._osu_flush_edits();
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
}

export function installStorageListener() {
  window.addEventListener('storage', (e) => {
    if (e.key && e.key.startsWith('oauth-setup') && e.storageArea === window.localStorage) {
      call('osu_storage_changed', ['string', 'string'], [e.key, e.newValue || '']);
    }
  });
}
