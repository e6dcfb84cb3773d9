// Checks for exported Postman collections: the official Collection v2.1 schema (ajv), a real
// newman run (as a library), and Bruno's importer (@usebruno/converters).
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import newman from 'newman';
import { postmanToBruno } from '@usebruno/converters';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMA_FILE = path.join(HERE, '..', 'fixtures', 'postman-collection-v2.1.schema.json');

let validator;
/**
 * Validates a collection against the Postman Collection v2.1.0 schema (draft-07). Resolves to
 * the list of errors as "path message" sentences (empty when valid). strict: false because the
 * official schema names its definitions with "$id": "#/definitions/..." and carries a few
 * non-standard keywords ("item" in certificate), which ajv's strict mode refuses.
 */
export function schemaErrors(collection) {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return validator(collection) ? [] : validator.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** Sets collection variables by key (the person filling the secret variables); throws on an unknown key. */
export function fillVariables(collection, values) {
  const copy = structuredClone(collection);
  for (const [key, value] of Object.entries(values)) {
    const variable = copy.variable.find((v) => v.key === key);
    if (!variable) throw new Error(`the collection has no variable "${key}"`);
    variable.value = value;
  }
  return copy;
}

/**
 * Runs the collection with newman and resolves to figures and per-request details:
 * {requests, assertions, failedAssertions, failures: [sentence], executions: [{name, method, url,
 * code, headers, body, assertions: [{name, error}]}], variables: {key: value}}.
 */
export function runNewman(collection, { timeoutMs = 20000, item } = {}) {
  return new Promise((resolve, reject) => {
    // `item`: the name of the one request to run (newman's folder option takes a request's name too).
    newman.run({ collection, reporters: [], timeoutRequest: timeoutMs, ...(item ? { folder: item } : {}) }, (err, summary) => {
      if (err) { reject(err); return; }
      const { stats } = summary.run;
      const executions = summary.run.executions.map((x) => ({
        name: x.item.name,
        method: x.request?.method,
        url: x.request?.url?.toString(),
        headers: Object.fromEntries((x.request?.headers?.all() ?? []).map((h) => [h.key, h.value])),
        requestBody: x.request?.body?.toString(),
        code: x.response?.code,
        body: x.response?.stream?.toString('utf8'),
        assertions: (x.assertions ?? []).map((a) => ({ name: a.assertion, error: a.error?.message })),
        requestError: x.requestError?.message,
      }));
      resolve({
        requests: stats.requests.total,
        failedRequests: stats.requests.failed,
        assertions: stats.assertions.total,
        failedAssertions: stats.assertions.failed,
        scriptErrors: stats.testScripts.failed + stats.prerequestScripts.failed,
        failures: summary.run.failures.map((f) => `${f.source?.name}: ${f.error?.message}`),
        executions,
        variables: Object.fromEntries(summary.collection.variables.all().map((v) => [v.key, v.value])),
      });
    });
  });
}

/** Bruno's Postman importer; resolves to Bruno's collection (it throws on a file it refuses). */
export async function brunoImport(collection) {
  const { collection: bruno } = await postmanToBruno(collection);
  return bruno;
}

/**
 * A DPoP key of the test's own (P-256), as a support desk's tool other than the page would hold one:
 * proof({htm, htu, accessToken}) makes a fresh RFC 9449 section 4.2 proof signed with it.
 */
export function dpopKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  return {
    proof({ htm, htu, accessToken }) {
      const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } };
      const claims = { jti: crypto.randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) };
      if (accessToken) claims.ath = crypto.createHash('sha256').update(accessToken).digest('base64url');
      const input = `${b64(header)}.${b64(claims)}`;
      const signature = crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}
