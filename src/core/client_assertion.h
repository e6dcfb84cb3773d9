#pragma once
// Client authentication with a signed JWT (RFC 7523 section 2.2, OpenID Connect Core 1.0 section 9):
// client_secret_jwt (HS256, keyed by the client secret) and private_key_jwt (RS256, PS256, ES256).
// Core plans and shapes the assertion; the platform signs it (WebCrypto), because signing is async:
// a request is planned (BuildAuthenticatedPost sets HttpRequest::assertion), signed, then sent.
#include "core/http.h"
#include "core/profile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace oauth {

inline constexpr std::string_view kClientAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// RFC 7523 section 3 asks for an expiry "within a reasonable amount of time": a minute covers a slow
// network and clock skew, and an assertion copied out of the page is useless soon after.
inline constexpr int kAssertionLifetimeSeconds = 60;

// True for client_secret_jwt and private_key_jwt.
bool UsesClientAssertion(const Profile& profile);
// A public client: no secret, and no private key to sign with (RFC 6749 section 2.1).
bool IsPublicClient(const Profile& profile);
// "HS256" for client_secret_jwt, the profile's SigningAlgorithm for private_key_jwt.
std::string AssertionAlgorithm(const Profile& profile);
// The key the platform signs with: the client secret (HS256) or the private key text.
const std::string& AssertionKey(const Profile& profile);

// The issuer the assertion is addressed to: the profile's expected issuer, else the one its
// Issuer / discovery URL names (ExpectedIssuer); empty when neither is set.
std::string AssertionIssuer(const Profile& profile);
// The "aud": AssertionIssuer, or the Access Token URL when the profile asks for the token endpoint
// (RFC 7523 section 3 allows either; oidc-provider accepts both, Entra ID wants the token URL).
// The same value for every endpoint (token, refresh, device, revocation, introspection).
std::string AssertionAudienceOf(const Profile& profile);

// What BuildAuthenticatedPost attaches to a request of a profile that UsesClientAssertion.
PendingAssertion PlanClientAssertion(const Profile& profile);

// The JOSE header {"alg","typ":"JWT","kid"} and the claims {iss, sub, aud, jti, iat, exp} of one
// assertion made at `now` (seconds) with the unique `jti` (RFC 7519 sections 4.1.1-4.1.7).
nlohmann::json AssertionHeader(const PendingAssertion& plan);
nlohmann::json AssertionClaims(const PendingAssertion& plan, double now, std::string_view jti);
// base64url(header) "." base64url(claims): what is signed (RFC 7515 section 5.1).
std::string JwsSigningInput(const nlohmann::json& header, const nlohmann::json& claims);
// A jti of 16 random bytes as 32 hex digits.
std::string MakeJwtId(const std::function<void(std::uint8_t*, std::size_t)>& random);

// The request as sent: client_assertion appended to the body, the plan dropped.
HttpRequest WithClientAssertion(const HttpRequest& request, std::string_view assertion);

// The RFC 7638 thumbprint (base64url SHA-256 of the required members, sorted) of a public JWK
// (RSA: e, kty, n; EC: crv, kty, x, y); empty when the JWK lacks them.
std::string JwkThumbprint(const nlohmann::json& publicJwk);
// The JWK to register: the public members, "use":"sig", "alg" and "kid" (keyId, else the
// thumbprint). And the JWKS {"keys":[that]} (RFC 7517 section 5).
nlohmann::json RegistrationJwk(const nlohmann::json& publicJwk, std::string_view algorithm,
                               std::string_view keyId);

// The shell comment put above a cURL command that carries an assertion.
std::string CurlAssertionNote();

// The sentence added to an invalid_client answer of a request that carried an assertion: what the
// server may have refused, since providers rarely say (oidc-provider answers only "client
// authentication failed").
std::string DescribeAssertionRefusal(const Profile& profile);

} // namespace oauth
