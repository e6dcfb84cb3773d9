#include "core/authorization_request.h"

#include "core/encoding.h"
#include "core/url.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("The authorization request carries RFC 6749 4.1.1 and PKCE parameters", "[authorization]") {
    const AuthorizationRequest request =
        BuildAuthorizationRequest(test::AuthorizationCodeProfile(), test::CountingRandom());
    REQUIRE(request.ok());
    CHECK(request.state == "AAECAwQFBgcICQoLDA0ODw");
    CHECK(request.codeVerifier == "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8");
    CHECK(request.url ==
          "https://id.example.com/authorize?response_type=code&client_id=client-1"
          "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=openid+profile"
          "&state=AAECAwQFBgcICQoLDA0ODw&code_challenge=bIeEEJ0ry7gh7qIC3JSmluTwY9ojq4Xh5mey_Zok5bg"
          "&code_challenge_method=S256&nonce=MDEyMzQ1Njc4OTo7PD0-Pw");
    CHECK(request.nonce == "MDEyMzQ1Njc4OTo7PD0-Pw");
    SECTION("the challenge in the URL is S256 of the returned verifier") {
        const FormParams params = DecodeForm(*ParseUrl(request.url)->query);
        CHECK(params[5].first == "code_challenge");
        CHECK(params[5].second == CodeChallengeS256(request.codeVerifier));
    }
}

TEST_CASE("Two requests never share state or verifier", "[authorization]") {
    const RandomSource random = test::CountingRandom();
    const Profile profile = test::AuthorizationCodeProfile();
    const AuthorizationRequest first = BuildAuthorizationRequest(profile, random);
    const AuthorizationRequest second = BuildAuthorizationRequest(profile, random);
    CHECK(first.state != second.state);
    CHECK(first.codeVerifier != second.codeVerifier);
    CHECK(first.nonce != second.nonce);
    CHECK(first.nonce.size() == 22); // 128 bits, base64url
}

TEST_CASE("A nonce is sent only with the openid scope, and Auth. URL Params cannot set it",
          "[authorization]") {
    Profile profile = test::AuthorizationCodeProfile();
    SECTION("no openid: no nonce") {
        profile.scopes = "profile api.read openid-like";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        REQUIRE(request.ok());
        CHECK(request.nonce == "");
        CHECK(request.url.find("nonce") == std::string::npos);
    }
    SECTION("openid anywhere in the list, however separated") {
        profile.scopes = "profile,\nopenid";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        REQUIRE(request.ok());
        CHECK(request.nonce == "MDEyMzQ1Njc4OTo7PD0-Pw");
    }
    SECTION("a nonce typed into Auth. URL Params clashes with the page's own") {
        profile.authUrlParams = "nonce=fixed";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        CHECK(test::Lines(request.errors) ==
              test::Lines_t{"authUrlParams: Auth. URL Params must not set \"nonce\" with the openid scope: "
                            "the page sends a fresh one itself and checks it in the ID token."});
        CHECK(request.url == "");
    }
    SECTION("without openid a typed nonce is just another parameter") {
        profile.scopes = "api.read";
        profile.authUrlParams = "nonce=fixed";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        REQUIRE(request.ok());
        CHECK(request.url.find("&nonce=fixed") != std::string::npos);
    }
}

TEST_CASE("Scopes are normalized and Auth. URL Params appended after an existing query", "[authorization]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.authorizationUrl = "https://login.example.com/tenant/authorize?p=B2C_1_signin";
    profile.scopes = "openid,\nhttps://api.example.com/read";
    profile.authUrlParams = "prompt=consent & audience = https://api.example.com\nlogin_hint=a b@x.com";
    const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
    REQUIRE(request.ok());
    CHECK(request.url ==
          "https://login.example.com/tenant/authorize?p=B2C_1_signin&response_type=code"
          "&client_id=client-1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
          "&scope=openid+https%3A%2F%2Fapi.example.com%2Fread&state=AAECAwQFBgcICQoLDA0ODw"
          "&code_challenge=bIeEEJ0ry7gh7qIC3JSmluTwY9ojq4Xh5mey_Zok5bg&code_challenge_method=S256"
          "&nonce=MDEyMzQ1Njc4OTo7PD0-Pw&prompt=consent&audience=https%3A%2F%2Fapi.example.com&login_hint=a+"
          "b%40x.com");
}

TEST_CASE("Without scopes the scope parameter is left out", "[authorization]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.scopes = " , ";
    const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
    REQUIRE(request.ok());
    CHECK(request.url.find("scope=") == std::string::npos);
    CHECK(request.url.find("&state=") != std::string::npos);
}

TEST_CASE("Auth. URL Params are parsed as typed and clashes reported", "[authorization]") {
    SECTION("pairs separated by & or new lines, trimmed, values plain text") {
        const ParsedAuthUrlParams parsed = ParseAuthUrlParams(" a=1 &\r\nb = x y \n\nc=\n&d=e=f");
        CHECK(parsed.errors.empty());
        CHECK(parsed.params == FormParams{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", "e=f"}});
    }
    SECTION("every protocol parameter clashes") {
        for (std::string_view name : kAuthorizationProtocolParams) {
            const ParsedAuthUrlParams parsed = ParseAuthUrlParams(std::string(name) + "=x");
            REQUIRE(parsed.errors.size() == 1);
            CHECK(parsed.errors[0] == "Auth. URL Params must not set \"" + std::string(name) +
                                          "\": the page sets this protocol parameter itself.");
            CHECK(parsed.params.empty());
        }
    }
    SECTION("malformed pieces") {
        const ParsedAuthUrlParams parsed = ParseAuthUrlParams("prompt&=x");
        CHECK(parsed.errors ==
              std::vector<std::string>{"Auth. URL Params: \"prompt\" is not a key=value pair.",
                                       "Auth. URL Params: \"=x\" has no key before '='."});
    }
}

TEST_CASE("A request that cannot be built reports why and builds nothing", "[authorization]") {
    SECTION("a clash in Auth. URL Params overrides nothing") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.authUrlParams = "redirect_uri=https://evil.example.com";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        CHECK_FALSE(request.ok());
        CHECK(request.url == "");
        CHECK(
            test::Lines(request.errors) ==
            test::Lines_t{"authUrlParams: Auth. URL Params must not set \"redirect_uri\": the page sets this "
                          "protocol parameter itself."});
    }
    SECTION("a protocol parameter already in the Authorization URL's query") {
        Profile profile = test::AuthorizationCodeProfile();
        profile.authorizationUrl = "https://id.example.com/authorize?client_id=other&x=1";
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, test::CountingRandom());
        CHECK(test::Lines(request.errors) ==
              test::Lines_t{"authorizationUrl: Authorization URL already has \"client_id\" in its query; "
                            "remove it, the page sets this protocol parameter itself."});
    }
    SECTION("missing fields and no random source") {
        Profile profile;
        const AuthorizationRequest request = BuildAuthorizationRequest(profile, RandomSource{});
        REQUIRE(request.errors.size() == 4);
        CHECK(request.errors[0].message == "Authorization URL is required.");
        CHECK(request.errors[1].message == "Redirect URL is required.");
        CHECK(request.errors[2].message == "Client ID is required.");
        CHECK(request.errors[3].field == "");
        CHECK(request.errors[3].message ==
              "No random source is available to make the state and the PKCE verifier.");
        CHECK(request.state == "");
    }
}
