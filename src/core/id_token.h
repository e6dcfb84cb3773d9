#pragma once
// ID token validation, OpenID Connect Core 1.0 section 3.1.3.7: the claims (iss, aud, azp, exp,
// iat, nonce, and at_hash of section 3.1.3.8 / 3.2.2.9 when present) are checked here; the
// signature (RFC 7515) is checked by the platform's WebCrypto with a key from the provider's
// jwks_uri (RFC 7517), chosen here. Every function is pure and never throws.
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/jwt.h"
#include "core/transport_failure.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

// exp and iat are compared with this much allowance for clock skew between this computer and the
// provider (OIDC Core 3.1.3.7 steps 9 and 10 leave the amount to the client).
inline constexpr std::int64_t kIdTokenLeewaySeconds = 60;

// The JWKS endpoint (jwks_uri, OIDC Discovery 1.0 section 3): a public GET, never relayed.
inline constexpr Endpoint kJwksEndpoint = {"JWKS endpoint", "jwks_uri", false};

// What the ID token must match: the attempt's issuer, client, nonce and access token.
struct IdTokenExpectations {
    std::string issuer;      // empty: the profile names no issuer, so iss is not compared
    std::string clientId;    // aud must contain it (azp, when present, must equal it)
    std::string nonce;       // the nonce the authorization request sent; empty: none was sent
    std::string accessToken; // for at_hash
    double now = 0;          // seconds since 1970
};

// The first claim rule the ID token breaks, as one sentence naming the OIDC Core section; empty
// when every rule holds. Checks, in this order: nonce (step 11), iss (step 2), aud (step 3), azp
// (steps 4 and 5), exp (step 9), iat (step 10: not in the future), at_hash (section 3.1.3.8).
std::string CheckIdTokenClaims(const DecodedJwt& jwt, const IdTokenExpectations& expected);

// Step 11 alone: "" when the nonce claim is the one sent (or none was sent), else the sentence.
std::string IdTokenNonceProblem(const DecodedJwt& jwt, std::string_view nonce);

// OIDC Core 3.1.3.8: base64url of the left half of SHA-256 over the access token's ASCII octets
// (the hash of RS256, PS256, ES256 and HS256).
std::string AccessTokenHash(std::string_view accessToken);

// How the signature is to be checked: the JWS header's alg and kid, and the key that verifies it.
struct SignaturePlan {
    std::string alg;
    std::string kid;
    // The refusal when the token must not be accepted at all: alg "none" (an unsigned token), or
    // HS256 for a public client (it has no secret to key the MAC, RFC 7518 section 3.2).
    std::string refusal;
    // Why it cannot be checked here without it being wrong (an algorithm WebCrypto does not offer):
    // the token is then shown as not verified.
    std::string unsupported;
    bool usesClientSecret = false; // HS256: the JWK is built from the client secret, no jwks_uri
};
SignaturePlan PlanSignatureCheck(const DecodedJwt& jwt, bool publicClient);

// HS256's key (OIDC Core section 10.1): the client secret's UTF-8 octets as an "oct" JWK.
std::string ClientSecretJwk(std::string_view clientSecret);

// The provider's key set from jwks_uri, read through the one answer handler.
struct Jwks {
    nlohmann::json keys = nlohmann::json::array();
    std::optional<EndpointError> error;
    bool ok() const { return !error; }
};
// GET with Accept: application/json (RFC 7517 section 8.5 names application/jwk-set+json too).
HttpRequest BuildJwksRequest(std::string_view jwksUri);
Jwks ProcessJwksResponse(const FetchResult& fetched, const FetchContext& context);

// The JWK that verifies `plan` (RFC 7517 section 4.5): the key with the header's kid; without a
// kid, the only signing key of the algorithm's key type. nullopt with `problem` (one sentence)
// when there is none or more than one.
std::optional<nlohmann::json> SelectJwk(const Jwks& jwks, const SignaturePlan& plan, std::string* problem);

// The JWS Signing Input (RFC 7515 section 5.2: header.payload) and the signature part.
std::string SigningInput(std::string_view compactJws);
std::string SignaturePart(std::string_view compactJws);

// What the token panel says of the signature.
std::string SignatureVerifiedText(std::string_view kid, bool clientSecret);
std::string SignatureMismatchText(std::string_view kid, bool clientSecret);

} // namespace oauth
