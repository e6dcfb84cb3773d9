// localStorage for C++ (src/platform/web/browser_platform.cpp), and other tabs' saves: the
// 'storage' event, which C++ merges in (the per-profile revision decides).
import { call } from './wasm.js';

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

export function installStorageListener() {
  window.addEventListener('storage', (e) => {
    if (e.key && e.key.startsWith('oauth-setup') && e.storageArea === window.localStorage) {
      call('osu_storage_changed', ['string', 'string'], [e.key, e.newValue || '']);
    }
  });
}
