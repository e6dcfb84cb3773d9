#pragma once
// A Postman Collection v2.1 that obtains a token by itself, in Postman and in newman:
//   1. the token request (POST to the Access Token URL, form body, the profile's client
//      authentication) whose test script stores access_token (and refresh_token) in collection
//      variables;
//   2. a request that uses the token: UserInfo with Bearer {{access_token}} when the provider's
//      userinfo_endpoint is known and the grant has a user with "openid"; introspection
//      (RFC 7662) when the profile has an Introspection URL; otherwise a GET to {{api_url}}.
// Every value is a collection variable ({{token_url}}, {{client_id}}, ...). The collection also
// carries an oauth2 auth block for Postman's own "Get New Access Token" and for importers.
#include "core/profile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace oauth {

inline constexpr std::string_view kPostmanSchema =
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

struct PostmanExportOptions {
    // clientSecret / password values in the variables and the oauth2 block; otherwise empty.
    bool includeSecrets = false;
    // The provider's userinfo_endpoint (OIDC Discovery 1.0 section 3), when discovery found one.
    std::string userinfoUrl;
};

// Postman's grant_type for a profile grant type: authorization_code_with_pkce (the page always
// uses PKCE), password_credentials, client_credentials; anything else passes through.
std::string PostmanGrantType(GrantType grantType);

// The {"type":"oauth2","oauth2":[{"key","value","type"},...]} block with Postman's keys:
// grant_type, tokenName, authUrl, accessTokenUrl, refreshTokenUrl, clientId, clientSecret, scope,
// redirect_uri, challengeAlgorithm, authRequestParams, audience, resource, username, password,
// client_authentication, addTokenTo, headerPrefix ("Bearer": Bruno reads a missing one as
// empty), accessToken ("{{access_token}}", which the token request's script fills). Keys a grant
// does not use are left out; clientSecret and password only when `revealSecrets`.
nlohmann::json PostmanOAuth2Auth(const Profile& profile, bool revealSecrets);

// The whole collection as JSON text (2-space indented).
std::string ExportPostmanCollection(const Profile& profile, const PostmanExportOptions& options);
std::string ExportPostmanCollection(const Profile& profile, bool revealSecrets);

} // namespace oauth
