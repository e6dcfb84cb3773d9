#pragma once
// Sender-constrained tokens with DPoP (RFC 9449): proofs of possession of a per-profile ES256 key.
// Core plans and shapes each proof; the platform holds the key (a non-extractable WebCrypto key
// pair kept in IndexedDB) and signs, because signing is async: a request is planned
// (BuildAuthenticatedPost sets HttpRequest::dpop for the token endpoint), proved, then sent.
#include "core/http.h"
#include "core/profile.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

// The one algorithm this page proves with (RFC 9449 section 4.2 requires an asymmetric one; ES256
// is what every DPoP server accepts and what WebCrypto makes fast).
inline constexpr std::string_view kDpopAlgorithm = "ES256";
inline constexpr std::string_view kDpopProofType = "dpop+jwt";
inline constexpr std::string_view kDpopHeader = "DPoP";
inline constexpr std::string_view kDpopNonceHeader = "DPoP-Nonce";
inline constexpr std::string_view kUseDpopNonce = "use_dpop_nonce";

// Whether a request to `url` of `profile` carries a proof: DPoP on, and the token endpoint (RFC 9449
// section 5; revocation, introspection and device authorization take none).
bool SendsDpopProof(const Profile& profile, std::string_view url);

// htu: the request URL without query and fragment (RFC 9449 section 4.2).
std::string DpopTargetUri(std::string_view url);
// The name of the profile's DPoP key at the platform: its stable id (the Token Name when it has none).
std::string DpopKeyName(const Profile& profile);
// Where a server's nonce is kept: scheme://host[:port] of `url` (section 8: a nonce is the server's).
std::string DpopServerOf(std::string_view url);
// ath: base64url(SHA-256(access token)), the whole hash (RFC 9449 section 4.2).
std::string DpopAccessTokenHash(std::string_view accessToken);

// The public members of an EC P-256 JWK {crv, kty, x, y}; an empty object when it is not one.
nlohmann::json DpopPublicJwk(const nlohmann::json& jwk);
// The JOSE header {"typ":"dpop+jwt","alg":"ES256","jwk":{public key}} (section 4.2).
nlohmann::json DpopProofHeader(const nlohmann::json& publicJwk);
// The claims {jti, htm, htu, iat[, ath][, nonce]} of a proof for `request` made at `now` (seconds)
// with the unique `jti`; `nonce` is the server's latest DPoP-Nonce (empty: none).
nlohmann::json DpopProofClaims(const HttpRequest& request, double now, std::string_view jti,
                               std::string_view nonce);

// The request as sent: the DPoP header set to `proof`, the plan dropped.
HttpRequest WithDpopProof(const HttpRequest& request, std::string_view proof);

// What a server answered of DPoP nonces. `challenged`: the answer is use_dpop_nonce (a 400 token
// endpoint error, section 8; a 401 with a DPoP WWW-Authenticate challenge, section 9). `nonce`: its
// DPoP-Nonce header (empty when absent or unreadable, e.g. not in Access-Control-Expose-Headers).
struct DpopNonceAnswer {
    bool challenged = false;
    std::string nonce;
};
DpopNonceAnswer ReadDpopNonceAnswer(const HttpResponse& response);

// The sentence added to a use_dpop_nonce answer that reached the page in the end: its DPoP-Nonce was
// unreadable (not in Access-Control-Expose-Headers), or the server asked again after the one retry.
std::string DescribeDpopNonceFailure(const HttpResponse& response, std::string_view url);
// The sentence for a token answer of token_type Bearer (or another) to a request with a DPoP proof
// (RFC 9449 section 5: such a token is not bound to the key); empty when it is DPoP.
std::string DescribeUnboundTokenType(std::string_view tokenType);
// The shell comment put above a cURL command that carries a DPoP proof.
std::string CurlDpopNote();

} // namespace oauth
