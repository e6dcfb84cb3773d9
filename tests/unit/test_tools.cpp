// The tools (src/app/tools.cpp) against FakePlatform, as the page drives them: discovery, revocation,
// introspection, export and import of all profiles, and the cURL copy. Each asserts the request sent,
// the whole sentence shown, and what was changed and saved.
#include "controller_harness.h"
#include "test_helpers.h"

#include "core/profiles_export.h"
#include "core/storage.h"

#include <catch2/catch.hpp>

#include <string>

using app::Intent;
using json = nlohmann::json;
using oauth::test::Harness;
using oauth::test::Header;
using oauth::test::T0;

namespace {

const char* const kDocumentUrl = "https://id.example.com/.well-known/openid-configuration";

json Document(const std::string& issuer = "https://id.example.com") {
    return {{"issuer", issuer},
            {"authorization_endpoint", "https://id.example.com/auth"},
            {"token_endpoint", "https://id.example.com/oauth/token"},
            {"revocation_endpoint", "https://id.example.com/oauth/revoke"},
            {"introspection_endpoint", "https://id.example.com/oauth/introspect"},
            {"response_types_supported", {"code"}}};
}

oauth::Profile Discoverable() {
    oauth::Profile p = oauth::test::AuthorizationCodeProfile();
    p.discoveryUrl = "https://id.example.com";
    return p;
}

} // namespace

TEST_CASE("Discovery fills in the endpoints from the provider's metadata", "[tools][discovery]") {
    Harness h(Discoverable());
    const std::string storedBefore = h.stored(); // loading saves the document (ids assigned)
    REQUIRE_FALSE(storedBefore.empty());
    h.intent(Intent::Discover);
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(h.request(0).method == "GET");
    CHECK(h.request(0).url == kDocumentUrl);
    CHECK(Header(h.request(0), "Authorization") == "<missing>"); // a public document
    CHECK(h.state.discovering);
    CHECK(h.state.status == "Reading the provider's metadata…");

    SECTION("a document of the expected issuer is applied and saved") {
        REQUIRE(h.platform.respond(0, 200, Document().dump()));
        CHECK_FALSE(h.state.discovering);
        CHECK(h.state.status == "Endpoints filled in from the provider's metadata.");
        CHECK(h.selected().authorizationUrl == "https://id.example.com/auth");
        CHECK(h.selected().accessTokenUrl == "https://id.example.com/oauth/token");
        CHECK(h.selected().revocationUrl == "https://id.example.com/oauth/revoke");
        CHECK(h.selected().introspectionUrl == "https://id.example.com/oauth/introspect");
        REQUIRE(h.state.discovery);
        CHECK(h.state.discovery->metadata.issuer == "https://id.example.com");
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].accessTokenUrl ==
              "https://id.example.com/oauth/token");
    }
    SECTION("a body that is not JSON changes nothing") {
        REQUIRE(h.platform.respond(0, 200, "<html></html>", {{"Content-Type", "text/html"}}));
        CHECK(h.state.status ==
              "Discovery failed: The discovery URL answered HTTP 200 with a body that is not "
              "JSON; check the Issuer / discovery URL.");
        CHECK(h.selected().accessTokenUrl == "https://id.example.com/token");
        CHECK_FALSE(h.state.discovery);
        CHECK(h.stored() == storedBefore);
    }
    SECTION("a document of another issuer is refused and nothing is applied") {
        REQUIRE(h.platform.respond(0, 200, Document("https://login.example.com").dump()));
        CHECK(h.state.status ==
              "Discovery failed: The discovery document names issuer \"https://login.example.com\", not the "
              "expected \"https://id.example.com\" (OpenID Connect Discovery 1.0 section 4.3); its endpoints "
              "were not used.");
        CHECK(h.selected().authorizationUrl == "https://id.example.com/authorize");
        CHECK(h.selected().accessTokenUrl == "https://id.example.com/token");
        CHECK_FALSE(h.state.discovery);
        CHECK(h.stored() == storedBefore);
    }
    SECTION("an answer for a profile no longer selected is not applied to the selected one") {
        h.intent(Intent::New);
        REQUIRE(h.platform.respond(0, 200, Document().dump()));
        CHECK_FALSE(h.state.discovering);
        CHECK(h.selected().accessTokenUrl.empty());
        CHECK(h.state.profiles[0].accessTokenUrl == "https://id.example.com/token");
    }
}

TEST_CASE("Discovery asks for the Issuer first and sends nothing without it", "[tools][discovery]") {
    Harness h(oauth::test::AuthorizationCodeProfile());
    h.intent(Intent::Discover);
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.status ==
          "Type the provider's issuer (or its .well-known URL) into Issuer / Discovery URL first.");
}

namespace {

oauth::Profile Connected() {
    oauth::Profile p = oauth::test::WithToolEndpoints(oauth::test::ClientCredentialsProfile());
    p.state = oauth::ProfileState::Connected;
    p.lastToken = {{"access_token", "at-1"},
                   {"refresh_token", "rt-1"},
                   {"token_type", "Bearer"},
                   {"expires_in", 3600},
                   {"obtained_at", 1'700'000'000}};
    return p;
}

} // namespace

TEST_CASE("Revocation sends the token to the revocation endpoint and marks it revoked",
          "[tools][revocation]") {
    Harness h(Connected());
    const std::string revoked =
        "The revocation endpoint answered HTTP 200: the token is revoked, or was already "
        "invalid (RFC 7009 section 2.2).";

    SECTION("the access token: no longer Connected, no countdown") {
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(h.request(0).url == "https://id.example.com/revoke");
        CHECK(h.request(0).body == "token=at-1&token_type_hint=access_token");
        CHECK(Header(h.request(0), "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
        CHECK(h.state.status == "Revoking the token…");
        h.platform.clock = T0 + 5;
        REQUIRE(h.platform.respond(0, 200, ""));
        CHECK(h.state.status == revoked);
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK(h.selected().lastToken.at(app::kRevokedAtKey) == 1'700'000'005);
        CHECK(h.snapshot()["revoked"] == true);
        CHECK(h.controller.nextTimerMs() == -1);
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].lastToken.contains(app::kRevokedAtKey));
    }
    SECTION("the refresh token is dropped, the access token kept") {
        h.intent(Intent::Revoke, -1, "refresh_token");
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(h.request(0).body == "token=rt-1&token_type_hint=refresh_token");
        REQUIRE(h.platform.respond(0, 200, ""));
        CHECK(h.state.status == revoked);
        CHECK_FALSE(h.selected().lastToken.contains("refresh_token"));
        CHECK(h.selected().lastToken.at("access_token") == "at-1");
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
    SECTION("a refusal leaves the token as it was") {
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.respond(0, 400, R"({"error":"unsupported_token_type"})"));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK_FALSE(h.selected().lastToken.contains(app::kRevokedAtKey));
    }
}

TEST_CASE("Introspection shows what the provider says about the access token", "[tools][introspection]") {
    Harness h(Connected());
    h.intent(Intent::Introspect);
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(h.request(0).url == "https://id.example.com/introspect");
    CHECK(h.request(0).body == "token=at-1&token_type_hint=access_token");
    CHECK(h.state.status == "Asking the provider about the token…");

    SECTION("active") {
        REQUIRE(h.platform.respond(0, 200, R"({"active":true,"scope":"api.read"})"));
        CHECK(h.state.status == "The token is active (RFC 7662 section 2.2).");
        CHECK(h.state.introspectionText == "{\n  \"active\": true,\n  \"scope\": \"api.read\"\n}");
    }
    SECTION("an answer without active is shown as it came") {
        REQUIRE(h.platform.respond(0, 200, R"({"scope":"api.read"})"));
        CHECK(h.state.introspectionText == R"({"scope":"api.read"})");
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
}

TEST_CASE("Export All downloads every profile, secrets left out unless asked", "[tools][export]") {
    Harness h;
    h.load({Connected(), oauth::test::PasswordProfile()});
    h.state.profiles[1].tokenName = "Second";

    SECTION("without secrets") {
        h.intent(Intent::ExportAll);
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].fileName == "oauth-setup-profiles.json");
        CHECK(h.platform.downloads[0].mimeType == "application/json");
        CHECK(h.platform.downloads[0].text == oauth::ExportProfiles(h.state.profiles, false));
        CHECK(h.platform.downloads[0].text.find("s3cret") == std::string::npos);
        CHECK(h.state.status == "Exported 2 profiles (secrets and tokens left out).");
    }
    SECTION("with secrets") {
        h.state.includeSecretsInExportAll = true;
        h.intent(Intent::ExportAll);
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].text == oauth::ExportProfiles(h.state.profiles, true));
        CHECK(h.state.status == "Exported 2 profiles with their secrets and tokens.");
    }
}

TEST_CASE("An import that moves a profile to another token endpoint drops its credentials",
          "[tools][import]") {
    Harness h(Connected());
    oauth::Profile moved = Connected();
    moved.accessTokenUrl = "https://other.example/token";
    h.intent(Intent::Import);
    REQUIRE(h.platform.choose("moved.json", oauth::ExportProfiles({moved}, false)));
    CHECK(h.state.status ==
          "Imported 1 profile: 1 updated (Demo). The token endpoint, client ID or issuer of "
          "Demo changed, so the secret, password and tokens kept from before were dropped.");
    CHECK(h.selected().accessTokenUrl == "https://other.example/token");
    CHECK(h.selected().clientSecret == "");
    CHECK(h.selected().lastToken.is_null());
    CHECK(h.stored().find("s3cret") == std::string::npos);
    REQUIRE(h.state.droppedOnImport.size() == 1);

    SECTION("a file that is not JSON imports nothing and says so") {
        h.intent(Intent::Import);
        REQUIRE(h.platform.choose("notes.txt", "hello"));
        CHECK(h.state.status.rfind("Nothing imported from notes.txt: ", 0) == 0);
        CHECK(h.selected().accessTokenUrl == "https://other.example/token");
    }
}

TEST_CASE("Copy as cURL copies the token request, secrets masked unless revealed", "[tools][export]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    h.intent(Intent::CopyCurl);
    REQUIRE(h.platform.clipboard.size() == 1);
    CHECK(h.platform.clipboard[0].find("s3cret") == std::string::npos);
    CHECK(h.platform.clipboard[0].find("https://id.example.com/token") != std::string::npos);
    CHECK(h.state.status == "The token request was copied as a cURL command (secrets masked).");
    CHECK(h.state.copied == "Copy as cURL");
    h.intent(Intent::Edited);
    CHECK(h.state.copied.empty()); // "Copied" lasts until the next action
}
