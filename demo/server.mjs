// The local demo authorization server of oauth-setup: a real OAuth 2.0 / OpenID Connect server
// (npm `oidc-provider` 8.x, from demo/node_modules) on loopback. scripts/run.sh starts it for
// people trying the page; the browser tests start their own ones.
//
//   import { startOidcServer } from '../../demo/server.mjs';   // from tests/e2e
//   const oidc = await startOidcServer({ port: 0, cors: 'allow', pageOrigins: ['http://127.0.0.1:8000'] });
//   ... oidc.issuer (http://127.0.0.1:<port>), oidc.port ...
//   await oidc.close();
//
// Standalone: node demo/server.mjs --port 9400 [--cors allow|refuse] [--page-origin URL]...
//
// What it offers (see README.md in this folder for the details):
// - grants: authorization_code (+PKCE S256; required for public clients), refresh_token,
//   client_credentials, password (RFC 6749 4.3, registered with registerGrantType),
//   urn:ietf:params:oauth:grant-type:device_code; revocation, introspection, userinfo.
// - development login + consent pages (any user name and password on the login form).
// - access tokens bound to the API resource (RESOURCE below) are JWTs (RS256, signed with the
//   key in the JWKS); the others (OpenID-only scopes, meant for the UserInfo endpoint) are opaque.
// - cors 'allow': the token, device authorization, revocation, introspection and userinfo
//   endpoints answer cross-origin browser calls; 'refuse': they send no Access-Control-* headers
//   (preflights included) and a request carrying an Origin header is rejected.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { pathToFileURL } from 'node:url';

import Provider, { errors } from 'oidc-provider';
// The proof check oidc-provider's own grants use (RFC 9449 section 4.3), and the time a proof's jti
// is remembered for (DPOP_OK_WINDOW, the iat window it accepts); the package has no exports map, so
// they can be imported for the password grant, which oidc-provider does not ship.
import dpopValidate, { DPOP_OK_WINDOW } from 'oidc-provider/lib/helpers/validate_dpop.js';

import * as pages from './pages.mjs';

/** Resource indicator of the test API; tokens for it are JWT access tokens. */
export const RESOURCE = 'urn:oauth-setup:api';
/** A second API (same scopes), asked for only by name: `resource` (RFC 8707) or `audience`. */
export const REPORTS_RESOURCE = 'urn:oauth-setup:reports';
const RESOURCES = new Set([RESOURCE, REPORTS_RESOURCE]);
export const API_SCOPES = ['api:read', 'api:write'];
export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email'];

/** Users accepted by the password grant (the dev login page accepts any user name). */
export const USERS = Object.freeze({ alice: 'wonderland', bob: 'builder' });

/** A secret with every character that needs form-urlencoding in a Basic header. */
export const SPECIAL_SECRET = 'a:b+c/d=e%f g';

const DEFAULT_PAGE_ORIGINS = ['http://127.0.0.1:8000', 'http://localhost:8000'];

const CONFIDENTIAL_GRANTS = [
  'authorization_code', 'refresh_token', 'client_credentials', 'password',
  'urn:ietf:params:oauth:grant-type:device_code',
];
const PUBLIC_GRANTS = [
  'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code',
];

/** client_secret_jwt's HS256 key: at least the hash's 32 bytes (RFC 7518 section 3.2). */
export const JWT_SECRET = 'jwt-secret-0123456789abcdef0123456789abcdef';

/** Client ids, secrets and authentication methods (exported for tests). */
export const CLIENTS = Object.freeze({
  'secret-jwt-client': { secret: JWT_SECRET, auth: 'client_secret_jwt', grants: CONFIDENTIAL_GRANTS },
  'private-key-jwt-client': { secret: undefined, auth: 'private_key_jwt', grants: CONFIDENTIAL_GRANTS },
  'basic-client': { secret: 'basic-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS },
  'post-client': { secret: 'post-secret', auth: 'client_secret_post', grants: CONFIDENTIAL_GRANTS },
  'public-client': { secret: undefined, auth: 'none', grants: PUBLIC_GRANTS },
  'special-client': { secret: SPECIAL_SECRET, auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS },
  'special-post-client': { secret: SPECIAL_SECRET, auth: 'client_secret_post', grants: CONFIDENTIAL_GRANTS },
  // RFC 9126 section 6: this client's authorization requests are accepted only when pushed.
  'par-client': { secret: 'par-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS, requirePar: true },
  // OpenID Connect Core 1.0 section 3.1.3.7: ID tokens signed with RSASSA-PSS or ECDSA P-256
  // (id_token_signed_response_alg, OpenID Connect Dynamic Client Registration 1.0 section 2).
  'ps256-client': { secret: 'ps256-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS, idTokenAlg: 'PS256' },
  'es256-client': { secret: 'es256-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS, idTokenAlg: 'ES256' },
  // DPoP (RFC 9449): tokens only for requests with a proof (dpop_bound_access_tokens, section 5.2);
  // the nonce client's proofs must also carry a server nonce (section 8).
  'dpop-client': { secret: 'dpop-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS, dpopBound: true },
  'dpop-nonce-client': {
    secret: 'dpop-nonce-secret', auth: 'client_secret_basic', grants: CONFIDENTIAL_GRANTS, dpopBound: true, dpopNonce: true,
  },
});

// Paths whose CORS oidc-provider decides per client (clientBasedCORS).
const CLIENT_CORS_PATHS = new Set(['/token', '/device/auth', '/token/revocation', '/token/introspection', '/me',
  '/request']);

// A signing key of the provider's JWKS, for one algorithm (oidc-provider signs with the key whose
// alg matches what it signs with, RFC 7517 section 4.4).
function makeSigningKey(type, options, alg) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync(type, options);
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `${alg.toLowerCase()}-${crypto.randomBytes(6).toString('hex')}`,
    use: 'sig',
    alg,
  };
  return { jwk, publicKey };
}

let signingKey; // one RSA key per process: generating it costs ~100 ms
function getSigningKey() {
  if (!signingKey) {
    signingKey = makeSigningKey('rsa', { modulusLength: 2048 }, 'RS256');
  }
  return signingKey;
}

let otherSigningKeys; // the PS256 (RSA) and ES256 (P-256) keys, one each per process
/** The keys after the RS256 one in the JWKS: the ID tokens of ps256-client and es256-client. */
export function demoSigningKeys() {
  if (!otherSigningKeys) {
    otherSigningKeys = {
      ps256: makeSigningKey('rsa', { modulusLength: 2048 }, 'PS256'),
      es256: makeSigningKey('ec', { namedCurve: 'P-256' }, 'ES256'),
    };
  }
  return { rs256: getSigningKey(), ...otherSigningKeys };
}

// RFC 7638: the JWK thumbprint, the kid the page gives a key it has no Key ID for.
export function jwkThumbprint(jwk) {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

let clientKeys; // private-key-jwt-client's key pairs, one per process
/**
 * private-key-jwt-client's keys: an RSA key (RS256, PS256) and a P-256 key (ES256), each as
 * PKCS#8 PEM and private JWK (what a person pastes into the page) and the public JWK registered
 * in the client's jwks with its RFC 7638 thumbprint as kid.
 */
export function demoClientKeys() {
  if (!clientKeys) {
    const make = (type, options) => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync(type, options);
      const publicJwk = publicKey.export({ format: 'jwk' });
      return {
        pem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
        privateJwk: privateKey.export({ format: 'jwk' }),
        publicJwk: { ...publicJwk, kid: jwkThumbprint(publicJwk), use: 'sig' },
      };
    };
    clientKeys = { rsa: make('rsa', { modulusLength: 2048 }), ec: make('ec', { namedCurve: 'P-256' }) };
  }
  return clientKeys;
}

const epochTime = () => Math.floor(Date.now() / 1000);

// The JWT access tokens this server signed (RS256 with our key), or undefined.
function verifiedJwtPayload(value) {
  if (typeof value !== 'string') return undefined;
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'RS256' || header.kid !== getSigningKey().jwk.kid) return undefined;
    const ok = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`),
      getSigningKey().publicKey, Buffer.from(parts[2], 'base64url'));
    if (!ok) return undefined;
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

// A per-server in-memory adapter (oidc-provider's own MemoryAdapter shares one LRU between all
// providers of a process and warns). oidc-provider 8 does not store JWT access tokens, so
// introspection would call them inactive and revocation would do nothing; the jwt customizer
// below stores their payload under their jti, and find() maps a JWT we signed to that jti.
function makeAdapter() {
  const store = new Map(); // key -> { payload, expiresAt }
  const get = (key) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const set = (key, payload, expiresIn) => {
    store.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
  };
  const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode',
    'BackchannelAuthenticationRequest', 'ClientCredentials']);

  return class TestAdapter {
    constructor(model) { this.model = model; }

    key(id) { return `${this.model}:${id}`; }

    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      if (this.model === 'Session') set(`sessionUid:${payload.uid}`, id, expiresIn);
      if (grantable.has(this.model) && payload.grantId) {
        const grantKey = `grant:${payload.grantId}`;
        const list = get(grantKey);
        if (list) list.push(key); else set(grantKey, [key]);
      }
      if (payload.userCode) set(`userCode:${payload.userCode}`, id, expiresIn);
      set(key, payload, expiresIn);
    }

    async find(id) {
      const found = get(this.key(id));
      if (found || (this.model !== 'AccessToken' && this.model !== 'ClientCredentials')) return found;
      const jwt = verifiedJwtPayload(id);
      return jwt?.jti ? get(this.key(jwt.jti)) : undefined;
    }

    async findByUid(uid) {
      const id = get(`sessionUid:${uid}`);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode) {
      const id = get(`userCode:${userCode}`);
      return id ? this.find(id) : undefined;
    }

    async consume(id) {
      const found = get(this.key(id));
      if (found) found.consumed = epochTime();
    }

    async destroy(id) {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId) { // eslint-disable-line class-methods-use-this
      const grantKey = `grant:${grantId}`;
      (get(grantKey) || []).forEach((key) => store.delete(key));
      store.delete(grantKey);
    }
  };
}

// formats.customizers.jwt: runs for every JWT access token before it is signed.
async function storeJwtAccessToken(ctx, token, jwt) {
  const payload = {};
  for (const name of token.constructor.IN_PAYLOAD) {
    if (token[name] !== undefined) payload[name] = token[name];
  }
  Object.assign(payload, { jti: jwt.payload.jti, iat: jwt.payload.iat, exp: jwt.payload.exp });
  await token.adapter.upsert(payload.jti, payload, Math.max(1, jwt.payload.exp - epochTime()));
}

function hasApiScope(scope) {
  return typeof scope === 'string' && scope.split(' ').some((s) => API_SCOPES.includes(s));
}

async function findAccount(ctx, id) {
  if (!id) return undefined;
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: id.charAt(0).toUpperCase() + id.slice(1),
        preferred_username: id,
        email: `${id}@example.test`,
        email_verified: true,
      };
    },
  };
}

// oidc-provider prints quick-start warnings (dev interactions, in-memory adapter, ...) with
// console.warn / console.info while it is constructed. Keep them out of the test output unless
// OIDC_TEST_VERBOSE is set.
function quietly(fn) {
  if (process.env.OIDC_TEST_VERBOSE) return fn();
  const { warn, info } = console;
  const filter = (orig) => (...args) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
    orig.apply(console, args);
  };
  console.warn = filter(warn);
  console.info = filter(info);
  try {
    return fn();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

// The password grant's DPoP proof (RFC 9449), checked before anything is saved, as oidc-provider's
// client credentials grant checks its own: dpopValidate verifies it (section 4.3), a
// dpop_bound_access_tokens client must send one, and a jti is taken once while its proof's iat can
// still be accepted (section 4.3 step 12 and section 11.1), in oidc-provider's ReplayDetection store.
// A replay is answered invalid_dpop_proof, the error section 5 gives for an invalid proof at the
// token endpoint (oidc-provider 8's own grants answer their replays with invalid_grant).
async function passwordGrantProof(ctx, client, ReplayDetection) {
  const dPoP = await dpopValidate(ctx);
  if (!dPoP) {
    if (client.dpopBoundAccessTokens) throw new errors.InvalidGrant('DPoP proof JWT not provided');
    return undefined;
  }
  if (!await ReplayDetection.unique(client.clientId, dPoP.jti, epochTime() + DPOP_OK_WINDOW)) {
    throw new errors.InvalidDpopProof('DPoP proof JWT Replay detected');
  }
  return dPoP;
}

// RFC 6749 section 4.3: Resource Owner Password Credentials grant. The token endpoint has already
// authenticated the client (ctx.oidc.client) and checked that it may use this grant type.
async function passwordGrantHandler(ctx, next) {
  const { client, params, provider } = ctx.oidc;
  const {
    AccessToken, RefreshToken, Grant, ResourceServer, ReplayDetection,
  } = provider;

  if (!params.username || !params.password) {
    throw new errors.InvalidRequest('missing required parameter(s) (username, password)');
  }
  if (!Object.hasOwn(USERS, params.username) || USERS[params.username] !== params.password) {
    const err = new errors.InvalidGrant('invalid username or password');
    err.error_description = 'invalid username or password';
    throw err;
  }
  const dPoP = await passwordGrantProof(ctx, client, ReplayDetection);

  const known = new Set([...OIDC_SCOPES, ...API_SCOPES]);
  const requested = params.scope ? [...new Set(params.scope.split(' ').filter(Boolean))] : [];
  const unknown = requested.filter((s) => !known.has(s));
  if (unknown.length) {
    throw new errors.InvalidScope('requested scope is not supported', unknown.join(' '));
  }
  if (client.scope) {
    const allowed = new Set(client.scope.split(' '));
    const denied = requested.filter((s) => !allowed.has(s));
    if (denied.length) throw new errors.InvalidScope('requested scope is not allowed', denied.join(' '));
  }

  // No scope or an api:* scope -> a JWT access token for the API resource (default scope api:read);
  // only OpenID scopes -> an opaque access token for the UserInfo endpoint.
  const scopes = requested.length ? requested : ['api:read'];
  // RFC 8707 section 2.2: a resource (or audience) asked for names the API; else the default one.
  const named = params.resource ?? ctx.oidc.body?.audience;
  if (named !== undefined && !RESOURCES.has(named)) throw new errors.InvalidTarget();
  const resource = named ?? RESOURCE;
  const forApi = named !== undefined || scopes.some((s) => API_SCOPES.includes(s));
  const oidcScopes = scopes.filter((s) => OIDC_SCOPES.includes(s));
  const apiScopes = scopes.filter((s) => API_SCOPES.includes(s));

  const account = await provider.Account.findAccount(ctx, params.username);
  ctx.oidc.entity('Account', account);

  const grant = new Grant({ accountId: account.accountId, clientId: client.clientId });
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  if (forApi) grant.addResourceScope(resource, apiScopes.join(' '));
  const grantId = await grant.save();
  ctx.oidc.entity('Grant', grant);

  const at = new AccessToken({
    accountId: account.accountId,
    client,
    expiresWithSession: false,
    grantId,
    gty: 'password',
  });
  if (forApi) {
    at.resourceServer = new ResourceServer(resource, resourceServerInfo(resource));
    at.scope = apiScopes.join(' ');
  } else {
    at.scope = oidcScopes.join(' ');
  }
  // RFC 9449 section 5: a proof binds the token to its key (cnf.jkt, token_type DPoP).
  if (dPoP) at.setThumbprint('jkt', dPoP.thumbprint);
  ctx.oidc.entity('AccessToken', at);
  const accessToken = await at.save();

  let refreshToken;
  if (client.grantTypeAllowed('refresh_token')) {
    const rt = new RefreshToken({
      accountId: account.accountId,
      authTime: epochTime(),
      client,
      expiresWithSession: false,
      grantId,
      gty: 'password',
      resource: forApi ? resource : undefined,
      rotations: 0,
      scope: scopes.join(' '),
    });
    ctx.oidc.entity('RefreshToken', rt);
    refreshToken = await rt.save();
  }

  ctx.body = {
    access_token: accessToken,
    token_type: at.tokenType, // 'Bearer', or 'DPoP' when bound
    expires_in: at.expiration,
    scope: at.scope,
    refresh_token: refreshToken,
  };
  await next();
}

// oidc-provider 8 lets a client_secret_basic client send its secret in the body and a
// client_secret_post client use the Authorization header. Be strict (RFC 7591
// token_endpoint_auth_method), so that a test notices a page using the wrong method.
function enforceRegisteredSecretMethod(provider) {
  const proto = provider.OIDCContext.prototype;
  const { entity } = proto;
  proto.entity = function strictEntity(key, value) {
    if (key === 'Client' && this.authorization?.methods?.includes('client_secret_post')) {
      const viaHeader = this.ctx.headers.authorization !== undefined;
      const method = value.clientAuthMethod;
      if ((method === 'client_secret_basic' && !viaHeader) || (method === 'client_secret_post' && viaHeader)) {
        throw new errors.InvalidClientAuth(`the client is registered with ${method}`);
      }
    }
    return entity.call(this, key, value);
  };
}

function resourceServerInfo(resource = RESOURCE) {
  return {
    scope: API_SCOPES.join(' '),
    audience: resource,
    accessTokenTTL: 3600,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}

function buildConfiguration({ cors, pageOrigins, rotateRefreshToken, requirePar }) {
  const origins = [...new Set([...pageOrigins, ...DEFAULT_PAGE_ORIGINS].map((o) => String(o).replace(/\/+$/, '')))];
  const redirectUris = origins.map((o) => `${o}/callback.html`);

  const clients = Object.entries(CLIENTS).map(([clientId, c]) => ({
    client_id: clientId,
    ...(c.secret !== undefined ? { client_secret: c.secret } : {}),
    ...(c.auth === 'private_key_jwt'
      ? { jwks: { keys: [demoClientKeys().rsa.publicJwk, demoClientKeys().ec.publicJwk] } } : {}),
    client_name: clientId,
    ...(c.requirePar ? { require_pushed_authorization_requests: true } : {}),
    ...(c.dpopBound ? { dpop_bound_access_tokens: true } : {}),
    ...(c.idTokenAlg ? { id_token_signed_response_alg: c.idTokenAlg } : {}),
    token_endpoint_auth_method: c.auth,
    grant_types: c.grants,
    response_types: ['code'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: origins.flatMap((o) => [`${o}/`, `${o}/callback.html`]),
    scope: [...OIDC_SCOPES, ...API_SCOPES].join(' '),
  }));

  return {
    clients,
    jwks: { keys: [getSigningKey().jwk, demoSigningKeys().ps256.jwk, demoSigningKeys().es256.jwk] },
    adapter: makeAdapter(),
    responseTypes: ['code'],
    extraParams: ['audience'],
    formats: { customizers: { jwt: storeJwtAccessToken } },
    findAccount,
    scopes: [...OIDC_SCOPES, ...API_SCOPES],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    cookies: {
      keys: [crypto.randomBytes(32).toString('hex')],
      // Plain http on loopback: no Secure flag, and SameSite=Lax (Chromium drops
      // SameSite=None cookies that are not Secure, which would lose the session).
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure: false },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure: false },
    },
    pkce: {
      methods: ['S256'],
      // Public clients must use PKCE (S256); confidential clients may.
      required: (ctx, client) => client.clientAuthMethod === 'none',
    },
    // Always a refresh token when the client may use the refresh_token grant (no need for
    // offline_access), and tokens do not die with the browser session.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    // oidc-provider's default rotates a public client's refresh tokens (RFC 9700 section 4.14.2);
    // `rotateRefreshToken: false` keeps them, for the setup check's tests.
    ...(rotateRefreshToken === undefined ? {} : { rotateRefreshToken }),
    expiresWithSession: async () => false,
    clientBasedCORS: () => cors === 'allow',
    renderError: pages.renderError,
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: pages.userCodeInputSource,
        userCodeConfirmSource: pages.userCodeConfirmSource,
        successSource: pages.successSource,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logoutSource,
        postLogoutSuccessSource: pages.postLogoutSuccessSource,
      },
      revocation: { enabled: true },
      // RFC 9449. A nonce secret makes the server hand out DPoP-Nonce values (and list DPoP-Nonce in
      // Access-Control-Expose-Headers); only dpop-nonce-client must use them.
      dPoP: {
        enabled: true,
        nonceSecret: crypto.randomBytes(32),
        requireNonce: (ctx) => CLIENTS[ctx.oidc?.client?.clientId]?.dpopNonce === true,
      },
      introspection: {
        enabled: true,
        // oidc-provider's default policy, without its start-up notice: a public client may only
        // introspect its own tokens.
        allowedPolicy: async (ctx, client, token) => !(client.clientAuthMethod === 'none' && token.clientId !== client.clientId),
      },
      userinfo: { enabled: true },
      // RFC 9126 at /request (pushed_authorization_request_endpoint); par-client must use it, and
      // with `requirePar` every client must (the metadata then says require_pushed_authorization_requests).
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: requirePar === true },
      resourceIndicators: {
        enabled: true,
        // The API resource is used when asked for (resource=urn:oauth-setup:api), for every
        // client_credentials request, and whenever an api:* scope is requested.
        // An `audience` parameter (Auth0's name for it; extraParams below makes oidc-provider read
        // it at the authorization, device and PAR endpoints, the token endpoint's body has it too)
        // names the resource when no `resource` was sent.
        async defaultResource(ctx, client, oneOf) {
          const audience = ctx.oidc.params?.audience ?? ctx.oidc.body?.audience;
          if (RESOURCES.has(audience)) return audience;
          if (oneOf) return oneOf.includes(RESOURCE) ? RESOURCE : oneOf;
          if (ctx.oidc.params?.grant_type === 'client_credentials') return RESOURCE;
          if (hasApiScope(ctx.oidc.params?.scope)) return RESOURCE;
          return undefined;
        },
        // A code / refresh token that was granted the API resource gives an API (JWT) access
        // token even when openid was requested too.
        useGrantedResource: async () => true,
        async getResourceServerInfo(ctx, resourceIndicator) {
          if (RESOURCES.has(resourceIndicator)) return resourceServerInfo(resourceIndicator);
          throw new errors.InvalidTarget();
        },
      },
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 120,
      ClientCredentials: 3600,
      DeviceCode: 600,
      Grant: 14 * 24 * 3600,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
  };
}

/**
 * Start the test authorization server.
 * @param {{port?: number, host?: string, cors?: 'allow'|'refuse', pageOrigins?: string[],
 *   rotateRefreshToken?: boolean, requirePar?: boolean}} [options] rotateRefreshToken: oidc-provider's setting
 *   (default: its own policy); requirePar: every authorization request must be pushed (RFC 9126 section 5)
 * @returns {Promise<{issuer: string, port: number, provider: Provider, close: () => Promise<void>}>}
 */
export async function startOidcServer({
  port = 0, host = '127.0.0.1', cors = 'allow', pageOrigins = [], rotateRefreshToken, requirePar = false,
} = {}) {
  if (cors !== 'allow' && cors !== 'refuse') throw new TypeError(`cors must be 'allow' or 'refuse', got ${cors}`);
  for (const origin of pageOrigins) {
    let url;
    try { url = new URL(origin); } catch { url = undefined; }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== String(origin).replace(/\/+$/, '')) {
      throw new TypeError(`pageOrigins: not an http(s) origin: ${origin}`);
    }
  }

  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = http.createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actualPort = server.address().port;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  let provider;
  try {
    provider = quietly(() => {
      const p = new Provider(issuer, buildConfiguration({ cors, pageOrigins, rotateRefreshToken, requirePar }));
      p.registerGrantType('password', passwordGrantHandler, ['username', 'password', 'scope', 'resource']);
      return p;
    });
  } catch (err) {
    server.close();
    throw err;
  }

  enforceRegisteredSecretMethod(provider);

  // oidc-provider checks static clients on first use: surface a bad configuration now.
  try {
    await Promise.all(Object.keys(CLIENTS).map((id) => provider.Client.find(id)));
  } catch (err) {
    server.close();
    throw err;
  }

  // Runs before oidc-provider's own middleware.
  provider.use(async (ctx, next) => {
    await next();
    // The dev pages @import a Google font: no network here, so keep browsers from trying.
    if (typeof ctx.body === 'string' && ctx.response.is('html')) {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
    }
    // cors 'refuse': no CORS headers at all on the client endpoints (preflights included).
    if (cors === 'refuse' && CLIENT_CORS_PATHS.has(ctx.path)) {
      for (const name of Object.keys(ctx.response.headers)) {
        if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name);
      }
    }
  });

  handler = provider.callback();

  let closed;
  return {
    issuer,
    port: actualPort,
    provider,
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function parseArgs(argv) {
  const out = { port: 9400, cors: 'allow', host: '127.0.0.1', pageOrigins: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [key, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]); // eslint-disable-line no-plusplus
    switch (key) {
      case '--port': out.port = Number(value()); break;
      case '--cors': out.cors = value(); break;
      case '--host': out.host = value(); break;
      case '--page-origin': out.pageOrigins.push(value()); break;
      case '-h': case '--help':
        console.log('usage: node server.mjs [--port 9400] [--cors allow|refuse] [--host 127.0.0.1] [--page-origin URL]...');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('bad --port');
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const opts = parseArgs(process.argv.slice(2));
  const srv = await startOidcServer(opts);
  console.log(`OIDC test server at ${srv.issuer}`);
  const stop = () => { srv.close().then(() => process.exit(0)); setTimeout(() => process.exit(0), 2000).unref(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
