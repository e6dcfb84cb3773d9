#include "core/authorization_request.h"
#include "core/text.h"

#include "core/resource_indicators.h"
#include "core/scopes.h"
#include "core/url.h"

#include <algorithm>

namespace oauth {
namespace {

bool IsProtocolParam(std::string_view name) {
    return std::find(std::begin(kAuthorizationProtocolParams), std::end(kAuthorizationProtocolParams),
                     name) != std::end(kAuthorizationProtocolParams);
}

bool IsPairSeparator(char c) {
    return c == '&' || c == '\n' || c == '\r';
}

void ReadAuthUrlParam(std::string_view piece, ParsedAuthUrlParams& parsed) {
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
        parsed.errors.push_back("Auth. URL Params: \"" + std::string(piece) + "\" is not a key=value pair.");
        return;
    }
    const std::string key(text::TrimBlanks(piece.substr(0, eq)));
    if (key.empty()) {
        parsed.errors.push_back("Auth. URL Params: \"" + std::string(piece) + "\" has no key before '='.");
        return;
    }
    if (IsProtocolParam(key)) {
        parsed.errors.push_back("Auth. URL Params must not set \"" + key +
                                "\": the page sets this protocol parameter itself.");
        return;
    }
    parsed.params.emplace_back(key, std::string(text::TrimBlanks(piece.substr(eq + 1))));
}

// A query already present in the Authorization URL must not set a protocol parameter either.
void CheckExistingQuery(const Url& url, std::vector<FieldError>& errors) {
    if (!url.query)
        return;
    for (const auto& [name, value] : DecodeForm(*url.query)) {
        if (IsProtocolParam(name))
            errors.push_back(
                {"authorizationUrl", "Authorization URL already has \"" + name +
                                         "\" in its query; remove it, the page sets this protocol "
                                         "parameter itself."});
    }
}

bool RequestsOpenId(const Profile& profile) {
    for (const std::string& scope : SplitScopes(profile.scopes))
        if (scope == "openid")
            return true;
    return false;
}

void CheckRequestInputs(const Profile& profile, const RandomSource& random, std::vector<FieldError>& errors) {
    if (auto message = CheckEndpointUrl(profile.authorizationUrl, "Authorization URL"))
        errors.push_back({"authorizationUrl", std::move(*message)});
    else if (auto url = ParseUrl(profile.authorizationUrl))
        CheckExistingQuery(*url, errors);
    if (auto message = CheckEndpointUrl(profile.redirectUrl, "Redirect URL"))
        errors.push_back({"redirectUrl", std::move(*message)});
    if (text::TrimBlanks(profile.clientId).empty())
        errors.push_back({"clientId", "Client ID is required."});
    ParsedAuthUrlParams extra = ParseAuthUrlParams(profile.authUrlParams);
    for (std::string& message : extra.errors)
        errors.push_back({"authUrlParams", std::move(message)});
    if (RequestsOpenId(profile))
        for (const auto& [name, value] : extra.params)
            if (name == "nonce")
                errors.push_back({"authUrlParams", "Auth. URL Params must not set \"nonce\" with the openid "
                                                   "scope: the page sends a fresh one itself and checks it "
                                                   "in the ID token."});
    if (!random)
        errors.push_back({"", "No random source is available to make the state and the PKCE verifier."});
}

} // namespace

ParsedAuthUrlParams ParseAuthUrlParams(std::string_view typed) {
    ParsedAuthUrlParams parsed;
    std::size_t i = 0;
    while (i < typed.size()) {
        std::size_t end = i;
        while (end < typed.size() && !IsPairSeparator(typed[end]))
            ++end;
        const std::string_view piece = text::TrimBlanks(typed.substr(i, end - i));
        if (!piece.empty())
            ReadAuthUrlParam(piece, parsed);
        i = end + 1;
    }
    return parsed;
}

AuthorizationRequest BuildAuthorizationRequest(const Profile& profile, const RandomSource& random,
                                               std::string_view dpopJkt) {
    AuthorizationRequest request;
    CheckRequestInputs(profile, random, request.errors);
    if (!request.ok())
        return request;

    request.state = MakeState(random);
    request.codeVerifier = MakeCodeVerifier(random);
    FormParams params = {
        {"response_type", "code"},
        {"client_id", profile.clientId},
        {"redirect_uri", profile.redirectUrl},
    };
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        params.emplace_back("scope", scope);
    params.emplace_back("state", request.state);
    params.emplace_back("code_challenge", CodeChallengeS256(request.codeVerifier));
    params.emplace_back("code_challenge_method", "S256");
    if (RequestsOpenId(profile)) {
        request.nonce = MakeState(random); // 128 random bits, base64url
        params.emplace_back("nonce", request.nonce);
    }
    AppendResourceAndAudience(profile, params); // RFC 8707 section 2.1
    if (!dpopJkt.empty())
        params.emplace_back("dpop_jkt", std::string(dpopJkt));
    for (auto& extra : ParseAuthUrlParams(profile.authUrlParams).params)
        params.push_back(std::move(extra));

    request.url = AppendQuery(profile.authorizationUrl, EncodeForm(params));
    request.params = std::move(params);
    return request;
}

} // namespace oauth
