// Signature checks of JWS (RFC 7515) with WebCrypto, for ID tokens: the algorithms of RFC 7518
// section 3 the page accepts. The key is imported for this one check, non-extractable. Each answer
// reaches C++ later, through osu_crypto_result(id, valid, problem, ''), never synchronously.
import { call } from './wasm.js';

const ALGORITHMS = {
  RS256: { key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' } },
  PS256: { key: { name: 'RSA-PSS', hash: 'SHA-256' }, verify: { name: 'RSA-PSS', saltLength: 32 } },
  ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
  HS256: { key: { name: 'HMAC', hash: 'SHA-256' }, verify: { name: 'HMAC' } },
};

const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

function answer(id, valid, problem = '') {
  call('osu_crypto_result', ['number', 'number', 'string', 'string'], [id, valid ? 1 : 0, problem, '']);
}

export async function verifySignature(id, alg, jwkJson, input, signature) {
  const algorithm = ALGORITHMS[alg];
  if (!algorithm) return answer(id, false, `this browser cannot check ${alg} signatures.`);
  let key;
  try {
    key = await crypto.subtle.importKey('jwk', JSON.parse(jwkJson), algorithm.key, false, ['verify']);
  } catch (e) {
    return answer(id, false, `the browser refused the provider's key (${e && e.message}).`);
  }
  try {
    const valid = await crypto.subtle.verify(algorithm.verify, key, fromBase64Url(signature), new TextEncoder().encode(input));
    answer(id, valid);
  } catch (e) {
    answer(id, false, `the browser could not check the signature (${e && e.message}).`);
  }
}
