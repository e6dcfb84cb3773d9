#include "core/export_postman.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

namespace {

json Entry(const char* key, json value, const char* type = "string") {
    return json{{"key", key}, {"value", std::move(value)}, {"type", type}};
}

} // namespace

TEST_CASE("The authorization code profile exports as Postman's oauth2 auth with PKCE", "[export][postman]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.scopes = "openid,profile";
    profile.authUrlParams = "prompt=consent\naudience=https://api.example.com";
    const json auth = PostmanOAuth2Auth(profile, false);
    CHECK(auth == json{{"type", "oauth2"},
                       {"oauth2", json::array({
                                      Entry("grant_type", "authorization_code_with_pkce"),
                                      Entry("tokenName", "Demo"),
                                      Entry("authUrl", "https://id.example.com/authorize"),
                                      Entry("accessTokenUrl", "https://id.example.com/token"),
                                      Entry("clientId", "client-1"),
                                      Entry("scope", "openid profile"),
                                      Entry("redirect_uri", "https://app.example.com/callback"),
                                      Entry("challengeAlgorithm", "S256"),
                                      Entry("authRequestParams",
                                            json::array({
                                                {{"key", "prompt"},
                                                 {"value", "consent"},
                                                 {"enabled", true},
                                                 {"send_as", "request_url"}},
                                                {{"key", "audience"},
                                                 {"value", "https://api.example.com"},
                                                 {"enabled", true},
                                                 {"send_as", "request_url"}},
                                            }),
                                            "any"),
                                      Entry("client_authentication", "header"),
                                      Entry("addTokenTo", "header"),
                                  })}});
    SECTION("the secret only when revealed, right after clientId") {
        const json revealed = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(revealed.at(5) == Entry("clientSecret", "s3cret"));
    }
}

TEST_CASE("Each grant maps to Postman's grant_type and keys", "[export][postman]") {
    CHECK(PostmanGrantType("authorization_code") == "authorization_code_with_pkce");
    CHECK(PostmanGrantType("password") == "password_credentials");
    CHECK(PostmanGrantType("client_credentials") == "client_credentials");

    SECTION("password: username, and password only when revealed; body auth kept") {
        Profile profile = test::PasswordProfile();
        profile.clientAuthentication = "body";
        const json hidden = PostmanOAuth2Auth(profile, false).at("oauth2");
        CHECK(hidden == json::array({Entry("grant_type", "password_credentials"), Entry("tokenName", "Demo"),
                                     Entry("accessTokenUrl", "https://id.example.com/token"),
                                     Entry("clientId", "client-1"), Entry("scope", "openid profile"),
                                     Entry("username", "alice"), Entry("client_authentication", "body"),
                                     Entry("addTokenTo", "header")}));
        const json shown = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(shown.at(7) == Entry("password", "pa ss&word"));
    }
    SECTION("client_credentials of a public client sends credentials in the body") {
        Profile profile = test::ClientCredentialsProfile();
        profile.clientSecret = "";
        const json entries = PostmanOAuth2Auth(profile, true).at("oauth2");
        CHECK(entries ==
              json::array({Entry("grant_type", "client_credentials"), Entry("tokenName", "Demo"),
                           Entry("accessTokenUrl", "https://id.example.com/token"),
                           Entry("clientId", "client-1"), Entry("scope", "api.read api.write"),
                           Entry("client_authentication", "body"), Entry("addTokenTo", "header")}));
    }
}

TEST_CASE("The collection follows the v2.1 schema with one request", "[export][postman]") {
    const Profile profile = test::ClientCredentialsProfile();
    const json collection = json::parse(ExportPostmanCollection(profile, false));
    CHECK(collection.at("info").at("name") == "Demo");
    CHECK(collection.at("info").at("schema") ==
          "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
    REQUIRE(collection.at("item").size() == 1);
    const json& item = collection.at("item").at(0);
    CHECK(item.at("name") == "Demo");
    CHECK(item.at("request").at("method") == "GET");
    CHECK(item.at("request").at("url").at("raw") == "{{apiUrl}}");
    CHECK(item.at("request").at("auth") == PostmanOAuth2Auth(profile, false));
    CHECK(collection.at("variable").at(0).at("key") == "apiUrl");
    CHECK(ExportPostmanCollection(profile, false).find("s3cret") == std::string::npos);
    CHECK(ExportPostmanCollection(profile, true).find("s3cret") != std::string::npos);
}
