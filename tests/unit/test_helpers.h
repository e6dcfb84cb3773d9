#pragma once
// Shared fixtures for the unit tests: a deterministic random source and sample profiles.
#include "core/pkce.h"
#include "core/profile.h"

#include <cstdint>
#include <memory>

namespace oauth::test {

// Yields 0, 1, 2, ... across calls, so a request's state takes bytes 0..15 and its verifier 16..47.
inline RandomSource CountingRandom() {
    auto next = std::make_shared<std::uint8_t>(0);
    return [next](std::uint8_t* out, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i)
            out[i] = (*next)++;
    };
}

inline Profile AuthorizationCodeProfile() {
    Profile p;
    p.tokenName = "Demo";
    p.grantType = oauth::GrantType::AuthorizationCode;
    p.clientId = "client-1";
    p.clientSecret = "s3cret";
    p.redirectUrl = "https://app.example.com/callback";
    p.scopes = "openid profile";
    p.clientAuthentication = oauth::ClientAuthentication::BasicHeader;
    p.authorizationUrl = "https://id.example.com/authorize";
    p.accessTokenUrl = "https://id.example.com/token";
    return p;
}

inline Profile PasswordProfile() {
    Profile p = AuthorizationCodeProfile();
    p.grantType = oauth::GrantType::Password;
    p.username = "alice";
    p.password = "pa ss&word";
    return p;
}

inline Profile ClientCredentialsProfile() {
    Profile p = AuthorizationCodeProfile();
    p.grantType = oauth::GrantType::ClientCredentials;
    p.scopes = "api.read, api.write";
    return p;
}

} // namespace oauth::test
