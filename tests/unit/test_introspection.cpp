#include "core/introspection.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;
using json = nlohmann::json;

TEST_CASE("The introspection request posts the token and authenticates the client (RFC 7662 2.1)",
          "[introspection]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.introspectionUrl = "https://id.example.com/introspect";
    const HttpRequest request =
        BuildIntrospectionRequest(profile, "mF_9.B5f-4.1JqM", kTokenTypeHintAccessToken);
    CHECK(request.method == "POST");
    CHECK(request.url == "https://id.example.com/introspect");
    CHECK(request.headers == WithAuthorization("Basic Y2xpZW50LTE6czNjcmV0"));
    CHECK(request.body == "token=mF_9.B5f-4.1JqM&token_type_hint=access_token");
    SECTION("secret in the body, no hint") {
        profile.clientAuthentication = oauth::ClientAuthentication::Body;
        CHECK(BuildIntrospectionRequest(profile, "t").body ==
              "token=t&client_id=client-1&client_secret=s3cret");
    }
}

TEST_CASE("An active token's fields and dates are read (RFC 7662 2.2)", "[introspection]") {
    const Introspection result = ProcessIntrospectionResponse(
        JsonResponse(200, R"({"active":true,"client_id":"l238j323ds-23ij4","scope":"read write",
             "sub":"Z5O3upPC88QrAjx00dis","exp":1795953600,"iat":"1795950000","nbf":1795950000})"));
    REQUIRE(result.ok());
    CHECK(result.active);
    CHECK(result.message == "The token is active (RFC 7662 section 2.2).");
    CHECK(Lines(result.dates) == std::vector<std::string>{"exp: 2026-11-29 12:00:00 UTC",
                                                          "iat: 2026-11-29 11:00:00 UTC",
                                                          "nbf: 2026-11-29 11:00:00 UTC"});
    CHECK(result.fields.at("scope") == "read write");
    CHECK(result.warnings.empty());
    SECTION("a date that is not a number is left with the fields") {
        const Introspection odd =
            ProcessIntrospectionResponse(JsonResponse(200, R"({"active":true,"exp":"tomorrow"})"));
        CHECK(odd.dates.empty());
        CHECK(odd.warnings ==
              std::vector<std::string>{"exp is not a number of seconds (\"tomorrow\"); it is shown with the "
                                       "other fields."});
    }
}

TEST_CASE("An inactive token is an answer, not an error (RFC 7662 2.2)", "[introspection]") {
    const Introspection result = ProcessIntrospectionResponse(JsonResponse(200, R"({"active":false})"));
    REQUIRE(result.ok());
    CHECK_FALSE(result.active);
    CHECK(result.message ==
          "The token is not active: it is expired, revoked, unknown, or not visible to this "
          "client (RFC 7662 section 2.2).");
    CHECK(result.fields == json{{"active", false}});
}

TEST_CASE("Introspection answers that cannot be used are errors naming the endpoint", "[introspection]") {
    SECTION("no active member") {
        const Introspection result = ProcessIntrospectionResponse(JsonResponse(200, R"({"scope":"x"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error->code == "missing_active");
        CHECK(result.message == "The introspection endpoint answered HTTP 200 but the JSON has no boolean "
                                "\"active\" (RFC 7662 section 2.2 requires it).");
    }
    SECTION("active as a string") {
        const Introspection result = ProcessIntrospectionResponse(JsonResponse(200, R"({"active":"true"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error->code == "missing_active");
        CHECK(Lines(result.error->details) ==
              std::vector<std::string>{"HTTP status: 200", "active: \"true\""});
    }
    SECTION("an OAuth error") {
        const Introspection result = ProcessIntrospectionResponse(JsonResponse(
            401, R"({"error":"invalid_client","error_description":"client authentication failed"})"));
        REQUIRE_FALSE(result.ok());
        CHECK(
            result.message ==
            "The introspection endpoint did not accept the client's credentials "
            "(invalid_client); check Client ID, Client Secret and Client Authentication. The provider says: "
            "\"client authentication failed\"");
    }
    SECTION("an empty 401") {
        const Introspection result = ProcessIntrospectionResponse({401, {}, ""});
        CHECK(result.error->code == "empty_body");
        CHECK(result.message == "The introspection endpoint answered HTTP 401 with an empty body.");
    }
    SECTION("no answer") {
        const Introspection result =
            ProcessIntrospectionResponse({}, "https://www.linkedin.com/oauth/v2/introspectToken");
        CHECK(result.error->code == "network_or_cors");
        CHECK(
            result.message ==
            "The introspection endpoint did not answer, or refused a call from the browser (CORS); check the "
            "Introspection URL and that the provider allows this page's origin for a browser (single-page) "
            "client. If the provider refuses browsers, turn on \"Use CORS relay\" (needs serve.py --relay).");
    }
}
