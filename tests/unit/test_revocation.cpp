#include "core/revocation.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

namespace {

Profile RevocationProfile() {
    Profile p = test::AuthorizationCodeProfile();
    p.revocationUrl = "https://id.example.com/revoke";
    return p;
}

} // namespace

TEST_CASE("The revocation request posts the token, its hint and the client's credentials (RFC 7009 2.1)",
          "[revocation]") {
    Profile profile = RevocationProfile();
    const HttpRequest request = BuildRevocationRequest(profile, "45ghiukldjahdnhzdauz/", "refresh_token");
    CHECK(request.method == "POST");
    CHECK(request.url == "https://id.example.com/revoke");
    CHECK(request.headers == WithAuthorization("Basic Y2xpZW50LTE6czNjcmV0"));
    CHECK(request.body == "token=45ghiukldjahdnhzdauz%2F&token_type_hint=refresh_token");
    SECTION("without a hint, and as a public client") {
        profile.clientSecret = "";
        const HttpRequest publicRequest = BuildRevocationRequest(profile, "at");
        CHECK(publicRequest.headers == kFormHeaders);
        CHECK(publicRequest.body == "token=at&client_id=client-1");
    }
    SECTION("with the secret in the body") {
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        CHECK(BuildRevocationRequest(profile, "at", kTokenTypeHintAccessToken).body ==
              "token=at&token_type_hint=access_token&client_id=client-1&client_secret=s3cret");
    }
}

TEST_CASE("HTTP 200 means revoked, even with an empty body (RFC 7009 2.2)", "[revocation]") {
    const RevocationResult result = ProcessRevocationResponse({200, {}, ""});
    CHECK(result.ok());
    CHECK(result.revoked);
    CHECK(result.message ==
          "The revocation endpoint answered HTTP 200: the token is revoked, or was already invalid (RFC 7009 "
          "section 2.2).");
    CHECK(result.warnings.empty());
    CHECK_FALSE(result.error);
    SECTION("another 2xx is accepted with a warning") {
        const RevocationResult noContent = ProcessRevocationResponse({204, {}, ""});
        CHECK(noContent.revoked);
        CHECK(noContent.warnings == std::vector<std::string>{"RFC 7009 section 2.2 expects HTTP 200 for a "
                                                             "revocation."});
    }
}

TEST_CASE("Revocation errors name the revocation endpoint (RFC 7009 2.2.1)", "[revocation]") {
    SECTION("unsupported_token_type") {
        const RevocationResult result = ProcessRevocationResponse(
            {400, {{"Content-Type", "application/json"}}, R"({"error":"unsupported_token_type"})"});
        CHECK_FALSE(result.ok());
        REQUIRE(result.error);
        CHECK(result.error->code == "unsupported_token_type");
        CHECK(result.message ==
              "The revocation endpoint does not revoke this type of token (unsupported_token_type).");
        CHECK(result.error->message == result.message);
    }
    SECTION("invalid_client") {
        const RevocationResult result = ProcessRevocationResponse({401, {}, R"({"error":"invalid_client"})"});
        CHECK(result.message ==
              "The revocation endpoint did not accept the client's credentials "
              "(invalid_client); check Client ID, Client Secret and Client Authentication.");
    }
    SECTION("a 404 page") {
        const RevocationResult result = ProcessRevocationResponse({404, {}, "Not Found"});
        CHECK(result.error->code == "not_json");
        CHECK(result.message ==
              "The revocation endpoint answered HTTP 404 with a body that is not JSON; check "
              "the Revocation URL.");
    }
    SECTION("no answer") {
        const RevocationResult result = ProcessRevocationResponse({}, "https://id.example.com/revoke");
        CHECK(result.error->code == "network_or_cors");
        CHECK(DetailValue(result.error->details, "Revocation URL") == "https://id.example.com/revoke");
    }
}

TEST_CASE("A 503 asks to retry, after Retry-After when given (RFC 7009 2.2.1)", "[revocation]") {
    SECTION("Retry-After in seconds") {
        const RevocationResult result = ProcessRevocationResponse({503, {{"retry-after", " 30 "}}, ""});
        CHECK_FALSE(result.ok());
        CHECK(result.error->code == "temporarily_unavailable");
        CHECK(result.message ==
              "The revocation endpoint is temporarily unavailable (HTTP 503); the token was "
              "not revoked, try again in 30 seconds.");
        CHECK(result.retryAfterSeconds == 30);
        CHECK(DetailValue(result.error->details, "Retry-After") == " 30 ");
    }
    SECTION("Retry-After as a date") {
        const RevocationResult result =
            ProcessRevocationResponse({503, {{"Retry-After", "Fri, 31 Dec 1999 23:59:59 GMT"}}, ""});
        CHECK(result.message ==
              "The revocation endpoint is temporarily unavailable (HTTP 503); the token was "
              "not revoked, try again after Fri, 31 Dec 1999 23:59:59 GMT.");
        CHECK_FALSE(result.retryAfterSeconds);
    }
    SECTION("no Retry-After") {
        const RevocationResult result = ProcessRevocationResponse({503, {}, "busy"});
        CHECK(result.message ==
              "The revocation endpoint is temporarily unavailable (HTTP 503); the token was "
              "not revoked, try again later.");
    }
}
