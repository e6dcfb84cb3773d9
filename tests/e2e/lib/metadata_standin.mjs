// A stand-in for a provider's metadata, for the setup check's tests: a tiny CORS-open http server on
// loopback that serves the demo server's own discovery document with some RFC 8414 members changed,
// under an issuer of its own (`${origin}/standin`, so discovery's issuer check passes). Its
// endpoints stay the demo server's. What each change means is what RFC 8414 section 2 (and RFC
// 9126 section 5, RFC 9207 section 3) documents for the member, nothing more:
//   code_challenge_methods_supported ['S256', 'plain']   plain PKCE offered beside S256
//   response_types_supported ['code', 'token']           the implicit grant offered (RFC 6749 4.2)
//   grant_types_supported + 'implicit'                   ... and listed as a grant
//   authorization_response_iss_parameter_supported       left out: iss not announced (means false)
//   require_pushed_authorization_requests true           only pushed authorization requests accepted
import http from 'node:http';

/** Serves `base` (a discovery document) changed as above; resolves to {origin, issuer, document, close}. */
export async function startMetadataStandIn(base) {
  let document;
  const srv = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.url !== '/standin/.well-known/openid-configuration') { res.statusCode = 404; res.end(); return; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(document));
  });
  await new Promise((resolve) => { srv.listen(0, '127.0.0.1', resolve); });
  const origin = `http://127.0.0.1:${srv.address().port}`;
  const issuer = `${origin}/standin`;
  const { authorization_response_iss_parameter_supported: _iss, ...rest } = base;
  document = {
    ...rest,
    issuer,
    code_challenge_methods_supported: ['S256', 'plain'],
    response_types_supported: ['code', 'token'],
    grant_types_supported: [...(base.grant_types_supported ?? ['authorization_code']), 'implicit'],
    require_pushed_authorization_requests: true,
  };
  return {
    origin,
    issuer,
    document,
    close: () => new Promise((resolve) => { srv.close(() => resolve()); srv.closeAllConnections(); }),
  };
}
