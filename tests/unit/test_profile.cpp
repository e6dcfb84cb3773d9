#include "core/profile.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

TEST_CASE("A profile is written with the exact JSON keys of the storage format", "[profile]") {
    Profile profile = test::PasswordProfile();
    profile.state = "Connected";
    profile.lastToken = json{{"access_token", "abc"}};
    profile.lastError = "";
    const json object = ProfileToJson(profile);
    CHECK(object == json{{"tokenName", "Demo"},
                         {"grantType", "password"},
                         {"clientId", "client-1"},
                         {"clientSecret", "s3cret"},
                         {"redirectUrl", "https://app.example.com/callback"},
                         {"scopes", "openid profile"},
                         {"clientAuthentication", "header"},
                         {"authorizationUrl", "https://id.example.com/authorize"},
                         {"accessTokenUrl", "https://id.example.com/token"},
                         {"authUrlParams", ""},
                         {"username", "alice"},
                         {"password", "pa ss&word"},
                         {"state", "Connected"},
                         {"lastToken", {{"access_token", "abc"}}},
                         {"lastError", ""}});
    SECTION("issuer is written only when set") {
        profile.issuer = "https://id.example.com";
        CHECK(ProfileToJson(profile).at("issuer") == "https://id.example.com");
    }
    SECTION("no token is written as null") {
        profile.lastToken = json();
        CHECK(ProfileToJson(profile).at("lastToken").is_null());
    }
}

TEST_CASE("Reading a profile takes defaults for what is missing", "[profile]") {
    std::vector<DocumentProblem> problems;
    const Profile profile = ProfileFromJson(json{{"tokenName", "Only name"}}, "profiles[0]", problems);
    CHECK(problems.empty());
    CHECK(profile.tokenName == "Only name");
    CHECK(profile.grantType == "authorization_code");
    CHECK(profile.clientAuthentication == "header");
    CHECK(profile.clientId == "");
    CHECK(profile.state == "");
    CHECK(profile.issuer == "");
    CHECK(profile.lastToken.is_null());
    CHECK(profile.unknownKeys == json::object());
}

TEST_CASE("Reading a profile reports values of the wrong type and keeps defaults", "[profile]") {
    std::vector<DocumentProblem> problems;
    const json object = {{"tokenName", 42}, {"clientId", nullptr}, {"lastToken", "abc"}, {"scopes", {"a"}}};
    const Profile profile = ProfileFromJson(object, "profiles[3]", problems);
    CHECK(profile.tokenName == "");
    CHECK(profile.clientId == "");
    CHECK(profile.lastToken.is_null());
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].path == "profiles[3].tokenName");
    CHECK(problems[0].message == "expected a string, found number; the default was used.");
    CHECK(problems[1].path == "profiles[3].scopes");
    CHECK(problems[1].message == "expected a string, found array; the default was used.");
    CHECK(problems[2].path == "profiles[3].lastToken");
    CHECK(problems[2].message == "expected an object, found string; the default was used.");
}

TEST_CASE("Unknown profile keys survive a round trip", "[profile]") {
    const json object = {{"tokenName", "T"}, {"pkce", false}, {"extra", {{"nested", {1, 2}}}}};
    std::vector<DocumentProblem> problems;
    const Profile profile = ProfileFromJson(object, "", problems);
    CHECK(problems.empty());
    CHECK(profile.unknownKeys == json{{"pkce", false}, {"extra", {{"nested", {1, 2}}}}});
    const json written = ProfileToJson(profile);
    CHECK(written.at("pkce") == false);
    CHECK(written.at("extra") == json{{"nested", {1, 2}}});
    CHECK(written.at("tokenName") == "T");
}

TEST_CASE("DumpJson never throws on invalid UTF-8", "[profile]") {
    CHECK(DumpJson(json("a\xFF")) == "\"a\xEF\xBF\xBD\"");
}
