#pragma once
// Authorization server metadata: OpenID Connect Discovery 1.0 (section 4) and RFC 8414. The
// person types an issuer, or the URL of the metadata document itself; the page fetches it, fills
// the profile's endpoints and warns where the profile asks for something the provider does not
// list as supported.
#include "core/detail.h"
#include "core/http.h"
#include "core/profile.h"
#include "core/transport_failure.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// OIDC Discovery 1.0 section 4: issuer + "/.well-known/openid-configuration", without a double
// slash when the issuer ends with '/'. A URL that already contains "/.well-known/" (an OIDC or an
// RFC 8414 "oauth-authorization-server" URL) is used as it is. Surrounding spaces are ignored;
// empty stays empty.
std::string DiscoveryDocumentUrl(std::string_view issuerOrUrl);

// The issuer the document must name: what was typed, or for a ".well-known" URL the issuer it
// was derived from (OIDC: the part before "/.well-known/..."; RFC 8414 section 3.1: host plus the
// path after "/.well-known/<name>"). The query, if any, is ignored.
std::string ExpectedIssuer(std::string_view issuerOrUrl);

// GET with Accept: application/json (OIDC Discovery 1.0 section 4.1).
HttpRequest BuildDiscoveryRequest(std::string_view url);

struct DiscoveryMetadata {
    std::string issuer;
    std::string authorizationEndpoint;
    std::string tokenEndpoint;
    std::string deviceAuthorizationEndpoint;        // RFC 8628 section 4
    std::string revocationEndpoint;                 // RFC 8414 section 2
    std::string introspectionEndpoint;              // RFC 8414 section 2
    std::string userinfoEndpoint;                   // OIDC Discovery 1.0 section 3
    std::string jwksUri;                            // OIDC Discovery 1.0 section 3: the ID token's keys
    std::string endSessionEndpoint;                 // OIDC RP-Initiated Logout 1.0 section 2.1
    std::string pushedAuthorizationRequestEndpoint; // RFC 9126 section 5
    // nullopt when the document does not have the member: RFC 8414 section 2 defaults then apply
    // (grant types: authorization_code and implicit; auth methods: client_secret_basic).
    std::optional<std::vector<std::string>> grantTypesSupported;
    std::optional<std::vector<std::string>> tokenEndpointAuthMethodsSupported;
    std::optional<std::vector<std::string>> codeChallengeMethodsSupported;
    std::optional<std::vector<std::string>> scopesSupported; // to offer in a scope picker
    std::optional<std::vector<std::string>> responseTypesSupported;
    std::optional<std::vector<std::string>> responseModesSupported; // RFC 8414 section 2
    // RFC 9207 section 3: the server puts iss in every authorization response, so a callback
    // without one must be rejected (CheckCallbackIssuer in callback.h). False when absent.
    bool authorizationResponseIssParameterSupported = false;

    // Read for the setup check (setup_check.h). RFC 9126 section 5: the server accepts
    // authorization requests only through PAR; false when absent.
    bool requirePushedAuthorizationRequests = false;
    // RFC 9449 section 5.1: the JWS algorithms the server accepts in DPoP proofs; nullopt when
    // absent (the server does not say it supports DPoP). No server metadata makes DPoP mandatory.
    std::optional<std::vector<std::string>> dpopSigningAlgValuesSupported;
};

struct Discovery {
    DiscoveryMetadata metadata;
    // Microsoft Entra ID's multi-tenant documents (common, organizations, consumers) name the
    // issuer "https://login.microsoftonline.com/{tenantid}/v2.0": a template, not an issuer.
    bool issuerIsTemplate = false;
    nlohmann::json document;           // the whole JSON object
    std::vector<std::string> warnings; // members of the wrong type, missing issuer, ...
    // Short code when the document cannot be used: network_or_cors, http_error, empty_body,
    // not_json, not_json_object, issuer_mismatch, missing_issuer, missing_token_endpoint.
    std::string code;
    std::string error; // one sentence; empty when the document can be used
    Details details;   // HTTP status, issuers compared, ...
    std::string rawBody;
    bool ok() const { return error.empty(); }
};

// Reads the metadata document. When `expectedIssuer` is not empty, the document's issuer must be
// identical to it (OIDC Discovery 1.0 section 4.3, RFC 8414 section 3.3): a difference of only a
// trailing '/' is accepted with a warning, an Entra "{tenantid}" template matches any tenant. A
// document without token_endpoint is refused. Never throws.
Discovery ProcessDiscoveryResponse(const HttpResponse& response, std::string_view expectedIssuer = {});
// The one answer handler: `fetched` whole; status 0 is worded by DescribeFetchProblem for the
// discovery endpoint (context.endpoint, kDiscoveryEndpoint).
Discovery ProcessDiscoveryResponse(const FetchResult& fetched, const FetchContext& context,
                                   std::string_view expectedIssuer = {});

// Fills Issuer (unless a template) and every endpoint the metadata has: Authorization, Access
// Token, Device Authorization, Revocation and Introspection URLs. Does nothing unless ok().
void ApplyDiscovery(Profile& profile, const Discovery& discovery);

// One sentence per thing the profile uses that the metadata does not list as supported: the
// grant type (grant_types_supported), the client authentication method (header =
// client_secret_basic, body = client_secret_post, no secret = none;
// token_endpoint_auth_methods_supported) and, for authorization_code, PKCE S256
// (code_challenge_methods_supported). Absent lists use RFC 8414 section 2's defaults. Empty when
// nothing is amiss or the discovery failed.
std::vector<std::string> CheckProfileAgainstDiscovery(const Profile& profile, const Discovery& discovery);

} // namespace oauth
