// The passphrase lock's crypto: WebCrypto PBKDF2-SHA-256 + AES-256-GCM. The key is
// non-extractable and lives only in this page's memory. Each answer reaches C++ later, through
// osu_crypto_result(id, ok, a, b), never synchronously.
import { call } from './wasm.js';

let lockKey = null;
const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function cryptoResult(id, ok, a = '', b = '') {
  call('osu_crypto_result', ['number', 'number', 'string', 'string'], [id, ok ? 1 : 0, a, b]);
}

export async function deriveKey(id, passphrase, salt, iterations) {
  try {
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
    lockKey = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt), iterations },
      base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    cryptoResult(id, true);
  } catch (e) { lockKey = null; cryptoResult(id, false, String(e && e.message)); }
}

export async function seal(id, plaintext) {
  try {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, lockKey, new TextEncoder().encode(plaintext));
    cryptoResult(id, true, toBase64(iv), toBase64(ct));
  } catch (e) { cryptoResult(id, false); }
}

export async function unseal(id, iv, ciphertext) {
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, lockKey, fromBase64(ciphertext));
    cryptoResult(id, true, new TextDecoder().decode(plain));
  } catch (e) { cryptoResult(id, false); } // wrong passphrase: the GCM tag does not verify
}

export function forgetKey() { lockKey = null; }
