#include "core/client_authentication.h"

#include "core/encoding.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("Basic credentials are form-urlencoded before base64 (RFC 6749 2.3.1)", "[client-auth]") {
    const std::string value = BasicAuthorizationValue("my client", "a:b+c/d=e%f g");
    CHECK(value == "Basic bXkrY2xpZW50OmElM0FiJTJCYyUyRmQlM0RlJTI1Zitn");
    SECTION("the secret survives a decode on the server side") {
        const auto decoded = Base64UrlDecode(value.substr(6)); // the alphabet has no + or / here
        REQUIRE(decoded.has_value());
        CHECK(*decoded == "my+client:a%3Ab%2Bc%2Fd%3De%25f+g");
        const std::size_t colon = decoded->find(':');
        CHECK(FormUrlDecode(decoded->substr(0, colon)) == "my client");
        CHECK(FormUrlDecode(decoded->substr(colon + 1)) == "a:b+c/d=e%f g");
    }
}

TEST_CASE("Client authentication follows the setting, except for public clients", "[client-auth]") {
    Profile profile = test::ClientCredentialsProfile();
    HttpHeaders headers;
    FormParams body;
    SECTION("header: Basic, nothing in the body") {
        ApplyClientAuthentication(profile, headers, body);
        CHECK(headers == HttpHeaders{{"Authorization", "Basic Y2xpZW50LTE6czNjcmV0"}});
        CHECK(body.empty());
    }
    SECTION("body: client_id and client_secret form fields, no header") {
        profile.clientAuthentication = "body";
        ApplyClientAuthentication(profile, headers, body);
        CHECK(headers.empty());
        CHECK(body == FormParams{{"client_id", "client-1"}, {"client_secret", "s3cret"}});
    }
    SECTION("public client: client_id in the body whatever the setting") {
        profile.clientSecret = "";
        for (const char* setting : {"header", "body"}) {
            profile.clientAuthentication = setting;
            HttpHeaders h;
            FormParams b;
            ApplyClientAuthentication(profile, h, b);
            CHECK(h.empty());
            CHECK(b == FormParams{{"client_id", "client-1"}});
        }
    }
}
