// Client assertions' crypto (RFC 7523 section 2.2, RFC 7515, RFC 7518 section 3): WebCrypto signs a
// JWS signing input with HS256 (the client secret), RS256, PS256 or ES256 (a private key given as
// PKCS#8 PEM or a private JWK). Keys are imported non-extractable and cached for this tab only;
// the key text itself is kept by the page like a secret (sealed under the passphrase lock, or not
// stored). Each answer reaches C++ later through osu_crypto_result(id, ok, a, b).
import { call } from './wasm.js';

const KEY_ALGORITHMS = {
  HS256: { name: 'HMAC', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};
// RFC 7518 section 3.5: PS256's salt is as long as the hash. ES256's signature is r||s, which is
// what WebCrypto's ECDSA gives (section 3.4), so it needs no conversion.
const SIGN_PARAMS = {
  HS256: { name: 'HMAC' },
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
};
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const cache = new Map(); // algorithm + key text -> non-extractable CryptoKey

function answer(id, ok, a = '', b = '') {
  call('osu_crypto_result', ['number', 'number', 'string', 'string'], [id, ok ? 1 : 0, a, b]);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

class KeyProblem extends Error {}

// The key text as WebCrypto's import format and data; a clear sentence for what it cannot read.
function readKey(algorithm, text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk;
    try { jwk = JSON.parse(trimmed); } catch { throw new KeyProblem('The private key looks like a JWK but is not valid JSON.'); }
    const wanted = algorithm === 'ES256' ? 'EC' : 'RSA';
    if (jwk.kty !== wanted) throw new KeyProblem(`${algorithm} needs a ${wanted} key; this JWK has kty "${jwk.kty}".`);
    if (!jwk.d) throw new KeyProblem('This JWK is a public key (it has no "d"): paste the private JWK.');
    if (wanted === 'EC' && jwk.crv !== 'P-256') throw new KeyProblem(`ES256 needs a P-256 key; this JWK has crv "${jwk.crv}".`);
    // WebCrypto refuses a JWK whose alg/key_ops/use differ from the import; they say nothing of the key.
    const { alg, key_ops, use, ext, ...bare } = jwk; // eslint-disable-line no-unused-vars
    return ['jwk', bare];
  }
  if (/-----BEGIN (RSA|EC|ENCRYPTED) PRIVATE KEY-----/.test(trimmed)) {
    throw new KeyProblem('This PEM is not an unencrypted PKCS#8 key ("BEGIN PRIVATE KEY"): convert it with ' +
      'openssl pkcs8 -topk8 -nocrypt -in key.pem.');
  }
  const pem = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(trimmed);
  if (!pem) throw new KeyProblem('The private key is neither a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") nor a private JWK.');
  return ['pkcs8', Uint8Array.from(atob(pem[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0))];
}

async function importKey(algorithm, text, extractable) {
  if (!KEY_ALGORITHMS[algorithm]) throw new KeyProblem(`${algorithm} is not an algorithm this page signs with.`);
  if (algorithm === 'HS256') {
    return crypto.subtle.importKey('raw', new TextEncoder().encode(text), KEY_ALGORITHMS.HS256, extractable, ['sign']);
  }
  const [format, data] = readKey(algorithm, text);
  try {
    return await crypto.subtle.importKey(format, data, KEY_ALGORITHMS[algorithm], extractable, ['sign']);
  } catch (e) {
    throw new KeyProblem(`The private key does not fit ${algorithm} (${e && e.message}): an RSA key for RS256 or PS256, a P-256 EC key for ES256.`);
  }
}

function sentence(e) {
  return e instanceof KeyProblem ? e.message : `The browser could not sign: ${e && e.message}.`;
}

export async function signJws(id, algorithm, keyText, signingInput) {
  try {
    const cacheKey = `${algorithm}\n${keyText}`;
    let key = cache.get(cacheKey);
    if (!key) {
      key = await importKey(algorithm, keyText, false); // non-extractable: only ever used to sign
      cache.set(cacheKey, key);
    }
    const signature = await crypto.subtle.sign(SIGN_PARAMS[algorithm], key, new TextEncoder().encode(signingInput));
    answer(id, true, base64url(signature));
  } catch (e) { answer(id, false, '', sentence(e)); }
}

// The public half, read from an extractable import that is dropped at once.
export async function describeSigningKey(id, algorithm, keyText) {
  try {
    if (algorithm === 'HS256') throw new KeyProblem('HS256 has no public key.');
    const jwk = await crypto.subtle.exportKey('jwk', await importKey(algorithm, keyText, true));
    for (const name of [...PRIVATE_MEMBERS, 'key_ops', 'ext', 'alg']) delete jwk[name];
    answer(id, true, JSON.stringify(jwk));
  } catch (e) { answer(id, false, '', sentence(e)); }
}

export async function generateSigningKey(id, algorithm) {
  try {
    const params = algorithm === 'ES256' ? KEY_ALGORITHMS.ES256
      : { ...KEY_ALGORITHMS[algorithm], modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
    if (!params || algorithm === 'HS256') throw new KeyProblem(`${algorithm} is not an algorithm this page generates keys for.`);
    // Extractable once, so the page can keep the key (sealed under the lock); signing always
    // re-imports it non-extractable.
    const pair = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    for (const name of ['key_ops', 'ext', 'alg']) delete jwk[name];
    answer(id, true, JSON.stringify(jwk));
  } catch (e) { answer(id, false, '', sentence(e)); }
}
