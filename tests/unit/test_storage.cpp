#include "core/storage.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using json = nlohmann::json;

TEST_CASE("Nothing stored yet decodes as an empty document", "[storage]") {
    for (const char* text : {"", "  \n"}) {
        const StorageDocument document = DecodeDocument(text);
        CHECK(document.status == DocumentStatus::Empty);
        CHECK(document.profiles.empty());
        CHECK(document.message == "");
        CHECK_FALSE(MustNotOverwrite(document));
    }
}

TEST_CASE("Profiles round-trip through the versioned document", "[storage]") {
    std::vector<Profile> profiles = {test::AuthorizationCodeProfile(), test::ClientCredentialsProfile()};
    profiles[1].tokenName = "Second";
    profiles[1].lastToken = json{{"access_token", "x"}, {"expires_in", 3600}};
    const std::string text = EncodeDocument(profiles);
    CHECK(json::parse(text).at("version") == 1);

    const StorageDocument document = DecodeDocument(text);
    CHECK(document.status == DocumentStatus::Ok);
    CHECK(document.problems.empty());
    REQUIRE(document.profiles.size() == 2);
    CHECK(ProfileToJson(document.profiles[0]) == ProfileToJson(profiles[0]));
    CHECK(ProfileToJson(document.profiles[1]) == ProfileToJson(profiles[1]));
    CHECK(EncodeDocument(document) == text);
}

TEST_CASE("Unknown keys at both levels survive decode and encode", "[storage]") {
    const std::string text =
        R"({"version":1,"savedBy":"v1.2","profiles":[{"tokenName":"A","futureFlag":true,"lastToken":null}]})";
    const StorageDocument document = DecodeDocument(text);
    REQUIRE(document.status == DocumentStatus::Ok);
    const json written = json::parse(EncodeDocument(document));
    CHECK(written.at("savedBy") == "v1.2");
    CHECK(written.at("profiles").at(0).at("futureFlag") == true);
    CHECK(written.at("profiles").at(0).at("tokenName") == "A");
}

TEST_CASE("A broken document is reported and its raw text kept", "[storage]") {
    SECTION("not JSON") {
        const std::string text = R"({"version":1,"profiles":[{"tokenName":"A"})";
        const StorageDocument document = DecodeDocument(text);
        CHECK(document.status == DocumentStatus::Broken);
        CHECK(document.rawText == text);
        CHECK(document.profiles.empty());
        CHECK(
            document.message ==
            "The saved profiles are not valid JSON; the text was kept as it is and will not be overwritten.");
        CHECK(MustNotOverwrite(document));
    }
    SECTION("JSON of another shape") {
        for (const char* text : {"[1,2]", R"({"version":1})", R"({"version":1,"profiles":{}})",
                                 R"({"version":"1","profiles":[]})", R"({"version":0,"profiles":[]})"}) {
            const StorageDocument document = DecodeDocument(text);
            CHECK(document.status == DocumentStatus::Broken);
            CHECK(document.rawText == text);
            CHECK(document.message ==
                  "The saved profiles are not a {\"version\": 1, \"profiles\": [...]} document; "
                  "the text was kept as it is and will not be overwritten.");
        }
    }
}

TEST_CASE("A document from a newer version is read but must not be overwritten", "[storage]") {
    const std::string text = R"({"version":2,"profiles":[{"tokenName":"New","grantType":"device_code"}]})";
    const StorageDocument document = DecodeDocument(text);
    CHECK(document.status == DocumentStatus::NewerVersion);
    CHECK(document.version == 2);
    CHECK(document.rawText == text);
    REQUIRE(document.profiles.size() == 1);
    CHECK(document.profiles[0].grantType == oauth::GrantType::DeviceCode);
    CHECK(document.message ==
          "The saved profiles were written by a newer version of this page (document version "
          "2); they are shown but will not be overwritten.");
    CHECK(MustNotOverwrite(document));
}

TEST_CASE("Wrong types inside a document are reported, the rest is read", "[storage]") {
    const std::string text = R"({"profiles":[{"tokenName":"A","clientId":7},"oops",{"tokenName":"B"}]})";
    const StorageDocument document = DecodeDocument(text);
    CHECK(document.status == DocumentStatus::Ok);
    CHECK_FALSE(MustNotOverwrite(document));
    REQUIRE(document.profiles.size() == 2);
    CHECK(document.profiles[0].tokenName == "A");
    CHECK(document.profiles[1].tokenName == "B");
    CHECK(test::Lines(document.problems) ==
          test::Lines_t{"version: missing; read as version 1.",
                        "profiles[0].clientId: expected a string, found number; the default was used.",
                        "profiles[1]: expected an object, found string; this entry was skipped."});
    CHECK(document.message ==
          "Some saved values could not be read and took their defaults; see the details.");
}
