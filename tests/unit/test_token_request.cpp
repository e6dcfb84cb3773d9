#include "core/token_request.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("The authorization code is exchanged with its PKCE verifier (RFC 6749 4.1.3)", "[token-request]") {
    const Profile profile = test::AuthorizationCodeProfile();
    const HttpRequest request = BuildAuthorizationCodeTokenRequest(
        profile, "Spl+x/Ab", "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8");
    CHECK(request.method == "POST");
    CHECK(request.url == "https://id.example.com/token");
    CHECK(request.headers == WithAuthorization("Basic Y2xpZW50LTE6czNjcmV0"));
    CHECK(request.body == "grant_type=authorization_code&code=Spl%2Bx%2FAb"
                          "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
                          "&code_verifier=EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8");
    SECTION("a public client sends client_id in the body") {
        Profile publicClient = profile;
        publicClient.clientSecret = "";
        const HttpRequest publicRequest = BuildAuthorizationCodeTokenRequest(publicClient, "c", "v");
        CHECK(publicRequest.headers == kFormHeaders);
        CHECK(publicRequest.body ==
              "grant_type=authorization_code&code=c&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
              "&code_verifier=v&client_id=client-1");
    }
}

TEST_CASE("The password grant sends username, password and scope (RFC 6749 4.3.2)", "[token-request]") {
    Profile profile = test::PasswordProfile();
    profile.clientAuthentication = oauth::ClientAuthentication::Body;
    profile.clientSecret = "a:b+c/d=e%f g";
    const HttpRequest request = BuildPasswordTokenRequest(profile);
    CHECK(request.headers == kFormHeaders);
    CHECK(request.body == "grant_type=password&username=alice&password=pa+ss%26word&scope=openid+profile"
                          "&client_id=client-1&client_secret=a%3Ab%2Bc%2Fd%3De%25f+g");
}

TEST_CASE("The client credentials grant sends scope only when set (RFC 6749 4.4.2)", "[token-request]") {
    Profile profile = test::ClientCredentialsProfile();
    profile.clientSecret = "a:b+c/d=e%f g";
    const HttpRequest request = BuildClientCredentialsTokenRequest(profile);
    CHECK(request.headers == WithAuthorization("Basic Y2xpZW50LTE6YSUzQWIlMkJjJTJGZCUzRGUlMjVmK2c="));
    CHECK(request.body == "grant_type=client_credentials&scope=api.read+api.write");
    profile.scopes = "";
    CHECK(BuildClientCredentialsTokenRequest(profile).body == "grant_type=client_credentials");
}

TEST_CASE("A refresh token is redeemed without scope (RFC 6749 section 6)", "[token-request]") {
    const HttpRequest request = BuildRefreshTokenRequest(test::AuthorizationCodeProfile(), "r/t+1");
    CHECK(request.method == "POST");
    CHECK(request.headers == WithAuthorization("Basic Y2xpZW50LTE6czNjcmV0"));
    CHECK(request.body == "grant_type=refresh_token&refresh_token=r%2Ft%2B1");
}
