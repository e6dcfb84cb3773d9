#include "core/profile.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

namespace {

// Reads `object` as the profile at `path`, checks that every field kept its default, and returns
// the problems found as "path: message" lines.
test::Lines_t ProblemsOfDefaultedRead(const json& object, const std::string& path) {
    std::vector<DocumentProblem> problems;
    const Profile profile = ProfileFromJson(object, path, problems);
    CHECK(ProfileToJson(profile) == ProfileToJson(Profile{}));
    return test::Lines(problems);
}

} // namespace

TEST_CASE("A profile is written with the exact JSON keys of the storage format", "[profile]") {
    Profile profile = test::PasswordProfile();
    profile.state = oauth::ProfileState::Connected;
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
                         {"discoveryUrl", ""},
                         {"deviceAuthorizationUrl", ""},
                         {"revocationUrl", ""},
                         {"introspectionUrl", ""},
                         {"username", "alice"},
                         {"password", "pa ss&word"},
                         {"state", "Connected"},
                         {"lastToken", {{"access_token", "abc"}}},
                         {"lastError", ""},
                         {"preset", ""},
                         {"useRelay", false},
                         {"autoRefresh", false},
                         {"basicUnencoded", false}});
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
    CHECK(profile.grantType == oauth::GrantType::AuthorizationCode);
    CHECK(profile.clientAuthentication == oauth::ClientAuthentication::BasicHeader);
    CHECK(profile.clientId == "");
    CHECK(profile.state == oauth::ProfileState::None);
    CHECK(profile.issuer == "");
    CHECK(profile.lastToken.is_null());
    CHECK(profile.unknownKeys == json::object());
    CHECK(profile.discoveryUrl == "");
    CHECK(profile.deviceAuthorizationUrl == "");
    CHECK(profile.revocationUrl == "");
    CHECK(profile.introspectionUrl == "");
    CHECK(profile.useRelay == false);
    CHECK(profile.autoRefresh == false);
    CHECK(profile.preset == "");
}

TEST_CASE("The device, discovery, revocation, introspection, relay and preset keys round-trip", "[profile]") {
    Profile profile = test::AuthorizationCodeProfile();
    profile.grantType = GrantType::DeviceCode;
    profile.discoveryUrl = "https://id.example.com";
    profile.deviceAuthorizationUrl = "https://id.example.com/device";
    profile.revocationUrl = "https://id.example.com/revoke";
    profile.introspectionUrl = "https://id.example.com/introspect";
    profile.useRelay = true;
    profile.autoRefresh = true;
    profile.preset = "google";
    const json written = ProfileToJson(profile);
    CHECK(written.at("grantType") == "device_code");
    CHECK(written.at("discoveryUrl") == "https://id.example.com");
    CHECK(written.at("deviceAuthorizationUrl") == "https://id.example.com/device");
    CHECK(written.at("revocationUrl") == "https://id.example.com/revoke");
    CHECK(written.at("introspectionUrl") == "https://id.example.com/introspect");
    CHECK(written.at("useRelay") == true);
    CHECK(written.at("autoRefresh") == true);
    CHECK(written.at("preset") == "google");

    std::vector<DocumentProblem> problems;
    const Profile read = ProfileFromJson(written, "", problems);
    CHECK(problems.empty());
    CHECK(read.unknownKeys == json::object());
    CHECK(ProfileToJson(read) == written);
}

TEST_CASE("Reading a profile reports booleans of the wrong type", "[profile]") {
    const json object = {{"useRelay", "yes"}, {"autoRefresh", 1}, {"preset", false}};
    CHECK(ProblemsOfDefaultedRead(object, "profiles[1]") ==
          test::Lines_t{"profiles[1].preset: expected a string, found boolean; the default was used.",
                        "profiles[1].useRelay: expected a boolean, found string; the default was used.",
                        "profiles[1].autoRefresh: expected a boolean, found number; the default was used."});
}

TEST_CASE("Reading a profile reports values of the wrong type and keeps defaults", "[profile]") {
    const json object = {{"tokenName", 42}, {"clientId", nullptr}, {"lastToken", "abc"}, {"scopes", {"a"}}};
    CHECK(ProblemsOfDefaultedRead(object, "profiles[3]") ==
          test::Lines_t{"profiles[3].tokenName: expected a string, found number; the default was used.",
                        "profiles[3].scopes: expected a string, found array; the default was used.",
                        "profiles[3].lastToken: expected an object, found string; the default was used."});
}

TEST_CASE("Grant type, client authentication and State are read only as the values they name", "[profile]") {
    std::vector<DocumentProblem> problems;
    const json object = {{"grantType", "implicit"}, {"clientAuthentication", "jwt"}, {"state", "Done"}};
    const Profile profile = ProfileFromJson(object, "profiles[0]", problems);
    CHECK(profile.grantType == GrantType::AuthorizationCode);
    CHECK(profile.clientAuthentication == ClientAuthentication::BasicHeader);
    CHECK(profile.state == ProfileState::None);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].path == "profiles[0].grantType");
    CHECK(problems[0].message == "\"implicit\" is not a grant this page runs (authorization_code, password, "
                                 "client_credentials or device_code); authorization_code was used.");
    CHECK(problems[1].path == "profiles[0].clientAuthentication");
    CHECK(problems[1].message ==
          "\"jwt\" is not a client authentication (\"header\", \"body\", \"client_secret_jwt\" or "
          "\"private_key_jwt\"); \"header\" was used.");
    CHECK(problems[2].path == "profiles[0].state");
    CHECK(problems[2].message ==
          "\"Done\" is not a State (\"\", \"Connected\" or \"Error\"); no State was used.");

    const json known = {
        {"grantType", "device_code"}, {"clientAuthentication", "body"}, {"state", "Connected"}};
    problems.clear();
    const Profile read = ProfileFromJson(known, "", problems);
    CHECK(problems.empty());
    CHECK(read.grantType == GrantType::DeviceCode);
    CHECK(read.clientAuthentication == ClientAuthentication::Body);
    CHECK(read.state == ProfileState::Connected);
    const json written = ProfileToJson(read);
    CHECK(written.at("grantType") == "device_code");
    CHECK(written.at("clientAuthentication") == "body");
    CHECK(written.at("state") == "Connected");
    CHECK(WireGrantType(GrantType::DeviceCode) == "urn:ietf:params:oauth:grant-type:device_code");
    CHECK(WireGrantType(GrantType::ClientCredentials) == "client_credentials");
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
