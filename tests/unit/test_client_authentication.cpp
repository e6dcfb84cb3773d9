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
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        ApplyClientAuthentication(profile, headers, body);
        CHECK(headers.empty());
        CHECK(body == FormParams{{"client_id", "client-1"}, {"client_secret", "s3cret"}});
    }
    SECTION("public client: client_id in the body whatever the setting") {
        profile.clientSecret = "";
        for (const oauth::ClientAuthentication setting :
             {oauth::ClientAuthentication::BasicHeader, oauth::ClientAuthentication::Body}) {
            profile.clientAuthentication = setting;
            HttpHeaders h;
            FormParams b;
            ApplyClientAuthentication(profile, h, b);
            CHECK(h.empty());
            CHECK(b == FormParams{{"client_id", "client-1"}});
        }
    }
}

TEST_CASE("Basic credentials can be sent as typed for servers that do not decode them", "[client-auth]") {
    CHECK(BasicAuthorizationValue("my client", "a:b+c/d=e%f g", true) ==
          "Basic " + Base64Encode("my client:a:b+c/d=e%f g"));
    Profile profile = test::ClientCredentialsProfile();
    profile.clientSecret = "a:b+c/d=e%f g";
    profile.basicUnencoded = true;
    HttpHeaders headers;
    FormParams body;
    ApplyClientAuthentication(profile, headers, body);
    CHECK(headers == HttpHeaders{{"Authorization", "Basic " + Base64Encode("client-1:a:b+c/d=e%f g")}});
    CHECK(body.empty());
    SECTION("the setting does not touch body authentication") {
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        HttpHeaders h;
        FormParams b;
        ApplyClientAuthentication(profile, h, b);
        CHECK(b == FormParams{{"client_id", "client-1"}, {"client_secret", "a:b+c/d=e%f g"}});
    }
}

TEST_CASE("A refusal after Basic auth whose encoding changed the credentials says so", "[client-auth]") {
    Profile profile = test::ClientCredentialsProfile();
    profile.clientSecret = "a:b+c/d=e%f g";
    const std::string secretSentence =
        "The Basic header carried the Client Secret form-encoded, as RFC 6749 section 2.3.1 requires, which "
        "changed characters in it; some servers compare the credentials without decoding them. Press "
        "\"Retry with unencoded credentials\" to send them as typed.";
    CHECK(DescribeBasicEncodingSuspect(profile, 401) == secretSentence);
    CHECK(DescribeBasicEncodingSuspect(profile, 400) == secretSentence);
    CHECK(DescribeBasicEncodingSuspect(profile, 403) == secretSentence);
    SECTION("other statuses are not about the credentials") {
        CHECK(DescribeBasicEncodingSuspect(profile, 500) == "");
        CHECK(DescribeBasicEncodingSuspect(profile, 200) == "");
    }
    SECTION("the id changed too") {
        profile.clientId = "my client";
        CHECK(
            DescribeBasicEncodingSuspect(profile, 401) ==
            "The Basic header carried the Client ID and the Client Secret form-encoded, as RFC 6749 section "
            "2.3.1 requires, which changed characters in it; some servers compare the credentials without "
            "decoding them. Press \"Retry with unencoded credentials\" to send them as typed.");
    }
    SECTION("credentials that encoding leaves alone") {
        profile.clientSecret = "s3cret-_.";
        CHECK_FALSE(BasicEncodingChangesCredentials(profile.clientId, profile.clientSecret));
        CHECK(DescribeBasicEncodingSuspect(profile, 401) == "");
    }
    SECTION("already unencoded, in the body, or a public client: nothing to offer") {
        Profile unencoded = profile;
        unencoded.basicUnencoded = true;
        CHECK(DescribeBasicEncodingSuspect(unencoded, 401) == "");
        Profile inBody = profile;
        inBody.clientAuthentication = oauth::ClientAuthentication::Body;
        CHECK(DescribeBasicEncodingSuspect(inBody, 401) == "");
        Profile publicClient = profile;
        publicClient.clientSecret = "";
        CHECK(DescribeBasicEncodingSuspect(publicClient, 401) == "");
    }
    SECTION("a Client ID with ':' cannot go unencoded (RFC 7617 section 2)") {
        profile.clientId = "tenant:app";
        CHECK(DescribeBasicEncodingSuspect(profile, 401) == "");
    }
}
