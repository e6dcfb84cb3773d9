#include "core/transport_failure.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("A transport failure says the provider did not answer or refused CORS", "[transport]") {
    SECTION("any provider") {
        const TokenError error = DescribeTransportFailure("https://id.example.com/token", "Failed to fetch");
        CHECK(error.code == "network_or_cors");
        CHECK(error.httpStatus == 0);
        CHECK(error.message ==
              "The token endpoint did not answer, or refused a call from the browser (CORS); check "
              "the Access Token URL and that the provider allows this page's origin for a browser "
              "(single-page) client.");
        REQUIRE(error.details.size() == 3);
        CHECK(error.details[0].label == "Access Token URL");
        CHECK(error.details[0].value == "https://id.example.com/token");
        CHECK(error.details[1].value == "0 (no answer reached the page)");
        CHECK(error.details[2].label == "Browser message");
        CHECK(error.details[2].value == "Failed to fetch");
    }
    SECTION("Microsoft Entra ID: register the Redirect URL as a single-page application") {
        const TokenError error = DescribeTransportFailure(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        CHECK(error.message ==
              "Microsoft Entra ID did not answer or refused a call from the browser (CORS); register "
              "the Redirect URL under the \"Single-page application\" platform of the app "
              "registration, not under \"Web\".");
        CHECK(error.details.size() == 2);
    }
}

TEST_CASE("Microsoft Entra token hosts are recognised", "[transport]") {
    CHECK(IsMicrosoftEntraUrl("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
    CHECK(IsMicrosoftEntraUrl("https://LOGIN.MICROSOFTONLINE.US/t/oauth2/token"));
    CHECK(IsMicrosoftEntraUrl("https://contoso.ciamlogin.com/t/oauth2/v2.0/token"));
    CHECK(IsMicrosoftEntraUrl("https://login.microsoft.com/t/oauth2/v2.0/token"));
    CHECK_FALSE(IsMicrosoftEntraUrl("https://login.microsoftonline.com.evil.com/token"));
    CHECK_FALSE(IsMicrosoftEntraUrl("https://evilciamlogin.com/token"));
    CHECK_FALSE(IsMicrosoftEntraUrl("not a url"));
}
