#include "core/export_postman.h"

#include "core/authorization_request.h"
#include "core/scopes.h"

namespace oauth {
namespace {

using json = nlohmann::json;

json Entry(const char* key, json value, const char* type = "string") {
    return json{{"key", key}, {"value", std::move(value)}, {"type", type}};
}

// Postman's list form for extra authorization request parameters.
json PostmanAuthRequestParams(std::string_view typed) {
    json list = json::array();
    for (const auto& [key, value] : ParseAuthUrlParams(typed).params)
        list.push_back(json{{"key", key}, {"value", value}, {"enabled", true}, {"send_as", "request_url"}});
    return list;
}

// Postman's "client_authentication": a public client sends its id in the body (RFC 6749 2.3.1).
std::string PostmanClientAuthentication(const Profile& profile) {
    if (profile.clientSecret.empty() || profile.clientAuthentication == kClientAuthBody)
        return "body";
    return "header";
}

} // namespace

std::string PostmanGrantType(std::string_view grantType) {
    if (grantType == kGrantAuthorizationCode)
        return "authorization_code_with_pkce";
    if (grantType == kGrantPassword)
        return "password_credentials";
    return std::string(grantType);
}

json PostmanOAuth2Auth(const Profile& profile, bool revealSecrets) {
    const bool authorizationCode = profile.grantType == kGrantAuthorizationCode;
    json entries = json::array();
    entries.push_back(Entry("grant_type", PostmanGrantType(profile.grantType)));
    entries.push_back(Entry("tokenName", profile.tokenName));
    if (authorizationCode)
        entries.push_back(Entry("authUrl", profile.authorizationUrl));
    entries.push_back(Entry("accessTokenUrl", profile.accessTokenUrl));
    entries.push_back(Entry("clientId", profile.clientId));
    if (revealSecrets && !profile.clientSecret.empty())
        entries.push_back(Entry("clientSecret", profile.clientSecret));
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        entries.push_back(Entry("scope", scope));
    if (authorizationCode) {
        entries.push_back(Entry("redirect_uri", profile.redirectUrl));
        entries.push_back(Entry("challengeAlgorithm", "S256"));
        const json params = PostmanAuthRequestParams(profile.authUrlParams);
        if (!params.empty())
            entries.push_back(Entry("authRequestParams", params, "any"));
    }
    if (profile.grantType == kGrantPassword) {
        entries.push_back(Entry("username", profile.username));
        if (revealSecrets)
            entries.push_back(Entry("password", profile.password));
    }
    entries.push_back(Entry("client_authentication", PostmanClientAuthentication(profile)));
    entries.push_back(Entry("addTokenTo", "header"));
    return json{{"type", "oauth2"}, {"oauth2", std::move(entries)}};
}

std::string ExportPostmanCollection(const Profile& profile, bool revealSecrets) {
    const std::string name = profile.tokenName.empty() ? std::string("OAuth 2.0") : profile.tokenName;
    json request = {
        {"method", "GET"},
        {"header", json::array()},
        {"url", {{"raw", "{{apiUrl}}"}, {"host", json::array({"{{apiUrl}}"})}}},
        {"auth", PostmanOAuth2Auth(profile, revealSecrets)},
    };
    json collection = {
        {"info",
         {{"name", name},
          {"description",
           "Exported by OAuth setup. Set apiUrl to the API to call, then use Get New Access Token."},
          {"schema", kPostmanSchema}}},
        {"item", json::array({json{{"name", name}, {"request", std::move(request)}}})},
        {"variable", json::array({json{{"key", "apiUrl"}, {"value", ""}, {"type", "string"}}})},
    };
    return DumpJson(collection, 2);
}

} // namespace oauth
