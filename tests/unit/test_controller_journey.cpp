// app::Controller, issue 9 "Presets and placeholders" and "Nothing stale, nothing misleading":
// the placeholder form, provider fixes in the status sentence, revocation marking the token, an
// import without a token, and a "Not sent" that hides the older outcome.
#include "app/controller.h"

#include "core/presets.h"
#include "core/profiles_export.h"
#include "core/storage.h"

#include "controller_harness.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

using app::Intent;
using oauth::test::Harness;
using oauth::test::kTokenBody;

namespace {

oauth::Profile EntraProfile() {
    oauth::Profile p =
        oauth::ProfileFromPreset(*oauth::FindPreset("entra"), "Entra", "https://app.example.com/cb");
    p.clientId = "11111111-2222-3333-4444-555555555555";
    return p;
}

} // namespace

TEST_CASE("The placeholder form fills {tenant} into every URL once, and says so",
          "[controller][placeholders]") {
    Harness h;
    h.load({EntraProfile()});
    CHECK(h.snapshot()["placeholders"] == nlohmann::json::array({"tenant"}));
    SECTION("nothing typed: nothing changes, and the form says what is missing") {
        h.intent(Intent::FillPlaceholders);
        CHECK(h.state.placeholderError == "Type a value for {tenant} first.");
        CHECK(h.selected().accessTokenUrl == "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");
    }
    SECTION("a value with a slash is refused") {
        h.state.placeholderDrafts["tenant"] = "contoso/x";
        h.intent(Intent::FillPlaceholders);
        CHECK(h.state.placeholderError == "The value for {tenant} may hold only letters, digits, '.', '-' "
                                          "and '_' (it goes into a host name "
                                          "or a path segment); \"/\" is not allowed.");
        CHECK(h.snapshot()["placeholders"] == nlohmann::json::array({"tenant"}));
    }
    SECTION("a good value goes everywhere, the Discovery URL included, and is saved") {
        h.state.placeholderDrafts["tenant"] = "contoso.onmicrosoft.com";
        h.intent(Intent::FillPlaceholders);
        CHECK(h.state.status == "Filled {tenant} = contoso.onmicrosoft.com in 4 URLs.");
        CHECK(h.selected().discoveryUrl == "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0");
        CHECK(h.snapshot()["placeholders"] == nlohmann::json::array());
        CHECK(oauth::DecodeDocument(h.platform.storage[app::kStorageKey]).profiles[0].accessTokenUrl ==
              "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        h.intent(Intent::GetToken);
        CHECK(h.platform.popupsOpened.size() == 1);
    }
}

TEST_CASE("A placeholder in a field the grant does not use never blocks it", "[controller][placeholders]") {
    Harness h;
    oauth::Profile p = EntraProfile();
    oauth::FillPlaceholder(p, "tenant", "contoso");
    p.deviceAuthorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode";
    p.discoveryUrl = "https://login.microsoftonline.com/{tenant}/v2.0";
    h.load({p});
    h.intent(Intent::GetToken);
    CHECK(h.platform.popupsOpened.size() == 1);
    CHECK(h.state.status == "Waiting for you to sign in and consent in the popup window…");
}

TEST_CASE("Discover refuses a URL that still holds a placeholder, and names it",
          "[controller][placeholders]") {
    Harness h;
    h.load({EntraProfile()});
    h.intent(Intent::Discover);
    CHECK(h.state.status == "Not sent: Replace {tenant} in the Issuer / discovery URL with your value.");
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.log.entries.empty());
}

TEST_CASE("A provider's error code puts its fix into the status sentence", "[controller][provider_errors]") {
    Harness h;
    oauth::Profile p = EntraProfile();
    p.grantType = oauth::GrantType::ClientCredentials;
    p.clientSecret = "8b1e0c7d-secret-id";
    oauth::FillPlaceholder(p, "tenant", "contoso");
    h.load({p});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.fetches.size() == 1);
    REQUIRE(h.platform.respond(
        0, 401,
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '11111111-2222-3333-4444-555555555555'.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-12-01 10:00:00Z","error_codes":[7000215],"timestamp":"2026-12-01 10:00:00Z","trace_id":"t","correlation_id":"c","error_uri":"https://login.microsoftonline.com/error?code=7000215"})"));
    const std::string fix =
        " Fix (AADSTS7000215): put the client secret's Value (shown once, when it is created) in Client "
        "Secret, "
        "not its Secret ID; create a new secret under Certificates & secrets if the Value is lost.";
    REQUIRE(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.selected().lastError.size() > fix.size());
    CHECK(h.selected().lastError.substr(h.selected().lastError.size() - fix.size()) == fix);
    CHECK(h.state.status == h.selected().lastError);
    CHECK(h.snapshot()["outcome"] == h.selected().lastError);
}

TEST_CASE("A Not sent replaces the older error and flow instead of sitting under them", "[controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(0, 401, R"({"error":"invalid_client"})"));
    REQUIRE(h.selected().state == oauth::ProfileState::Error);
    CHECK(h.snapshot()["flow"].size() > 0);
    h.selected().accessTokenUrl = "";
    h.intent(Intent::GetToken);
    CHECK(h.state.status == "Not sent: Access Token URL is required.");
    CHECK(h.selected().state ==
          oauth::ProfileState::Error); // the State keeps its value: nothing new was decided
    CHECK(h.snapshot()["outcome"] == "Not sent: Access Token URL is required.");
    CHECK(h.snapshot()["flow"] == nlohmann::json::array());
    CHECK(h.state.errorDetails.empty());
    SECTION("selecting the profile again shows its last error, once") {
        h.intent(Intent::Select, 0);
        CHECK(h.snapshot()["outcome"] == h.selected().lastError);
    }
}

TEST_CASE("Revoking the access token marks it revoked and the profile no longer Connected", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::WithToolEndpoints(oauth::test::ClientCredentialsProfile());
    p.autoRefresh = true;
    h.load({p});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(0, 200, kTokenBody));
    REQUIRE(h.selected().state == oauth::ProfileState::Connected);
    h.intent(Intent::Introspect);
    REQUIRE(h.platform.respond(1, 200, R"({"active":true})"));
    REQUIRE_FALSE(h.state.introspectionText.empty());
    CHECK(h.controller.nextTimerMs() > 0); // the countdown runs

    SECTION("the access token") {
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.respond(2, 200, ""));
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK(h.selected().lastToken.contains("revoked_at"));
        CHECK(h.state.introspectionText.empty());
        CHECK(h.snapshot()["revoked"] == true);
        CHECK(h.controller.nextTimerMs() == -1); // no countdown, no auto-refresh
        h.platform.clock += 3590;
        h.state.now = h.platform.clock;
        h.controller.tick();
        CHECK(h.platform.fetches.size() == 3); // auto-refresh did not run
    }
    SECTION("the refresh token: Refresh is no longer offered") {
        h.intent(Intent::Revoke, -1, "refresh_token");
        REQUIRE(h.platform.respond(2, 200, ""));
        CHECK_FALSE(h.selected().lastToken.contains("refresh_token"));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
    SECTION("a refused revocation changes nothing") {
        h.intent(Intent::Revoke, -1, "access_token");
        REQUIRE(h.platform.respond(2, 400, R"({"error":"unsupported_token_type"})"));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK_FALSE(h.selected().lastToken.contains("revoked_at"));
    }
}

TEST_CASE("An imported or stored profile without a token is never Connected", "[controller]") {
    Harness h;
    oauth::Profile stored = oauth::test::ClientCredentialsProfile();
    stored.state = oauth::ProfileState::Connected; // a token that was left out of the file or the storage
    h.load({stored});
    CHECK(h.selected().state == oauth::ProfileState::None);
    h.intent(Intent::Import);
    oauth::Profile other = oauth::test::PasswordProfile();
    other.tokenName = "Imported";
    other.state = oauth::ProfileState::Connected;
    REQUIRE(h.platform.choose("profiles.json", oauth::ExportProfiles({other}, false)));
    REQUIRE(h.state.profiles.size() == 2);
    CHECK(h.state.profiles[1].state == oauth::ProfileState::None);
}

TEST_CASE("Copy buttons confirm what they copied", "[controller]") {
    Harness h;
    h.load({oauth::test::AuthorizationCodeProfile()});
    h.intent(Intent::Copy, app::kCopyRedirectUrl, "https://app.example.com/callback");
    CHECK(h.platform.clipboard.back() == "https://app.example.com/callback");
    CHECK(h.state.status == "Copied the Redirect URL: register exactly this at the provider.");
    CHECK(h.state.copied == "Copy URL");
    h.intent(Intent::CopyCurl);
    CHECK(h.state.status == "The token request was copied as a cURL command (secrets masked).");
    CHECK(h.state.copied == "Copy as cURL");
    h.intent(Intent::Edited);
    CHECK(h.state.copied == "");
}
