#include "core/profiles_export.h"

#include "core/storage.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

namespace {

Profile Named(const char* name) {
    Profile profile = test::PasswordProfile();
    profile.tokenName = name;
    profile.lastToken = json{{"access_token", "at"}, {"token_type", "Bearer"}};
    profile.state = oauth::ProfileState::Connected;
    profile.lastError = "";
    return profile;
}

} // namespace

TEST_CASE("Exporting all profiles leaves secrets out unless asked", "[profiles-export]") {
    Profile demo = Named("Demo");
    demo.unknownKeys = json{{"fromTheFuture", 1}};
    const json hidden = json::parse(ExportProfiles({demo}, false));
    CHECK(hidden.at("format") == "oauth-setup-profiles");
    CHECK(hidden.at("version") == 1);
    REQUIRE(hidden.at("profiles").size() == 1);
    const json& entry = hidden.at("profiles").at(0);
    CHECK(entry.at("clientSecret") == "");
    CHECK(entry.at("password") == "");
    CHECK(entry.at("lastToken").is_null());
    CHECK(entry.at("username") == "alice");
    CHECK(entry.at("state") == "Connected");
    CHECK(entry.at("fromTheFuture") == 1);
    CHECK(ExportProfiles({demo}, false).find("s3cret") == std::string::npos);

    SECTION("with secrets, the profile exactly as stored") {
        const json shown = json::parse(ExportProfiles({demo}, true));
        CHECK(shown.at("profiles").at(0) == ProfileToJson(demo));
    }
    SECTION("no profiles") {
        CHECK(ExportProfiles({}, false) ==
              "{\n  \"format\": \"oauth-setup-profiles\",\n  \"profiles\": [],\n  \"version\": 1\n}");
    }
}

TEST_CASE("Importing merges by Token Name with a report", "[profiles-export]") {
    std::vector<Profile> existing = {Named("Alpha"), Named("Charlie")};
    Profile alphaChanged = Named("ALPHA");
    alphaChanged.clientId = "client-2";
    const std::string file = ExportProfiles({alphaChanged, Named("Bravo")}, true);

    const ImportResult result = ImportProfiles(file, existing);
    CHECK(result.ok());
    CHECK(result.added == std::vector<std::string>{"Bravo"});
    CHECK(result.updated == std::vector<std::string>{"ALPHA"});
    CHECK(result.Report() == "Imported 2 profiles: 1 added (Bravo), 1 updated (ALPHA).");
    REQUIRE(existing.size() == 3);
    CHECK(existing[0].tokenName == "ALPHA");
    CHECK(existing[0].clientId == "client-2");
    CHECK(existing[1].tokenName == "Charlie");
    CHECK(existing[2].tokenName == "Bravo");
}

TEST_CASE("Re-importing an export without secrets keeps the existing secrets", "[profiles-export]") {
    std::vector<Profile> existing = {Named("Demo")};
    Profile edited = existing[0];
    edited.scopes = "openid";
    const std::string file = ExportProfiles({edited}, false);

    const ImportResult result = ImportProfiles(file, existing);
    CHECK(result.Report() == "Imported 1 profile: 1 updated (Demo).");
    REQUIRE(existing.size() == 1);
    CHECK(existing[0].scopes == "openid");
    CHECK(existing[0].clientSecret == "s3cret");
    CHECK(existing[0].password == "pa ss&word");
    CHECK(existing[0].lastToken == json{{"access_token", "at"}, {"token_type", "Bearer"}});

    SECTION("a secret in the file replaces the existing one") {
        edited.clientSecret = "new-secret";
        ImportProfiles(ExportProfiles({edited}, true), existing);
        CHECK(existing[0].clientSecret == "new-secret");
    }
}

TEST_CASE("An import that moves a profile to another endpoint drops the credentials kept from before",
          "[profiles-export]") {
    // Reproduced: a file that named an existing profile and changed only its token URL made the page
    // send the old refresh token and client secret to the new URL, unasked.
    std::vector<Profile> existing = {Named("Demo")};
    existing[0].autoRefresh = true;

    SECTION("another token URL") {
        Profile moved = existing[0];
        moved.accessTokenUrl = "https://elsewhere.example/token";
        moved.autoRefresh = true;
        const ImportResult result = ImportProfiles(ExportProfiles({moved}, false), existing);
        CHECK(
            result.Report() ==
            "Imported 1 profile: 1 updated (Demo). The token endpoint, client ID or issuer of Demo changed, "
            "so the secret, password and tokens kept from before were dropped.");
        CHECK(existing[0].accessTokenUrl == "https://elsewhere.example/token");
        CHECK(existing[0].clientSecret == "");
        CHECK(existing[0].password == "");
        CHECK(existing[0].lastToken.is_null());
        CHECK(existing[0].state == oauth::ProfileState::None);
        CHECK_FALSE(existing[0].autoRefresh);
        REQUIRE(result.dropped.size() == 1);
        CHECK(result.dropped[0].tokenName == "Demo");
        CHECK(result.dropped[0].clientSecret == "s3cret");
        CHECK(result.dropped[0].password == "pa ss&word");
        CHECK(result.dropped[0].lastToken == json{{"access_token", "at"}, {"token_type", "Bearer"}});
    }
    SECTION("another client ID or issuer") {
        Profile moved = existing[0];
        moved.clientId = "someone-else";
        ImportProfiles(ExportProfiles({moved}, false), existing);
        CHECK(existing[0].clientSecret == "");
        std::vector<Profile> again = {Named("Demo")};
        Profile issuer = again[0];
        issuer.issuer = "https://other-issuer.example";
        ImportProfiles(ExportProfiles({issuer}, false), again);
        CHECK(again[0].lastToken.is_null());
    }
    SECTION("the same endpoint keeps them, and state and auto-refresh are never taken from the file") {
        Profile same = existing[0];
        same.state = oauth::ProfileState::Error;
        same.autoRefresh = false;
        const ImportResult result = ImportProfiles(ExportProfiles({same}, false), existing);
        CHECK(result.dropped.empty());
        CHECK(existing[0].clientSecret == "s3cret");
        CHECK(existing[0].state == oauth::ProfileState::Connected);
        CHECK(existing[0].autoRefresh);
    }
    SECTION("a new profile starts with State Default and auto-refresh off, whatever the file says") {
        std::vector<Profile> none;
        Profile other = Named("Other");
        other.autoRefresh = true;
        ImportProfiles(ExportProfiles({other}, true), none);
        REQUIRE(none.size() == 1);
        CHECK(none[0].state == oauth::ProfileState::None);
        CHECK_FALSE(none[0].autoRefresh);
        CHECK(none[0].lastToken.is_object());
    }
}

TEST_CASE("Invalid entries are skipped with a reason", "[profiles-export]") {
    std::vector<Profile> existing = {Named("C")};
    const std::string file = R"({"format":"oauth-setup-profiles","version":1,"profiles":[
        {"tokenName":"A","clientId":"a"},
        {"tokenName":"B","scopes":42},
        {"tokenName":"c"},
        {"clientId":"no-name"},
        "text",
        {"tokenName":"a"},
        {"tokenName":"  "}
    ]})";
    const ImportResult result = ImportProfiles(file, existing);
    CHECK(result.Report() ==
          "Imported 3 profiles: 2 added (A, B), 1 updated (c); 4 skipped: entry 4 has no Token "
          "Name, entry 5 is not an object, entry 6 repeats the Token Name of entry 1, entry 7 has "
          "no Token Name. The token endpoint, client ID or issuer of c changed, so the secret, password and "
          "tokens kept from before were dropped. Some values had the wrong type and took their defaults; see "
          "the details.");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].path == "profiles[1].scopes");
    REQUIRE(result.skipped.size() == 4);
    CHECK(result.skipped[0].index == 3);
    CHECK(result.skipped[0].reason == "has no Token Name");
    CHECK(existing.size() == 3);

    SECTION("a single skip") {
        std::vector<Profile> none;
        const ImportResult one = ImportProfiles(
            R"({"format":"oauth-setup-profiles","version":1,"profiles":[{"tokenName":"A"},{"tokenName":"B"},)"
            R"({"tokenName":"C"},{"clientId":"x"}]})",
            none);
        CHECK(one.Report() ==
              "Imported 3 profiles: 3 added (A, B, C); 1 skipped: entry 4 has no Token Name.");
    }
    SECTION("nothing to import") {
        std::vector<Profile> none;
        CHECK(
            ImportProfiles(R"({"format":"oauth-setup-profiles","version":1,"profiles":[]})", none).Report() ==
            "Imported no profiles.");
        CHECK(ImportProfiles(R"({"version":1,"profiles":[7]})", none).Report() ==
              "Imported no profiles; 1 skipped: entry 1 is not an object.");
    }
}

TEST_CASE("The stored document imports too", "[profiles-export]") {
    std::vector<Profile> existing;
    const ImportResult result = ImportProfiles(EncodeDocument({Named("Stored")}), existing);
    CHECK(result.Report() == "Imported 1 profile: 1 added (Stored).");
    REQUIRE(existing.size() == 1);
    Profile expected = Named("Stored");
    expected.state = oauth::ProfileState::None; // State is this browser's own outcome: never imported
    CHECK(ProfileToJson(existing[0]) == ProfileToJson(expected));
    CHECK(ImportProfiles(R"({"profiles":[{"tokenName":"No version"}]})", existing).Report() ==
          "Imported 1 profile: 1 added (No version).");
}

TEST_CASE("An unreadable file is refused with one sentence and changes nothing", "[profiles-export]") {
    std::vector<Profile> existing = {Named("Keep")};
    const std::string shape = "The file is not an OAuth setup profiles export: expected "
                              "{\"format\": \"oauth-setup-profiles\", \"version\": 1, \"profiles\": [...]}.";
    CHECK(ImportProfiles("  \n", existing).error == "The file is empty.");
    CHECK(ImportProfiles("{\"profiles\": [", existing).error == "The file is not valid JSON.");
    CHECK(ImportProfiles("[1, 2]", existing).error == shape);
    CHECK(ImportProfiles(R"({"format":"something-else","version":1,"profiles":[]})", existing).error ==
          shape);
    CHECK(ImportProfiles(R"({"version":"1","profiles":[]})", existing).error == shape);
    CHECK(ImportProfiles(R"({"format":"oauth-setup-profiles","version":2,"profiles":[{"tokenName":"X"}]})",
                         existing)
              .error ==
          "The file was written by a newer version of this page (version 2); nothing was imported.");
    CHECK(ImportProfiles(
              R"({"info":{"name":"C","schema":"https://schema.getpostman.com/json/collection/v2.1.0/)"
              R"(collection.json"},"item":[]})",
              existing)
              .Report() == "This is a Postman collection; use Import Postman collection instead.");
    CHECK(existing.size() == 1);
    CHECK(existing[0].tokenName == "Keep");
}
