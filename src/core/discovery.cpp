#include "core/discovery.h"

#include "core/client_assertion.h"
#include "core/json_depth.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>

namespace oauth {

using text::Trim;

namespace {

using json = nlohmann::json;

constexpr std::string_view kWellKnown = "/.well-known/";
constexpr std::string_view kOpenIdConfiguration = "/.well-known/openid-configuration";
constexpr std::string_view kEntraTenantTemplate = "{tenantid}";

std::string_view WithoutTrailingSlashes(std::string_view text) {
    while (!text.empty() && text.back() == '/')
        text.remove_suffix(1);
    return text;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

Discovery Failed(const HttpResponse& response, std::string code, std::string error) {
    Discovery result;
    result.code = std::move(code);
    result.error = std::move(error);
    result.rawBody = response.body;
    result.details.push_back({"HTTP status", response.status == 0 ? "0 (no answer reached the page)"
                                                                  : std::to_string(response.status)});
    return result;
}

void ReadEndpoint(const json& document, const char* key, std::string& target,
                  std::vector<std::string>& warnings) {
    const auto it = document.find(key);
    if (it == document.end() || it->is_null())
        return;
    if (it->is_string())
        target = it->get<std::string>();
    else
        warnings.push_back(std::string(key) + " is not a string; it was ignored.");
}

void ReadList(const json& document, const char* key, std::optional<std::vector<std::string>>& target,
              std::vector<std::string>& warnings) {
    const auto it = document.find(key);
    if (it == document.end() || it->is_null())
        return;
    if (!it->is_array()) {
        warnings.push_back(std::string(key) + " is not an array of strings; it was ignored.");
        return;
    }
    std::vector<std::string> values;
    for (const json& item : *it)
        if (item.is_string())
            values.push_back(item.get<std::string>());
    if (values.size() != it->size())
        warnings.push_back(std::string(key) + " has entries that are not strings; they were ignored.");
    target = std::move(values);
}

// RFC 8414 section 2 booleans, e.g. authorization_response_iss_parameter_supported (RFC 9207
// section 3): absent means false; anything but true or false is ignored with a warning.
void ReadFlag(const json& document, const char* key, bool& target, std::vector<std::string>& warnings) {
    const auto it = document.find(key);
    if (it == document.end() || it->is_null())
        return;
    if (it->is_boolean())
        target = it->get<bool>();
    else
        warnings.push_back(std::string(key) + " is not true or false; it was read as false.");
}

// Entra's template "https://login.microsoftonline.com/{tenantid}/v2.0" matches
// "https://login.microsoftonline.com/common/v2.0" and any other single path segment.
bool MatchesTemplate(std::string_view issuerTemplate, std::string_view expected) {
    const std::size_t at = issuerTemplate.find(kEntraTenantTemplate);
    const std::string_view before = issuerTemplate.substr(0, at);
    const std::string_view after = issuerTemplate.substr(at + kEntraTenantTemplate.size());
    if (expected.size() <= before.size() + after.size() || expected.substr(0, before.size()) != before ||
        expected.substr(expected.size() - after.size()) != after)
        return false;
    const std::string_view tenant =
        expected.substr(before.size(), expected.size() - before.size() - after.size());
    return tenant.find('/') == std::string_view::npos;
}

// OIDC Discovery 1.0 section 4.3. Returns false (and fills the error) when the issuer must not be
// trusted.
bool CheckIssuer(Discovery& result, std::string_view expectedIssuer) {
    const std::string& issuer = result.metadata.issuer;
    if (issuer.empty()) {
        if (expectedIssuer.empty()) {
            result.warnings.push_back(
                "The discovery document has no issuer (RFC 8414 section 2 requires it).");
            return true;
        }
        result.code = "missing_issuer";
        result.error = "The discovery document has no issuer, so it cannot be checked against \"" +
                       std::string(expectedIssuer) + "\" (OpenID Connect Discovery 1.0 section 4.3).";
        return false;
    }
    if (result.issuerIsTemplate) {
        if (expectedIssuer.empty() || MatchesTemplate(issuer, expectedIssuer)) {
            result.warnings.push_back("The issuer \"" + issuer +
                                      "\" is a template (Microsoft Entra ID's multi-tenant metadata), so "
                                      "Issuer is left as it is.");
            return true;
        }
    } else if (expectedIssuer.empty() || issuer == expectedIssuer) {
        return true;
    } else if (WithoutTrailingSlashes(issuer) == WithoutTrailingSlashes(expectedIssuer)) {
        result.warnings.push_back("The issuer \"" + issuer + "\" differs from \"" +
                                  std::string(expectedIssuer) +
                                  "\" only by a trailing slash; the document's issuer is used.");
        return true;
    }
    result.code = "issuer_mismatch";
    result.error = "The discovery document names issuer \"" + issuer + "\", not the expected \"" +
                   std::string(expectedIssuer) +
                   "\" (OpenID Connect Discovery 1.0 section 4.3); its endpoints were not used.";
    result.details.push_back({"Expected issuer", std::string(expectedIssuer)});
    result.details.push_back({"Document's issuer", issuer});
    return false;
}

void CheckGrant(const Profile& profile, const DiscoveryMetadata& metadata,
                std::vector<std::string>& warnings) {
    const std::string grant(WireGrantType(profile.grantType));
    if (metadata.grantTypesSupported) {
        if (!Contains(*metadata.grantTypesSupported, grant))
            warnings.push_back("The provider's grant_types_supported does not list \"" + grant +
                               "\"; the token endpoint may refuse this grant.");
    } else if (profile.grantType != GrantType::AuthorizationCode) {
        warnings.push_back("The provider's metadata has no grant_types_supported, which means only "
                           "authorization_code and implicit (RFC 8414 section 2); \"" +
                           grant + "\" may be refused.");
    }
}

void CheckClientAuthentication(const Profile& profile, const DiscoveryMetadata& metadata,
                               std::vector<std::string>& warnings) {
    std::string method, usedBy;
    if (UsesClientAssertion(profile) && !IsPublicClient(profile)) {
        method = std::string(ToText(profile.clientAuthentication));
        usedBy = "the method this profile's Client Authentication uses";
    } else if (profile.clientSecret.empty()) {
        method = "none";
        usedBy = "the method of a public client (no Client Secret)";
    } else if (profile.clientAuthentication == ClientAuthentication::BasicHeader) {
        method = "client_secret_basic";
        usedBy = "the method Client Authentication \"header\" uses";
    } else if (profile.clientAuthentication == ClientAuthentication::Body) {
        method = "client_secret_post";
        usedBy = "the method Client Authentication \"body\" uses";
    } else {
        return;
    }
    if (metadata.tokenEndpointAuthMethodsSupported) {
        if (!Contains(*metadata.tokenEndpointAuthMethodsSupported, method))
            warnings.push_back("The provider's token_endpoint_auth_methods_supported does not list \"" +
                               method + "\", " + usedBy + ".");
    } else if (method != "client_secret_basic") {
        warnings.push_back(
            "The provider's metadata has no token_endpoint_auth_methods_supported, which means "
            "only client_secret_basic (RFC 8414 section 2); \"" +
            method + "\", " + usedBy + ", may be refused.");
    }
}

void CheckPkce(const Profile& profile, const DiscoveryMetadata& metadata,
               std::vector<std::string>& warnings) {
    if (profile.grantType != GrantType::AuthorizationCode)
        return;
    if (!metadata.codeChallengeMethodsSupported)
        warnings.push_back(
            "The provider's metadata does not say it supports PKCE (no "
            "code_challenge_methods_supported); this page sends an S256 code challenge anyway, "
            "which servers without PKCE ignore (RFC 7636 section 5).");
    else if (!Contains(*metadata.codeChallengeMethodsSupported, "S256"))
        warnings.push_back(
            "The provider's code_challenge_methods_supported does not list S256, which this page "
            "always sends (RFC 7636 section 4.2).");
}

// OAuth 2.0 Form Post Response Mode: the provider POSTs the answer to the Redirect URL, which a
// static page cannot receive (only a server reads a POST body).
void CheckResponseModes(const Profile& profile, const DiscoveryMetadata& metadata,
                        std::vector<std::string>& warnings) {
    if (profile.grantType != GrantType::AuthorizationCode || !metadata.responseModesSupported ||
        metadata.responseModesSupported->empty())
        return;
    for (const std::string& mode : *metadata.responseModesSupported)
        if (mode != "form_post")
            return;
    warnings.push_back("The provider offers only the form_post response mode (response_modes_supported), "
                       "which sends the code to the Redirect URL in a POST: a static page such as this "
                       "one's callback cannot receive a POST, so the sign-in cannot finish here.");
}

} // namespace

std::string DiscoveryDocumentUrl(std::string_view issuerOrUrl) {
    const std::string_view typed = Trim(issuerOrUrl);
    if (typed.empty() || typed.find(kWellKnown) != std::string_view::npos)
        return std::string(typed);
    return std::string(WithoutTrailingSlashes(typed)) + std::string(kOpenIdConfiguration);
}

std::string ExpectedIssuer(std::string_view issuerOrUrl) {
    std::string_view typed = Trim(issuerOrUrl);
    if (typed.find(kWellKnown) == std::string_view::npos)
        return std::string(typed);
    typed = typed.substr(0, typed.find_first_of("?#"));
    // Searched again without the query: "https://h?x=/.well-known/" names it only in the query
    // (found by fuzzing: the first position was past the cut, and substr threw).
    const std::size_t wellKnown = typed.find(kWellKnown);
    if (wellKnown == std::string_view::npos)
        return std::string(typed);
    const std::string_view before = typed.substr(0, wellKnown);
    // After "/.well-known/": the document name, then (RFC 8414 section 3.1) the issuer's path.
    const std::string_view rest = typed.substr(wellKnown + kWellKnown.size());
    const std::size_t slash = rest.find('/');
    const std::string_view issuerPath =
        slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    return std::string(before) + std::string(WithoutTrailingSlashes(issuerPath).empty() ? "" : issuerPath);
}

HttpRequest BuildDiscoveryRequest(std::string_view url) {
    HttpRequest request;
    request.method = "GET";
    request.url = std::string(url);
    request.headers = {{"Accept", "application/json"}};
    return request;
}

// The provider's answer (status not 0).
static Discovery ReadDiscoveryAnswer(const HttpResponse& response, std::string_view expectedIssuer) {
    const std::string status = "HTTP " + std::to_string(response.status);
    if (response.status < 200 || response.status >= 300)
        return Failed(response, "http_error",
                      "The discovery URL answered " + status +
                          " instead of the discovery document; check the Issuer / discovery URL.");
    if (Trim(response.body).empty())
        return Failed(response, "empty_body",
                      "The discovery URL answered " + status + " with an empty body.");
    bool tooDeep = false;
    const json document = ParseUntrustedJson(response.body, &tooDeep);
    if (tooDeep)
        return Failed(response, "too_deep",
                      "The discovery document is nested deeper than " + std::to_string(kMaxJsonDepth) +
                          " levels; it was not read.");
    if (document.is_discarded())
        return Failed(response, "not_json",
                      "The discovery URL answered " + status +
                          " with a body that is not JSON; check the Issuer / discovery URL.");
    if (!document.is_object())
        return Failed(response, "not_json_object",
                      "The discovery URL answered " + status + " with JSON that is not an object.");

    Discovery result;
    result.document = document;
    result.rawBody = response.body;
    DiscoveryMetadata& m = result.metadata;
    ReadEndpoint(document, "issuer", m.issuer, result.warnings);
    ReadEndpoint(document, "authorization_endpoint", m.authorizationEndpoint, result.warnings);
    ReadEndpoint(document, "token_endpoint", m.tokenEndpoint, result.warnings);
    ReadEndpoint(document, "device_authorization_endpoint", m.deviceAuthorizationEndpoint, result.warnings);
    ReadEndpoint(document, "revocation_endpoint", m.revocationEndpoint, result.warnings);
    ReadEndpoint(document, "introspection_endpoint", m.introspectionEndpoint, result.warnings);
    ReadEndpoint(document, "userinfo_endpoint", m.userinfoEndpoint, result.warnings);
    ReadEndpoint(document, "jwks_uri", m.jwksUri, result.warnings);
    ReadEndpoint(document, "end_session_endpoint", m.endSessionEndpoint, result.warnings);
    ReadEndpoint(document, "pushed_authorization_request_endpoint", m.pushedAuthorizationRequestEndpoint,
                 result.warnings);
    ReadList(document, "grant_types_supported", m.grantTypesSupported, result.warnings);
    ReadList(document, "token_endpoint_auth_methods_supported", m.tokenEndpointAuthMethodsSupported,
             result.warnings);
    ReadList(document, "code_challenge_methods_supported", m.codeChallengeMethodsSupported, result.warnings);
    ReadList(document, "scopes_supported", m.scopesSupported, result.warnings);
    ReadList(document, "response_types_supported", m.responseTypesSupported, result.warnings);
    ReadList(document, "response_modes_supported", m.responseModesSupported, result.warnings);
    ReadFlag(document, "authorization_response_iss_parameter_supported",
             m.authorizationResponseIssParameterSupported, result.warnings);
    // For the setup check (setup_check.h): PAR required (RFC 9126 section 5), DPoP (RFC 9449 5.1).
    ReadFlag(document, "require_pushed_authorization_requests", m.requirePushedAuthorizationRequests,
             result.warnings);
    ReadList(document, "dpop_signing_alg_values_supported", m.dpopSigningAlgValuesSupported, result.warnings);
    result.issuerIsTemplate = m.issuer.find(kEntraTenantTemplate) != std::string::npos;

    result.details.push_back({"HTTP status", std::to_string(response.status)});
    if (!CheckIssuer(result, Trim(expectedIssuer)))
        return result;
    if (m.tokenEndpoint.empty()) {
        result.code = "missing_token_endpoint";
        result.error = "The discovery document has no token_endpoint (RFC 8414 section 2).";
    }
    return result;
}

void ApplyDiscovery(Profile& profile, const Discovery& discovery) {
    if (!discovery.ok())
        return;
    const DiscoveryMetadata& m = discovery.metadata;
    const std::pair<const std::string*, std::string*> fills[] = {
        {&m.authorizationEndpoint, &profile.authorizationUrl},
        {&m.tokenEndpoint, &profile.accessTokenUrl},
        {&m.deviceAuthorizationEndpoint, &profile.deviceAuthorizationUrl},
        {&m.revocationEndpoint, &profile.revocationUrl},
        {&m.introspectionEndpoint, &profile.introspectionUrl},
    };
    for (const auto& [from, to] : fills)
        if (!from->empty())
            *to = *from;
    if (!m.issuer.empty() && !discovery.issuerIsTemplate)
        profile.issuer = m.issuer;
}

std::vector<std::string> CheckProfileAgainstDiscovery(const Profile& profile, const Discovery& discovery) {
    std::vector<std::string> warnings;
    if (!discovery.ok())
        return warnings;
    CheckGrant(profile, discovery.metadata, warnings);
    CheckClientAuthentication(profile, discovery.metadata, warnings);
    CheckPkce(profile, discovery.metadata, warnings);
    CheckResponseModes(profile, discovery.metadata, warnings);
    return warnings;
}

Discovery ProcessDiscoveryResponse(const FetchResult& fetched, const FetchContext& context,
                                   std::string_view expectedIssuer) {
    if (auto problem = DescribeFetchProblem(fetched, context)) {
        Discovery result;
        result.code = problem->code;
        result.error = problem->message;
        result.details = problem->details;
        result.rawBody = problem->rawBody;
        return result;
    }
    return ReadDiscoveryAnswer(fetched.response, expectedIssuer);
}

Discovery ProcessDiscoveryResponse(const HttpResponse& response, std::string_view expectedIssuer) {
    return ProcessDiscoveryResponse(ArrivedAnswer(response), ContextFor({}, kDiscoveryEndpoint),
                                    expectedIssuer);
}

} // namespace oauth
