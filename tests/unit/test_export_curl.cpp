#include "core/export_curl.h"

#include "core/token_request.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("The token request exports as a cURL command with secrets masked", "[export][curl]") {
    const HttpRequest request =
        BuildAuthorizationCodeTokenRequest(test::AuthorizationCodeProfile(), "the-code", "the-verifier");
    CHECK(ExportCurl(request, false) == "curl -X POST 'https://id.example.com/token' \\\n"
                                        "  -H 'Content-Type: application/x-www-form-urlencoded' \\\n"
                                        "  -H 'Accept: application/json' \\\n"
                                        "  -H 'Authorization: Basic ********' \\\n"
                                        "  --data-raw 'grant_type=authorization_code&code=********"
                                        "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
                                        "&code_verifier=********'");
    SECTION("revealed on request") {
        CHECK(ExportCurl(request, true) == "curl -X POST 'https://id.example.com/token' \\\n"
                                           "  -H 'Content-Type: application/x-www-form-urlencoded' \\\n"
                                           "  -H 'Accept: application/json' \\\n"
                                           "  -H 'Authorization: Basic Y2xpZW50LTE6czNjcmV0' \\\n"
                                           "  --data-raw 'grant_type=authorization_code&code=the-code"
                                           "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
                                           "&code_verifier=the-verifier'");
    }
}

TEST_CASE("Body secrets of every grant are masked", "[export][curl]") {
    Profile profile = test::PasswordProfile();
    profile.clientAuthentication = oauth::ClientAuthentication::Body;
    const std::string curl = ExportCurl(BuildPasswordTokenRequest(profile), false);
    CHECK(curl.find("--data-raw 'grant_type=password&username=alice&password=********&scope=openid+profile"
                    "&client_id=client-1&client_secret=********'") != std::string::npos);
    CHECK(curl.find("s3cret") == std::string::npos);
    CHECK(ExportCurl(BuildRefreshTokenRequest(profile, "rt"), false)
              .find("'grant_type=refresh_token&refresh_token=********&client_id=client-1&client_secret=******"
                    "**'") != std::string::npos);
}

TEST_CASE("Values are shell-quoted safely", "[export][curl]") {
    CHECK(ShellQuote("plain") == "'plain'");
    CHECK(ShellQuote("it's $(rm -rf /) `x` \"q\"") == "'it'\\''s $(rm -rf /) `x` \"q\"'");
    HttpRequest request{"POST", "https://h/t?a='b'", {{"X-Note", "don't"}}, "a=1"};
    CHECK(ExportCurl(request, false) == "curl -X POST 'https://h/t?a='\\''b'\\''' \\\n"
                                        "  -H 'X-Note: don'\\''t' \\\n"
                                        "  --data-raw 'a=1'");
}
