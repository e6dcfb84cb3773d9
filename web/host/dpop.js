// DPoP keys (RFC 9449 section 4.2): one ES256 (ECDSA P-256) key pair per profile, generated with
// WebCrypto non-extractable and kept in IndexedDB as the CryptoKey objects themselves (they are
// structured-cloneable), so the private key is never exported as text, not even to this page.
// Each answer reaches C++ later through osu_crypto_result(id, ok, a, b).
import { call } from './wasm.js';

const DB_NAME = 'oauth-setup-dpop';
const STORE = 'keys';
const pending = new Map(); // key name -> Promise of its CryptoKeyPair (one generation at a time)

function answer(id, ok, a = '', b = '') {
  call('osu_crypto_result', ['number', 'number', 'string', 'string'], [id, ok ? 1 : 0, a, b]);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function inStore(mode, work) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request.result); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  }));
}

// The key pair stored under `name`, made and stored first if there is none. Without IndexedDB
// (a private window may refuse it) the pair lives for this tab only.
async function keyPair(name) {
  if (pending.has(name)) return pending.get(name);
  const made = (async () => {
    let stored;
    try { stored = await inStore('readonly', (s) => s.get(name)); } catch { stored = undefined; }
    if (stored && stored.privateKey && stored.publicKey) return stored;
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    try { await inStore('readwrite', (s) => s.put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, name)); } catch { /* tab only */ }
    return pair;
  })();
  pending.set(name, made);
  made.catch(() => pending.delete(name));
  return made;
}

function sentence(e) {
  return `The browser could not use the DPoP key: ${e && e.message}.`;
}

export async function dpopPublicKey(id, name) {
  try {
    // A public key is extractable whatever the pair's flag says (WebCrypto).
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', (await keyPair(name)).publicKey);
    answer(id, true, JSON.stringify({ kty, crv, x, y }));
  } catch (e) { answer(id, false, '', sentence(e)); }
}

export async function signDpop(id, name, signingInput) {
  try {
    const { privateKey } = await keyPair(name);
    // ES256 is r||s (RFC 7518 section 3.4), which is what WebCrypto's ECDSA gives.
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey,
      new TextEncoder().encode(signingInput));
    answer(id, true, base64url(signature));
  } catch (e) { answer(id, false, '', sentence(e)); }
}

export function forgetDpopKey(name) {
  pending.delete(name);
  inStore('readwrite', (s) => s.delete(name)).catch(() => {});
}
