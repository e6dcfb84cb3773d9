#include "core/masking.h"

#include "core/token_request.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;

TEST_CASE("The Authorization header is masked keeping its scheme", "[masking]") {
    CHECK(MaskAuthorizationValue("Basic Y2xpZW50LTE6czNjcmV0") == "Basic ********");
    CHECK(MaskAuthorizationValue("Bearer eyJhbGciOi.x.y") == "Bearer ********");
    CHECK(MaskAuthorizationValue("opaque") == "********");

    const HttpRequest request{
        "POST",
        "https://id.example.com/token",
        {{"authorization", "Basic Y2xpZW50LTE6czNjcmV0"}, {"Accept", "application/json"}},
        ""};
    const HttpRequest shown = MaskRequestForDisplay(request, false);
    CHECK(shown.headers == HttpHeaders{{"authorization", "Basic ********"}, {"Accept", "application/json"}});
    SECTION("revealed, nothing changes") {
        const HttpRequest revealed = MaskRequestForDisplay(request, true);
        CHECK(revealed.headers == request.headers);
    }
}

TEST_CASE("Secret form fields are masked and the other pairs stay byte-identical", "[masking]") {
    Profile profile = test::PasswordProfile();
    profile.clientAuthentication = "body";
    const HttpRequest shown = MaskRequestForDisplay(BuildPasswordTokenRequest(profile), false);
    CHECK(shown.body == "grant_type=password&username=alice&password=********&scope=openid+profile"
                        "&client_id=client-1&client_secret=********");
    CHECK(MaskFormBody("token=abc&token_type_hint=refresh_token") ==
          "token=********&token_type_hint=refresh_token");
    CHECK(
        MaskFormBody("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=GmRh&"
                     "client_id=c") ==
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=********&client_id=c");
    CHECK(MaskFormBody("client_assertion_type=urn%3Ax&client_assertion=eyJ.a.b&assertion=eyJ.c.d") ==
          "client_assertion_type=urn%3Ax&client_assertion=********&assertion=********");
    CHECK(MaskFormBody("a&b=&code") == "a&b=&code");
    SECTION("every name on the one list") {
        for (const char* name :
             {"client_secret", "password", "code", "code_verifier", "refresh_token", "device_code", "token",
              "client_assertion", "assertion", "access_token", "id_token"})
            CHECK(IsSecretFormField(name));
        for (const char* name : {"state", "code_challenge", "client_id", "username", "scope", "user_code"})
            CHECK_FALSE(IsSecretFormField(name));
    }
}

TEST_CASE("URLs show state and code_challenge but not the code", "[masking]") {
    CHECK(MaskUrlForDisplay(
              "https://app.example.com/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=https%3A%2F%2Fid",
              false) == "https://app.example.com/callback?code=********&state=xyz&iss=https%3A%2F%2Fid");
    CHECK(MaskUrlForDisplay("https://app.example.com/callback#state=xyz&code=abc", false) ==
          "https://app.example.com/callback#state=xyz&code=********");
    CHECK(MaskUrlForDisplay("https://id.example.com/authorize?response_type=code&client_id=c&state=s1"
                            "&code_challenge=E9Melhoa&code_challenge_method=S256&client_secret=oops",
                            false) ==
          "https://id.example.com/authorize?response_type=code&client_id=c&state=s1"
          "&code_challenge=E9Melhoa&code_challenge_method=S256&client_secret=********");
    CHECK(MaskUrlForDisplay("https://app.example.com/cb#access_token=at&token_type=Bearer", false) ==
          "https://app.example.com/cb#access_token=********&token_type=Bearer");
    CHECK(MaskUrlForDisplay("https://h/path#section", false) == "https://h/path#section");
    CHECK(MaskUrlForDisplay("https://h/cb?code=abc", true) == "https://h/cb?code=abc");
}

TEST_CASE("A token response's tokens are masked in the provider's own layout", "[masking]") {
    const std::string body = "{\n  \"access_token\": \"eyJhbGci.a.b\",\n  \"token_type\": \"Bearer\",\n"
                             "  \"expires_in\": 3600,\n  \"refresh_token\":\"8xLOxBtZp8\",\n"
                             "  \"id_token\": \"eyJ.c.d\", \"scope\": \"openid\",\n"
                             "  \"nested\": {\"access_token\": \"kept\"}, \"list\": [\"access_token\", 1]\n}";
    CHECK(MaskResponseBodyForDisplay(body, false) ==
          "{\n  \"access_token\": \"********\",\n  \"token_type\": \"Bearer\",\n"
          "  \"expires_in\": 3600,\n  \"refresh_token\":\"********\",\n"
          "  \"id_token\": \"********\", \"scope\": \"openid\",\n"
          "  \"nested\": {\"access_token\": \"kept\"}, \"list\": [\"access_token\", 1]\n}");
    CHECK(MaskResponseBodyForDisplay(body, true) == body);
    SECTION("the device authorization response hides device_code, not user_code") {
        CHECK(MaskResponseBodyForDisplay(
                  R"({"device_code":"GmRhmhcxhw","user_code":"WDJB-MJHT","interval":5})", false) ==
              R"({"device_code":"********","user_code":"WDJB-MJHT","interval":5})");
    }
    SECTION("escapes in values and keys are handled") {
        CHECK(MaskResponseBodyForDisplay(R"({"note":"a \"q\" \\","access\u005ftoken":"x\"y","b":"c"})",
                                         false) ==
              R"({"note":"a \"q\" \\","access\u005ftoken":"********","b":"c"})");
    }
    SECTION("error and non-JSON bodies are returned as they are") {
        CHECK(MaskResponseBodyForDisplay(R"({"error":"invalid_grant","error_description":"code expired"})",
                                         false) ==
              R"({"error":"invalid_grant","error_description":"code expired"})");
        CHECK(MaskResponseBodyForDisplay("<html>access_token</html>", false) == "<html>access_token</html>");
        CHECK(MaskResponseBodyForDisplay("access_token=abc&token_type=bearer", false) ==
              "access_token=abc&token_type=bearer");
        CHECK(MaskResponseBodyForDisplay("", false) == "");
        CHECK(MaskResponseBodyForDisplay(R"(["access_token","x"])", false) == R"(["access_token","x"])");
    }
}

TEST_CASE("A JSON request body has its secret members masked", "[masking]") {
    const HttpRequest request{"POST",
                              "https://h/t",
                              {{"Content-Type", "application/json"}},
                              R"({"client_id":"c","client_secret":"s","code":"abc"})"};
    CHECK(MaskRequestForDisplay(request, false).body ==
          R"({"client_id":"c","client_secret":"********","code":"********"})");
}
