#pragma once
// A Postman Collection v2.1 holding one request whose OAuth 2.0 auth reproduces the profile, so
// it imports into Postman and "Get New Access Token" works there.
#include "core/profile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace oauth {

inline constexpr std::string_view kPostmanSchema =
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

// Postman's grant_type for a profile grant type: authorization_code_with_pkce (the page always
// uses PKCE), password_credentials, client_credentials; anything else passes through.
std::string PostmanGrantType(std::string_view grantType);

// The request's {"type":"oauth2","oauth2":[{"key","value","type"},...]} with Postman's keys:
// grant_type, tokenName, authUrl, accessTokenUrl, clientId, clientSecret, scope, redirect_uri,
// challengeAlgorithm, authRequestParams, username, password, client_authentication, addTokenTo.
// Keys a grant does not use are left out; clientSecret and password only when `revealSecrets`.
nlohmann::json PostmanOAuth2Auth(const Profile& profile, bool revealSecrets);

// The whole collection as JSON text (2-space indented).
std::string ExportPostmanCollection(const Profile& profile, bool revealSecrets);

} // namespace oauth
