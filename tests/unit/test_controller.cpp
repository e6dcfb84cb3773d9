// app::Controller against FakePlatform, driven the way the frame loop drives it: the UI's intents
// are pushed into state.intents and applied with applyIntents(); timers run from tick() after
// state.now is set; fetches finish only when the test answers them.
#include "app/controller.h"

#include "core/encoding.h"
#include "core/exchange_log.h"
#include "core/export_postman.h"
#include "core/pkce.h"
#include "core/profiles_export.h"
#include "core/storage.h"
#include "core/url.h"

#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

using json = nlohmann::json;
using app::Busy;
using app::Intent;
using oauth::test::FakePlatform;
using oauth::test::Field;
using oauth::test::Harness;
using oauth::test::Header;
using oauth::test::kTokenBody;
using oauth::test::T0;

namespace {

std::vector<std::string> Steps(const oauth::ExchangeLog& log) {
    std::vector<std::string> steps;
    for (const oauth::ExchangeEntry& e : log.entries)
        steps.push_back(e.step);
    return steps;
}

oauth::Profile DeviceProfile() {
    oauth::Profile p = oauth::test::AuthorizationCodeProfile();
    p.grantType = oauth::GrantType::DeviceCode;
    p.clientSecret = ""; // a public client: client_id in the body
    p.deviceAuthorizationUrl = "https://id.example.com/device";
    return p;
}

oauth::Profile Named(oauth::Profile p, const std::string& name) {
    p.tokenName = name;
    return p;
}

const std::string kTransportMessage =
    "The token endpoint did not answer, or refused a call from the browser (CORS); check the Access Token "
    "URL "
    "and that the provider allows this page's origin for a browser (single-page) client.";
const std::string kRelayHint =
    " If the provider refuses browsers, turn on \"Use CORS relay\" (needs serve.py --relay).";

// A Postman collection (secrets included) of the sample Authorization Code client, named
// "From Postman".
std::string FromPostmanCollection() {
    oauth::Profile postman = oauth::test::AuthorizationCodeProfile();
    postman.tokenName = "From Postman";
    return oauth::ExportPostmanCollection(postman, true);
}

} // namespace

// ---- Loading -------------------------------------------------------------------------------------

TEST_CASE("The controller starts with one New Profile when nothing is stored", "[controller]") {
    Harness h;
    h.load();
    REQUIRE(h.state.profiles.size() == 1);
    CHECK(h.state.profiles[0].tokenName == "New Profile");
    CHECK(h.state.profiles[0].redirectUrl == "http://127.0.0.1:8000/callback.html");
    CHECK(h.state.profiles[0].grantType == oauth::GrantType::AuthorizationCode);
    CHECK(h.state.selected == 0);
    CHECK(h.state.nameDraft == "New Profile");
    CHECK(h.state.storageBanner.empty());
    CHECK_FALSE(h.state.hasBackup);
    CHECK(h.platform.writes.empty()); // loading alone writes nothing
}

TEST_CASE("The controller restores the stored profiles, the selected one and the timeout", "[controller]") {
    Harness h;
    h.platform.storage[app::kSelectedKey] = "Second";
    h.platform.storage[app::kTimeoutKey] = "45";
    h.load({oauth::test::ClientCredentialsProfile(), Named(oauth::test::PasswordProfile(), "Second")});
    REQUIRE(h.state.profiles.size() == 2);
    CHECK(h.state.selected == 1);
    CHECK(h.state.nameDraft == "Second");
    CHECK(h.state.timeoutSeconds == 45);
    CHECK(h.state.profiles[1].username == "alice");

    SECTION("a timeout out of range is ignored") {
        Harness other;
        other.platform.storage[app::kTimeoutKey] = "0";
        other.load();
        CHECK(other.state.timeoutSeconds == 30);
    }
}

TEST_CASE("The controller keeps unreadable stored text under a backup key before saving over it",
          "[controller]") {
    const std::string broken = R"({"version":1,"profiles":[{"tokenName":"A"})";
    const std::string notJson =
        "The saved profiles are not valid JSON; the text was kept as it is and will not be overwritten.";
    Harness h;
    h.platform.storage[app::kStorageKey] = broken;

    SECTION("the first backup goes under oauth-setup:backup and later edits are saved") {
        h.load();
        CHECK(h.state.storageBanner ==
              notJson + " The stored text was kept under the key \"oauth-setup:backup\"; download it below.");
        CHECK(h.state.hasBackup);
        CHECK(h.platform.storage.at("oauth-setup:backup") == broken);
        REQUIRE(h.state.profiles.size() == 1);
        CHECK(h.state.profiles[0].tokenName == "New Profile");
        CHECK(h.stored() == broken); // nothing overwritten until the person changes something

        h.selected().clientId = "typed";
        h.intent(Intent::Edited);
        h.idle();
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(h.platform.storage.at("oauth-setup:backup") == broken);

        h.intent(Intent::DownloadBackup);
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].fileName == "oauth-setup-unreadable-storage.txt");
        CHECK(h.platform.downloads[0].mimeType == "text/plain");
        CHECK(h.platform.downloads[0].text == broken);
    }

    SECTION("a backup of the same text is not written again") {
        h.platform.storage["oauth-setup:backup"] = broken;
        h.load();
        CHECK(h.state.hasBackup);
        CHECK(h.platform.writesTo("oauth-setup:backup") == 0);
        CHECK(h.state.storageBanner ==
              notJson + " The stored text was kept under the key \"oauth-setup:backup\"; download it below.");
    }

    SECTION("an older backup of different text is left alone: this one gets a key with the time") {
        h.platform.storage["oauth-setup:backup"] = "older unreadable text";
        h.load();
        CHECK(h.platform.storage.at("oauth-setup:backup") == "older unreadable text");
        CHECK(h.platform.storage.at("oauth-setup:backup:1700000000") == broken);
        CHECK(h.state.storageBanner ==
              notJson + " The stored text was kept under the key \"oauth-setup:backup:1700000000\"; "
                        "download it below.");
        h.intent(Intent::DownloadBackup);
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].text == broken);
    }

    SECTION("when the backup cannot be written, nothing is ever saved over the stored text") {
        h.platform.failingKeys = {"oauth-setup:backup"};
        h.load();
        CHECK_FALSE(h.state.hasBackup);
        CHECK(h.state.storageBanner == notJson + " It could not be backed up, so changes are not saved.");
        h.selected().clientId = "typed";
        h.intent(Intent::Edited);
        h.intent(Intent::New);
        h.intent(Intent::Rename, -1, "Renamed");
        CHECK(h.state.profiles.size() == 2);
        CHECK(h.platform.writesTo(app::kStorageKey) == 0);
        CHECK(h.stored() == broken);
    }

    SECTION("a document from a newer version is shown and backed up too") {
        const std::string newer = R"({"version":2,"profiles":[{"tokenName":"Future"}]})";
        h.platform.storage[app::kStorageKey] = newer;
        h.load();
        REQUIRE(h.state.profiles.size() == 1);
        CHECK(h.state.profiles[0].tokenName == "Future");
        CHECK(h.platform.storage.at("oauth-setup:backup") == newer);
        CHECK(h.state.hasBackup);
    }
}

// ---- Profiles ------------------------------------------------------------------------------------

TEST_CASE("The controller creates, duplicates, deletes, selects and renames profiles and saves each change",
          "[controller]") {
    Harness h;
    oauth::Profile demo = oauth::test::ClientCredentialsProfile();
    demo.state = oauth::ProfileState::Connected;
    demo.lastToken = json{{"access_token", "at-0"}, {"obtained_at", 1}};
    h.load({demo, Named(oauth::test::PasswordProfile(), "Other")});
    REQUIRE(h.state.selected == 0);

    SECTION("New adds a unique New Profile and selects it") {
        h.intent(Intent::New);
        REQUIRE(h.state.profiles.size() == 3);
        CHECK(h.state.profiles[2].tokenName == "New Profile");
        CHECK(h.state.profiles[2].redirectUrl == "http://127.0.0.1:8000/callback.html");
        CHECK(h.state.selected == 2);
        CHECK(h.state.nameDraft == "New Profile");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(h.platform.storage.at(app::kSelectedKey) == "New Profile");
        h.intent(Intent::New);
        CHECK(h.state.profiles[3].tokenName == "New Profile 2");
    }

    SECTION("Duplicate copies the settings but not the token, state or error") {
        h.intent(Intent::Duplicate);
        REQUIRE(h.state.profiles.size() == 3);
        const oauth::Profile& copy = h.state.profiles[2];
        CHECK(copy.tokenName == "Demo copy");
        CHECK(copy.clientSecret == "s3cret");
        CHECK(copy.accessTokenUrl == "https://id.example.com/token");
        CHECK(copy.state == oauth::ProfileState::None);
        CHECK(copy.lastToken.is_null());
        CHECK(h.state.selected == 2);
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        h.intent(Intent::Select, 0);
        h.intent(Intent::Duplicate);
        CHECK(h.state.profiles[3].tokenName == "Demo copy 2");
    }

    SECTION("Delete removes the profile; deleting the last one leaves a New Profile") {
        h.intent(Intent::Delete, 0);
        REQUIRE(h.state.profiles.size() == 1);
        CHECK(h.state.profiles[0].tokenName == "Other");
        CHECK(h.state.selected == 0);
        CHECK(h.state.nameDraft == "Other");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        h.intent(Intent::Delete, 0);
        REQUIRE(h.state.profiles.size() == 1);
        CHECK(h.state.profiles[0].tokenName == "New Profile");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        h.intent(Intent::Delete, 7); // out of range: nothing happens
        CHECK(h.state.profiles.size() == 1);
    }

    SECTION("Select switches the profile, clears this session's messages and remembers the choice") {
        h.state.status = "Something earlier.";
        h.state.nameError = "old error";
        h.state.errorDetails.push_back({"error", "x"});
        h.intent(Intent::Select, 1);
        CHECK(h.state.selected == 1);
        CHECK(h.state.nameDraft == "Other");
        CHECK(h.state.status.empty());
        CHECK(h.state.nameError.empty());
        CHECK(h.state.errorDetails.empty());
        CHECK(h.platform.storage.at(app::kSelectedKey) == "Other");
        h.intent(Intent::Select, 5);
        CHECK(h.state.selected == 1);
    }

    SECTION("Rename applies a valid name and saves it once the frame loop goes idle") {
        const std::string before = h.stored();
        h.intent(Intent::Rename, -1, "Renamed");
        CHECK(h.selected().tokenName == "Renamed");
        CHECK(h.state.nameError.empty());
        CHECK(h.stored() == before);
        h.idle();
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].tokenName == "Renamed");
    }

    SECTION("Rename refuses a name another profile has, whatever its case") {
        const std::string before = h.stored();
        h.intent(Intent::Rename, -1, "oTHER");
        CHECK(h.state.nameError == "Token Name must be unique: another profile is already named \"Other\".");
        CHECK(h.selected().tokenName == "Demo");
        CHECK(h.state.nameDraft == "oTHER");
        CHECK(h.stored() == before);

        h.intent(Intent::Rename, -1, "Demo 2");
        CHECK(h.state.nameError.empty());
        CHECK(h.selected().tokenName == "Demo 2");
    }

    SECTION("Rename refuses an empty name") {
        h.intent(Intent::Rename, -1, "");
        CHECK(h.state.nameError == "Token Name is required.");
        CHECK(h.selected().tokenName == "Demo");
        h.intent(Intent::Rename, -1, "   ");
        CHECK(h.state.nameError == "Token Name is required.");
        CHECK(h.selected().tokenName == "Demo");
    }

    SECTION("Edited saves the document exactly as EncodeDocument writes the profiles") {
        h.selected().scopes = "a b c";
        h.selected().useRelay = true;
        h.intent(Intent::Edited);
        h.idle();
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].scopes == "a b c");
    }

    SECTION("the timeout is clamped and stored") {
        h.state.timeoutSeconds = 900;
        h.intent(Intent::TimeoutChanged);
        CHECK(h.state.timeoutSeconds == 600);
        CHECK(h.platform.storage.at(app::kTimeoutKey) == "600");
    }
}

TEST_CASE("The controller keeps profiles in memory when the browser refuses to store them", "[controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    const std::string before = h.stored();
    h.platform.failingKeys = {app::kStorageKey};

    h.intent(Intent::New);
    CHECK(h.state.storageBanner ==
          "Changes are not saved: the browser refused to store them (QuotaExceededError: the quota has been "
          "exceeded). They stay on this page until it is closed.");
    REQUIRE(h.state.profiles.size() == 2);
    CHECK(h.state.profiles[1].tokenName == "New Profile");
    CHECK(h.stored() == before);

    SECTION("the banner goes once a save succeeds again") {
        h.platform.failingKeys.clear();
        h.intent(Intent::Edited);
        CHECK_FALSE(h.state.storageBanner.empty()); // not written yet
        CHECK(h.controller.flushEdits());           // the banner changes: a frame is wanted
        CHECK(h.state.storageBanner.empty());
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
    }
}

TEST_CASE("The controller keeps top-level keys of the stored document it does not know", "[controller]") {
    // A newer page's document keys survive this page's saves (found dropped before 4b315d0).
    Harness h;
    h.platform.storage[app::kStorageKey] = R"({"version":1,"savedBy":"v1.2","profiles":[{"tokenName":"A"}]})";
    h.load();
    h.selected().clientId = "typed";
    h.intent(Intent::Edited);
    h.idle();
    const json written = json::parse(h.stored());
    CHECK(written.contains("savedBy"));
}

// ---- Client credentials --------------------------------------------------------------------------

TEST_CASE("The controller runs the client credentials grant with one token request", "[controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::GetToken);

    REQUIRE(h.platform.fetches.size() == 1);
    const oauth::HttpRequest& r = h.request(0);
    CHECK(r.method == "POST");
    CHECK(r.url == "https://id.example.com/token");
    CHECK(r.body == "grant_type=client_credentials&scope=api.read+api.write");
    CHECK(Header(r, "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
    CHECK(Header(r, "Content-Type") == "application/x-www-form-urlencoded");
    CHECK(h.platform.fetches[0].timeoutMs == 30000);
    CHECK(h.state.attempt.busy == Busy::Exchanging);
    CHECK(h.state.attempt.profileName == "Demo");
    CHECK(h.state.status == "Requesting a token (Client Credentials)…");
    REQUIRE(h.state.log.entries.size() == 1);
    CHECK(h.state.log.entries[0].step == "Token request");
    CHECK_FALSE(h.state.log.entries[0].finished);

    SECTION("a token answer connects the profile and is saved") {
        h.platform.clock = T0 + 2.7;
        REQUIRE(h.platform.respond(0, 200, kTokenBody));
        const oauth::Profile& p = h.selected();
        CHECK(p.state == oauth::ProfileState::Connected);
        CHECK(p.lastError.empty());
        CHECK(p.lastToken.at("access_token") == "at-1");
        CHECK(p.lastToken.at("refresh_token") == "rt-1");
        CHECK(p.lastToken.at("obtained_at") == 1700000002);
        CHECK(h.state.status == "Connected: Bearer token was issued, valid for 3600 s.");
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.state.rawResponse == kTokenBody);
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].lastToken.at("access_token") == "at-1");
        CHECK(h.state.log.entries[0].finished);
        CHECK_FALSE(h.state.log.entries[0].failed);
    }

    SECTION("invalid_client is an Error with the endpoint's explanation") {
        REQUIRE(h.platform.respond(0, 401, R"({"error":"invalid_client","error_description":"bad secret"})"));
        // The provider's own error_description is quoted after the explanation.
        const std::string message =
            "The token endpoint did not accept the client's credentials (invalid_client); "
            "check Client ID, Client Secret and Client Authentication. The provider says: \"bad secret\"";
        const oauth::Profile& p = h.selected();
        CHECK(p.state == oauth::ProfileState::Error);
        CHECK(p.lastError == message);
        CHECK(h.state.status == message);
        CHECK(p.lastToken.is_null());
        CHECK(h.state.attempt.busy == Busy::None);
        bool hasCode = false, hasDescription = false;
        for (const oauth::Detail& d : h.state.errorDetails) {
            hasCode = hasCode || (d.label == "error" && d.value == "invalid_client");
            hasDescription = hasDescription || (d.label == "error_description" && d.value == "bad secret");
        }
        CHECK(hasCode);
        CHECK(hasDescription);
        CHECK(oauth::DecodeDocument(h.stored()).profiles[0].lastError == message);
        CHECK(h.state.log.entries[0].failed);
    }

    SECTION("no HTTP answer is explained as a network or CORS failure with the relay hint") {
        REQUIRE(h.platform.failTransport(0, "TypeError: Failed to fetch"));
        const oauth::Profile& p = h.selected();
        CHECK(p.state == oauth::ProfileState::Error);
        CHECK(p.lastError == kTransportMessage + kRelayHint);
        CHECK(p.lastError.find("CORS") != std::string::npos);
        bool hasBrowserMessage = false;
        for (const oauth::Detail& d : h.state.errorDetails)
            hasBrowserMessage = hasBrowserMessage ||
                                (d.label == "Browser message" && d.value == "TypeError: Failed to fetch");
        CHECK(hasBrowserMessage);
        CHECK(h.state.log.entries[0].failed);
        CHECK(h.state.log.entries[0].transportError == "TypeError: Failed to fetch");
    }

    SECTION("Cancel stops the request and a late answer changes nothing") {
        h.intent(Intent::Cancel);
        CHECK(h.state.status == "Cancelled.");
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.platform.fetches[0].cancelled);
        CHECK_FALSE(h.platform.respond(0, 200, kTokenBody));        // the platform drops it...
        CHECK(h.platform.respondDespiteCancel(0, 200, kTokenBody)); // ...and if it came anyway:
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK(h.selected().lastToken.is_null());
        CHECK(h.state.status == "Cancelled.");
    }

    SECTION("Get Access Token again replaces the request in flight") {
        h.intent(Intent::GetToken);
        REQUIRE(h.platform.fetches.size() == 2);
        CHECK(h.platform.fetches[0].cancelled);
        CHECK(h.platform.respond(1, 200, kTokenBody));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
}

TEST_CASE("The controller sends nothing while the profile has validation errors", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.clientId = "";
    h.load({p});
    h.intent(Intent::GetToken);
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.status.rfind("Not sent:", 0) == 0);
    CHECK(h.state.status == "Not sent: Client ID is required.");
    CHECK(h.state.showAllErrors);
    CHECK(h.state.attempt.busy == Busy::None);
    CHECK(h.selected().state == oauth::ProfileState::None);
    CHECK(h.state.log.entries.empty());

    SECTION("several problems are counted") {
        h.selected().accessTokenUrl = "";
        h.intent(Intent::GetToken);
        CHECK(h.state.status.rfind("Not sent: ", 0) == 0);
        CHECK(h.state.status.find(" (and 1 more, marked above)") != std::string::npos);
        CHECK(h.platform.fetches.empty());
    }
}

// ---- Authorization code --------------------------------------------------------------------------

TEST_CASE("The controller runs the authorization code grant through the popup and the callback",
          "[controller]") {
    Harness h;
    h.load({oauth::test::AuthorizationCodeProfile()});
    const std::string redirect = "https://app.example.com/callback";

    SECTION("a callback without a pending attempt is ignored") {
        h.controller.onCallback(redirect + "?code=abc&state=whatever");
        CHECK(h.platform.fetches.empty());
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK(h.state.status.empty());
        CHECK(h.state.log.entries.empty());
        CHECK(h.platform.popupCloses == 0);
        return;
    }

    SECTION("a blocked popup asks for Retry, which opens it") {
        h.platform.blockPopups = true;
        h.intent(Intent::GetToken);
        CHECK(h.state.popupBlocked);
        CHECK(h.state.status ==
              "The browser blocked the consent popup. Allow popups for this page, then press Retry.");
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.platform.popupsBlocked.size() == 1);
        CHECK(h.platform.popupsOpened.empty());
        h.platform.blockPopups = false;
        h.intent(Intent::RetryPopup);
        CHECK_FALSE(h.state.popupBlocked);
        CHECK(h.platform.popupsOpened.size() == 1);
        CHECK(h.state.attempt.busy == Busy::Authorizing);
        return;
    }

    h.intent(Intent::GetToken);
    REQUIRE(h.platform.popupsOpened.size() == 1);
    const std::string url = h.platform.popupsOpened[0];
    const auto parsed = oauth::ParseUrl(url);
    REQUIRE(parsed);
    CHECK(url.rfind("https://id.example.com/authorize?", 0) == 0);
    const std::string state = h.session().requestState();
    const std::string verifier = h.session().codeVerifier();
    // The fake's random bytes count 0, 1, 2, ...: the state takes the first 16.
    CHECK(state == oauth::MakeState(oauth::test::CountingRandom()));
    CHECK(verifier.size() >= 43);
    CHECK(Field(parsed->query.value_or(""), "response_type") == "code");
    CHECK(Field(parsed->query.value_or(""), "client_id") == "client-1");
    CHECK(Field(parsed->query.value_or(""), "redirect_uri") == redirect);
    CHECK(Field(parsed->query.value_or(""), "scope") == "openid profile");
    CHECK(Field(parsed->query.value_or(""), "state") == state);
    CHECK(Field(parsed->query.value_or(""), "code_challenge_method") == "S256");
    CHECK(Field(parsed->query.value_or(""), "code_challenge") == oauth::CodeChallengeS256(verifier));
    CHECK(h.state.attempt.busy == Busy::Authorizing);
    CHECK(h.session().authorizationUrl() == url);
    CHECK(h.state.status == "Waiting for you to sign in and consent in the popup window…");
    CHECK(h.platform.fetches.empty());

    SECTION("the callback's code is exchanged with the code verifier") {
        h.controller.onCallback(redirect + "?code=the-code&state=" + state);
        CHECK(h.platform.popupCloses == 1);
        REQUIRE(h.platform.fetches.size() == 1);
        const oauth::HttpRequest& r = h.request(0);
        CHECK(r.url == "https://id.example.com/token");
        CHECK(Field(r.body, "grant_type") == "authorization_code");
        CHECK(Field(r.body, "code") == "the-code");
        CHECK(Field(r.body, "redirect_uri") == redirect);
        CHECK(Field(r.body, "code_verifier") == verifier);
        CHECK(Header(r, "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
        CHECK(h.state.attempt.busy == Busy::Exchanging);
        CHECK(h.state.status == "Exchanging the authorization code for a token…");
        REQUIRE(h.platform.respond(0, 200, kTokenBody));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(Steps(h.state.log) ==
              std::vector<std::string>{"Authorization request", "Callback", "Token request"});

        SECTION("the same callback again is ignored") {
            h.controller.onCallback(redirect + "?code=the-code&state=" + state);
            CHECK(h.platform.fetches.size() == 1);
            CHECK(h.selected().state == oauth::ProfileState::Connected);
        }
    }

    SECTION("a callback with another state (another tab's sign-in) is ignored and cancels nothing") {
        h.controller.onCallback(redirect + "?code=the-code&state=forged");
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK(h.platform.fetches.empty());
        CHECK(h.state.attempt.busy == Busy::Authorizing);
        CHECK(h.session().requestState() == state);
        CHECK(h.platform.popupCloses == 0);
        CHECK(h.state.status == "Waiting for you to sign in and consent in the popup window…");

        SECTION("this tab's own callback still connects") {
            h.controller.onCallback(redirect + "?code=the-code&state=" + state);
            REQUIRE(h.platform.fetches.size() == 1);
            CHECK(Field(h.request(0).body, "code") == "the-code");
        }
        SECTION("when the popup then closes, the Error says a callback with another state was ignored") {
            h.controller.onPopupClosed();
            const std::string message =
                "The consent window closed, and the only callback that arrived carried another state "
                "(another tab's sign-in, or a forged one), so it was ignored (CSRF protection, RFC 6749 "
                "section 10.12). Press Get Access Token to try again.";
            CHECK(h.selected().state == oauth::ProfileState::Error);
            CHECK(h.selected().lastError == message);
            CHECK(h.platform.fetches.empty());
        }
    }

    SECTION("the code is redeemed with the profile as it was when the attempt began") {
        // Reproduced: with the popup open, the Access Token URL was changed to another server, and the
        // code, the verifier and the secret all went there.
        oauth::Profile& live = h.selected();
        live.accessTokenUrl = "https://attacker.example/token";
        live.clientSecret = "other-secret";
        live.clientAuthentication = oauth::ClientAuthentication::Body;
        live.useRelay = true;
        h.intent(Intent::Edited);
        h.controller.onCallback(redirect + "?code=the-code&state=" + state);
        REQUIRE(h.platform.fetches.size() == 1);
        const oauth::HttpRequest& r = h.request(0);
        CHECK(r.url == "https://id.example.com/token");
        CHECK(Header(r, "Authorization") == "Basic " + oauth::Base64Encode("client-1:s3cret"));
        CHECK(Field(r.body, "client_secret") == "<missing>");
        CHECK(Header(r, "X-OAuth-Setup-Target") == "<missing>");
        CHECK(Field(r.body, "code_verifier") == verifier);
    }

    SECTION("the provider's error is shown with its details") {
        h.controller.onCallback(redirect +
                                "?error=access_denied&error_description=User+said+no&state=" + state);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError == "The resource owner or the authorization server denied the request "
                                        "(access_denied). The provider says: \"User said no\"");
        REQUIRE(h.state.errorDetails.size() == 2);
        CHECK(h.state.errorDetails[1].value == "User said no");
        CHECK(h.platform.fetches.empty());
    }

    SECTION("a closed popup is an Error, and a late callback still resumes the attempt") {
        h.controller.onPopupClosed();
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError == "The consent window was closed before the provider sent you back, so "
                                        "no authorization code arrived. "
                                        "Press Get Access Token to try again.");
        CHECK(h.selected().lastError.find("closed") != std::string::npos);
        CHECK(h.state.attempt.busy == Busy::None);

        SECTION("a late callback with another state is ignored") {
            h.controller.onCallback(redirect + "?code=x&state=forged");
            CHECK(h.platform.fetches.empty());
            CHECK(h.selected().lastError.find("closed") != std::string::npos);
        }
        SECTION("the provider severed the popup: its valid callback connects") {
            h.controller.onCallback(redirect + "?code=late-code&state=" + state);
            REQUIRE(h.platform.fetches.size() == 1);
            CHECK(Field(h.request(0).body, "code") == "late-code");
            CHECK(Field(h.request(0).body, "code_verifier") == verifier);
            CHECK(h.state.attempt.busy == Busy::Exchanging);
            REQUIRE(h.platform.respond(0, 200, kTokenBody));
            CHECK(h.selected().state == oauth::ProfileState::Connected);
            CHECK(h.selected().lastError.empty());
        }
        SECTION("a late callback more than 10 minutes after the popup closed is ignored") {
            h.at(T0 + 601);
            h.controller.onCallback(redirect + "?code=late-code&state=" + state);
            CHECK(h.platform.fetches.empty());
            h.at(T0 + 602);
            h.controller.onCallback(redirect + "?code=late-code&state=" + state);
            CHECK(h.platform.fetches.empty());
        }
        SECTION("a late callback within 10 minutes still resumes it") {
            h.at(T0 + 599);
            h.controller.onCallback(redirect + "?code=late-code&state=" + state);
            CHECK(h.platform.fetches.size() == 1);
        }
        SECTION("a new attempt forgets the closed one") {
            h.intent(Intent::GetToken);
            h.intent(Intent::Cancel);
            h.controller.onCallback(redirect + "?code=late-code&state=" + state);
            CHECK(h.platform.fetches.empty());
        }
    }
}

TEST_CASE("The controller refuses a callback from another issuer than the one the request went to (mix-up)",
          "[controller][mix-up]") {
    // RFC 9700 section 4.4, RFC 9207 section 2.4.
    Harness h;
    oauth::Profile profile = oauth::test::AuthorizationCodeProfile();
    const std::string redirect = "https://app.example.com/callback";
    // Loads `profile`, starts the attempt and answers it with a code and `query` (iss=...).
    const auto callbackWith = [&](const std::string& query) {
        h.load({profile});
        h.intent(Intent::GetToken);
        h.controller.onCallback(redirect + "?code=c&" + query + "&state=" + h.session().requestState());
    };
    // Nothing was redeemed; returns the sentence the profile keeps.
    const auto refusal = [&h] {
        CHECK(h.platform.fetches.empty());
        return h.selected().lastError;
    };

    SECTION("an iss other than the profile's Issuer") {
        profile.issuer = "https://id.example.com";
        callbackWith("iss=https%3A%2F%2Fevil.example");
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(refusal() == "The callback comes from issuer \"https://evil.example\" instead of "
                           "\"https://id.example.com\", so it was rejected (mix-up protection, RFC 9207).");
    }
    SECTION("an iss the profile cannot check, because it has no Issuer") {
        callbackWith("iss=https%3A%2F%2Fid.example.com");
        CHECK(refusal() ==
              "The callback names issuer \"https://id.example.com\", but this profile has no Issuer to "
              "compare it "
              "with, so it was rejected (mix-up protection, RFC 9207); fill in Issuer or run discovery.");
    }
    SECTION(
        "the expected iss is redeemed: the profile's Issuer, or the one its Issuer / Discovery URL names") {
        // {Issuer, Issuer / Discovery URL}
        std::tie(profile.issuer, profile.discoveryUrl) = GENERATE(table<std::string, std::string>({
            {"https://id.example.com", ""},
            {"", "https://id.example.com/.well-known/openid-configuration"},
        }));
        callbackWith("iss=https%3A%2F%2Fid.example.com");
        CHECK(h.platform.fetches.size() == 1);
    }
    SECTION("no iss, although the metadata says the server always sends it") {
        profile.issuer = "https://id.example.com";
        h.load({profile});
        oauth::Discovery discovery;
        discovery.metadata.authorizationResponseIssParameterSupported = true;
        h.state.discovery = discovery;
        h.intent(Intent::GetToken);
        h.controller.onCallback(redirect + "?code=c&state=" + h.session().requestState());
        CHECK(refusal() ==
              "The callback has no iss, although the provider's metadata says it always sends one "
              "(authorization_response_iss_parameter_supported), so it was rejected (mix-up protection, RFC "
              "9207).");
    }
}

// ---- Device grant --------------------------------------------------------------------------------

TEST_CASE("The controller polls the device grant at the interval the server asks for", "[controller]") {
    Harness h;
    h.load({DeviceProfile()});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(h.request(0).url == "https://id.example.com/device");
    CHECK(Field(h.request(0).body, "client_id") == "client-1");
    CHECK(Field(h.request(0).body, "scope") == "openid profile");
    CHECK(h.state.attempt.busy == Busy::DeviceRequesting);
    CHECK(h.state.status == "Requesting a device code…");

    REQUIRE(h.platform.respond(
        0, 200,
        R"({"device_code":"dc-1","user_code":"ABCD-EFGH",)"
        R"("verification_uri":"https://id.example.com/activate","interval":5,"expires_in":600})"));
    CHECK(h.state.attempt.busy == Busy::DevicePolling);
    CHECK(h.state.attempt.device.userCode == "ABCD-EFGH");
    CHECK(h.state.attempt.device.verificationUri == "https://id.example.com/activate");
    CHECK(h.state.attempt.device.interval == 5);
    CHECK(h.state.attempt.device.expiresAt == T0 + 600);
    CHECK(h.state.status == "Enter the code below at the verification page; this page checks every 5 s.");
    const json snapshot = json::parse(h.controller.snapshotJson());
    CHECK(snapshot.at("device").at("userCode") == "ABCD-EFGH");

    h.at(T0 + 4.9);
    CHECK(h.platform.fetches.size() == 1); // not before 5 s
    h.at(T0 + 5);
    REQUIRE(h.platform.fetches.size() == 2);
    CHECK(h.request(1).url == "https://id.example.com/token");
    CHECK(Field(h.request(1).body, "grant_type") == "urn:ietf:params:oauth:grant-type:device_code");
    CHECK(Field(h.request(1).body, "device_code") == "dc-1");
    CHECK(Field(h.request(1).body, "client_id") == "client-1");
    h.at(T0 + 5);
    CHECK(h.platform.fetches.size() == 2); // one poll at a time

    SECTION("authorization_pending: the next poll comes 5 s after the answer") {
        h.platform.clock = T0 + 5.5;
        REQUIRE(h.platform.respond(1, 400, R"({"error":"authorization_pending"})"));
        CHECK(h.state.attempt.busy == Busy::DevicePolling);
        CHECK(h.state.status ==
              "Waiting for the user to enter the code and approve the request (authorization_pending).");
        CHECK(h.selected().state == oauth::ProfileState::None);
        h.at(T0 + 10.4);
        CHECK(h.platform.fetches.size() == 2);
        h.at(T0 + 10.5);
        CHECK(h.platform.fetches.size() == 3);
        CHECK_FALSE(h.state.log.entries[1].failed); // pending is not a failure
    }

    SECTION("slow_down: the interval grows to 10 s") {
        REQUIRE(h.platform.respond(1, 400, R"({"error":"slow_down"})"));
        CHECK(h.state.attempt.device.interval == 10);
        CHECK(
            h.state.status ==
            "The token endpoint asked to poll less often (slow_down); the interval is now 5 seconds longer.");
        h.at(T0 + 14.9);
        CHECK(h.platform.fetches.size() == 2);
        h.at(T0 + 15);
        CHECK(h.platform.fetches.size() == 3);
    }

    SECTION("access_denied ends the attempt with an Error") {
        REQUIRE(h.platform.respond(1, 400, R"({"error":"access_denied"})"));
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError == "The user denied the request (access_denied).");
        h.at(T0 + 30);
        CHECK(h.platform.fetches.size() == 2);
    }

    SECTION("a token connects") {
        REQUIRE(h.platform.respond(1, 200, kTokenBody));
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Connected);
        CHECK(h.selected().lastToken.at("access_token") == "at-1");
        CHECK(Steps(h.state.log) == std::vector<std::string>{"Device authorization", "Token poll"});
    }

    SECTION("the code expires: Error, and polling stops") {
        REQUIRE(h.platform.respond(1, 400, R"({"error":"authorization_pending"})"));
        h.at(T0 + 599);
        CHECK(h.state.attempt.busy == Busy::DevicePolling);
        const std::size_t polls = h.platform.fetches.size();
        REQUIRE(h.platform.respond(polls - 1, 400, R"({"error":"authorization_pending"})"));
        h.at(T0 + 600);
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Error);
        CHECK(h.selected().lastError ==
              "The device code expired before it was approved. Press Get Access Token for a new one.");
        CHECK(h.selected().lastError.find("expired") != std::string::npos);
        h.at(T0 + 700);
        CHECK(h.platform.fetches.size() == polls);
    }
}

TEST_CASE("The controller cancels a device poll still in flight when the code expires", "[controller]") {
    // Was a bug (fixed: tick() now calls endAttempt()): tick() ended an expired device attempt with
    // `state_.attempt = Attempt{}` instead of endAttempt(), so a poll in flight at that moment is never
    // cancelled. Its answer is then taken by the next device attempt of the same profile (the guard compares
    // only busy and the Token Name): an old expired_token fails the new, fresh code.
    Harness h;
    h.load({DeviceProfile()});
    const std::string deviceAnswer =
        R"({"device_code":"dc-1","user_code":"ABCD-EFGH",)"
        R"("verification_uri":"https://id.example.com/activate","interval":5,"expires_in":12})";
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(0, 200, deviceAnswer));
    h.at(T0 + 5);
    REQUIRE(h.platform.respond(1, 400, R"({"error":"authorization_pending"})"));
    h.at(T0 + 10); // the second poll goes out...
    REQUIRE(h.platform.fetches.size() == 3);
    h.at(T0 + 12); // ...and the code expires before it answers
    REQUIRE(h.state.attempt.busy == Busy::None);
    REQUIRE(h.selected().state == oauth::ProfileState::Error);
    const std::size_t last = 2;
    CHECK(h.platform.openFetches() == 0);

    // A new attempt; then the old poll's late answer arrives.
    h.intent(Intent::GetToken);
    const std::size_t deviceRequest = h.platform.fetches.size() - 1;
    REQUIRE(h.platform.respond(
        deviceRequest, 200,
        R"({"device_code":"dc-2","user_code":"WXYZ-1234",)"
        R"("verification_uri":"https://id.example.com/activate","interval":5,"expires_in":600})"));
    REQUIRE(h.state.attempt.busy == Busy::DevicePolling);
    h.platform.respond(last, 400, R"({"error":"expired_token"})");
    CHECK(h.state.attempt.busy == Busy::DevicePolling);
    CHECK(h.state.attempt.device.userCode == "WXYZ-1234");
    CHECK(h.selected().lastError ==
          "The device code expired before it was approved. Press Get Access Token for a new one.");
}

// ---- Refresh and auto-refresh --------------------------------------------------------------------

TEST_CASE("The controller refreshes a token with its refresh token", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.state = oauth::ProfileState::Connected;
    p.lastToken = json{{"access_token", "old"},
                       {"token_type", "Bearer"},
                       {"expires_in", 3600},
                       {"refresh_token", "rt-1"},
                       {"obtained_at", 1699999000}};
    h.load({p});

    SECTION("Refresh sends grant_type=refresh_token") {
        h.intent(Intent::Refresh);
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(h.request(0).url == "https://id.example.com/token");
        CHECK(h.request(0).body == "grant_type=refresh_token&refresh_token=rt-1");
        CHECK(Header(h.request(0), "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
        CHECK(h.state.status == "Refreshing the token…");
        CHECK(h.state.attempt.refreshing);
        CHECK(Steps(h.state.log) == std::vector<std::string>{"Refresh"});

        SECTION("an answer without refresh_token keeps the old one") {
            REQUIRE(h.platform.respond(0, 200,
                                       R"({"access_token":"new","token_type":"Bearer","expires_in":3600})"));
            CHECK(h.selected().state == oauth::ProfileState::Connected);
            CHECK(h.selected().lastToken.at("access_token") == "new");
            CHECK(h.selected().lastToken.at("refresh_token") == "rt-1");
            CHECK(h.selected().lastToken.at("obtained_at") == 1700000000);
            CHECK(oauth::DecodeDocument(h.stored()).profiles[0].lastToken.at("refresh_token") == "rt-1");
        }
        SECTION("an answer with a new refresh_token replaces it") {
            REQUIRE(h.platform.respond(
                0, 200, R"({"access_token":"new","token_type":"Bearer","refresh_token":"rt-2"})"));
            CHECK(h.selected().lastToken.at("refresh_token") == "rt-2");
        }
    }

    SECTION("a token without a refresh token is not refreshed") {
        h.selected().lastToken.erase("refresh_token");
        h.intent(Intent::Refresh);
        CHECK(h.platform.fetches.empty());
        CHECK(h.state.status == "This token came without a refresh token.");
    }
}

TEST_CASE("The controller auto-refreshes once shortly before the token expires", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.autoRefresh = true;
    p.state = oauth::ProfileState::Connected;
    p.lastToken = json{{"access_token", "old"},
                       {"expires_in", 3600},
                       {"refresh_token", "rt-1"},
                       {"obtained_at", std::int64_t(T0)}};
    h.load({p});

    h.at(T0 + 3539); // 60 s lead: not yet
    CHECK(h.platform.fetches.empty());
    h.at(T0 + 3540);
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(Field(h.request(0).body, "grant_type") == "refresh_token");
    CHECK(h.state.status == "Refreshing the token before it expires (auto-refresh)…");
    h.at(T0 + 3541);
    CHECK(h.platform.fetches.size() == 1);

    SECTION("a failed auto-refresh is shown and not retried") {
        REQUIRE(h.platform.respond(0, 400, R"({"error":"invalid_grant"})"));
        CHECK(h.selected().state == oauth::ProfileState::Error);
        for (double t : {3542.0, 3580.0, 3600.0, 3700.0, 7200.0})
            h.at(T0 + t);
        CHECK(h.platform.fetches.size() == 1);
    }

    SECTION("a failed transport is not retried either") {
        REQUIRE(h.platform.failTransport(0, "network error"));
        for (double t : {3542.0, 3600.0, 3700.0})
            h.at(T0 + t);
        CHECK(h.platform.fetches.size() == 1);
    }

    SECTION("the refreshed token is refreshed again before it expires") {
        h.platform.clock = T0 + 3541;
        REQUIRE(h.platform.respond(0, 200, R"({"access_token":"new","expires_in":3600})"));
        CHECK(h.selected().lastToken.at("obtained_at") == 1700003541);
        h.at(T0 + 3541 + 3539);
        CHECK(h.platform.fetches.size() == 1);
        h.at(T0 + 3541 + 3540);
        CHECK(h.platform.fetches.size() == 2);
        CHECK(Field(h.request(1).body, "refresh_token") == "rt-1");
    }
}

TEST_CASE(
    "The controller re-runs the client credentials grant for auto-refresh when there is no refresh token",
    "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.autoRefresh = true;
    p.state = oauth::ProfileState::Connected;
    p.lastToken = json{{"access_token", "old"}, {"expires_in", 100}, {"obtained_at", std::int64_t(T0)}};
    h.load({p});
    h.at(T0 + 89); // lifetime 100 s: the lead is 10% = 10 s
    CHECK(h.platform.fetches.empty());
    h.at(T0 + 90);
    REQUIRE(h.platform.fetches.size() == 1);
    CHECK(Field(h.request(0).body, "grant_type") == "client_credentials");
}

// ---- Relay ---------------------------------------------------------------------------------------

TEST_CASE("The controller sends the token request through the same-origin relay when asked", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.useRelay = true;
    h.load({p});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.fetches.size() == 1);
    const oauth::HttpRequest& r = h.request(0);
    CHECK(r.url == "http://127.0.0.1:8000/relay");
    CHECK(Header(r, "X-OAuth-Setup-Target") == "https://id.example.com/token");
    CHECK(Header(r, "Authorization") == "Basic Y2xpZW50LTE6czNjcmV0");
    CHECK(r.body == "grant_type=client_credentials&scope=api.read+api.write");
    // The log shows the provider's URL, not the relay's.
    CHECK(h.state.log.entries[0].request.url == "https://id.example.com/token");

    SECTION("the relay's answer connects") {
        REQUIRE(h.platform.respond(0, 200, kTokenBody,
                                   {{"Content-Type", "application/json"}, {"X-OAuth-Setup-Relay", "1"}}));
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }
    SECTION("an answer that did not come from the relay says the relay is not running") {
        REQUIRE(h.platform.respond(0, 404, "<html>Not Found</html>", {{"Content-Type", "text/html"}}));
        CHECK(h.selected().state == oauth::ProfileState::Error);
        // The relay's absence is never reported as the provider's words.
        CHECK(h.selected().lastError == "This page's server runs no CORS relay (it answered HTTP 404 at "
                                        "/relay), so nothing was sent to the "
                                        "provider: start the relay (./scripts/run.sh starts it by default; "
                                        "serve.py --relay), or turn off "
                                        "\"Use CORS relay\".");
    }
    SECTION("a failure through the relay does not suggest the relay") {
        REQUIRE(h.platform.failTransport(0, "network error"));
        CHECK(h.selected().lastError ==
              "This page's own server did not answer at its CORS relay, so nothing "
              "reached the token endpoint: check that serve.py still runs, or turn off "
              "\"Use CORS relay\".");
    }
    SECTION("the relay sits next to the page") {
        Harness other;
        other.platform.page = "http://127.0.0.1:8000/app/index.html";
        CHECK(other.controller.relayUrl() == "http://127.0.0.1:8000/app/relay");
        CHECK(other.controller.defaultRedirectUrl() == "http://127.0.0.1:8000/app/callback.html");
    }
}

// ---- Two tabs ------------------------------------------------------------------------------------

TEST_CASE("The controller merges profiles another tab saved, by Token Name", "[controller]") {
    Harness h;
    const std::vector<oauth::Profile> base = {Named(oauth::test::ClientCredentialsProfile(), "A"),
                                              Named(oauth::test::ClientCredentialsProfile(), "B"),
                                              Named(oauth::test::ClientCredentialsProfile(), "C")};
    h.load(base);
    std::vector<oauth::Profile> theirs = base;
    const std::size_t writesBefore = h.platform.writesTo(app::kStorageKey);

    // The other tab saved its change, so its revision went up (see oauth::BumpRevisions).
    auto changedThere = [](oauth::Profile& p, const std::string& clientId) {
        p.clientId = clientId;
        p.revision = 1;
    };

    SECTION("a profile changed only in the other tab takes its version") {
        changedThere(theirs[0], "theirs");
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(h.state.profiles.size() == 3);
        CHECK(h.state.profiles[0].clientId == "theirs");
        CHECK(h.state.storageBanner.empty());
        CHECK(h.platform.writesTo(app::kStorageKey) == writesBefore);
    }

    SECTION("a profile changed only here keeps this tab's version") {
        h.state.profiles[1].clientId = "mine"; // edited this frame, its Edited intent not applied yet
        changedThere(theirs[0], "theirs");
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(h.state.profiles.size() == 3);
        CHECK(h.state.profiles[0].clientId == "theirs");
        CHECK(h.state.profiles[1].clientId == "mine");
        CHECK(h.state.storageBanner.empty());
    }

    SECTION("a profile changed in both keeps this tab's version, says so and saves it") {
        h.state.profiles[0].clientId = "mine";
        changedThere(theirs[0], "theirs");
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(h.state.profiles.size() == 3);
        CHECK(h.state.profiles[0].clientId == "mine");
        CHECK(h.state.storageBanner ==
              "Changed in another tab at the same time: \"A\". This tab's version was kept and saved.");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
        CHECK(h.platform.writesTo(app::kStorageKey) == writesBefore + 1);
    }

    SECTION("a profile deleted in the other tab disappears here") {
        h.intent(Intent::Select, 1);
        theirs.erase(theirs.begin() + 1);
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(h.state.profiles.size() == 2);
        CHECK(h.state.profiles[0].tokenName == "A");
        CHECK(h.state.profiles[1].tokenName == "C");
        CHECK(h.state.selected == 0);
        CHECK(h.state.nameDraft == "A");
    }

    SECTION("a profile added in the other tab appears here, the selection stays") {
        h.intent(Intent::Select, 2);
        theirs.insert(theirs.begin(), Named(oauth::test::PasswordProfile(), "Z"));
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(h.state.profiles.size() == 4);
        CHECK(h.state.profiles[0].tokenName == "Z");
        CHECK(h.selected().tokenName == "C");
    }

    SECTION("other keys, this tab's own write and unreadable text are ignored") {
        h.state.profiles[0].clientId = "mine";
        h.controller.onStorageChanged(app::kSelectedKey, "B");
        h.controller.onStorageChanged(app::kStorageKey, oauth::EncodeDocument(base));
        h.controller.onStorageChanged(app::kStorageKey, "{broken");
        CHECK(h.state.profiles.size() == 3);
        CHECK(h.state.profiles[0].clientId == "mine");
        CHECK(h.state.selected == 0);
    }
}

// ---- Exchange log and snapshot -------------------------------------------------------------------

TEST_CASE("The controller logs each request and reports a masked snapshot", "[controller]") {
    Harness h;
    oauth::Profile p = oauth::test::ClientCredentialsProfile();
    p.clientAuthentication = oauth::ClientAuthentication::Body;
    h.load({p});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(0, 200, kTokenBody));

    REQUIRE(h.state.log.entries.size() == 1);
    CHECK(h.state.log.entries[0].step == "Token request");
    CHECK(h.state.log.entries[0].finished);
    CHECK(h.state.log.attempt == 1);
    CHECK(Field(h.request(0).body, "client_secret") == "s3cret"); // sent as it is

    const json s = json::parse(h.controller.snapshotJson());
    for (const char* key :
         {"profiles", "selected", "status", "busy", "state", "error", "token", "log", "flow"})
        CHECK(s.contains(key));
    CHECK(s.at("profiles").size() == 1);
    CHECK(s.at("selected") == "Demo");
    CHECK(s.at("status") == "Connected: Bearer token was issued, valid for 3600 s.");
    CHECK(s.at("busy") == false);
    CHECK(s.at("state") == "Connected");
    CHECK(s.at("error") == "");
    CHECK(s.at("token").at("access_token") == "at-1");
    REQUIRE(s.at("log").size() == 1);
    const std::string text = s.at("log")[0].at("text").get<std::string>();
    CHECK(s.at("log")[0].at("step") == "Token request");
    CHECK(text.find("client_secret=********") != std::string::npos);
    CHECK(text.find("s3cret") == std::string::npos);
    CHECK(text.find("at-1") == std::string::npos);

    SECTION("revealed, the log shows the secret") {
        h.state.revealLog = true;
        const json revealed = json::parse(h.controller.snapshotJson());
        CHECK(revealed.at("log")[0].at("text").get<std::string>().find("s3cret") != std::string::npos);
    }

    SECTION("a Basic header is masked but keeps its scheme") {
        h.selected().clientAuthentication = oauth::ClientAuthentication::BasicHeader;
        h.intent(Intent::GetToken);
        const json again = json::parse(h.controller.snapshotJson());
        REQUIRE(again.at("log").size() == 2);
        const std::string second = again.at("log")[1].at("text").get<std::string>();
        CHECK(second.find("Basic ********") != std::string::npos);
        CHECK(second.find("Y2xpZW50LTE6czNjcmV0") == std::string::npos);
        CHECK(again.at("busy") == true);
        CHECK(h.state.log.attempt == 2);
    }

    SECTION("Copy as cURL of a log entry is masked") {
        h.intent(Intent::CopyExchangeCurl, static_cast<std::int64_t>(h.state.log.entries[0].id));
        REQUIRE(h.platform.clipboard.size() == 1);
        CHECK(h.platform.clipboard[0].find("s3cret") == std::string::npos);
        CHECK(h.state.status == "Copied the request as a cURL command (secrets masked).");
    }
}

// ---- Import and export ---------------------------------------------------------------------------

TEST_CASE("The controller imports a chosen file: an oauth-setup export or a Postman collection",
          "[controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::Import);
    CHECK(h.platform.pickRequests == 1);
    REQUIRE(h.platform.pickedFile);

    SECTION("an export is merged by Token Name and the report is the status") {
        oauth::Profile changed = oauth::test::ClientCredentialsProfile();
        changed.scopes = "imported";
        const std::string file =
            oauth::ExportProfiles({changed, Named(oauth::test::PasswordProfile(), "Second")}, false);
        REQUIRE(h.platform.choose("profiles.json", file));
        REQUIRE(h.state.profiles.size() == 2);
        CHECK(h.state.profiles[0].scopes == "imported");
        CHECK(h.state.profiles[0].clientSecret == "s3cret"); // left out of the file: kept
        CHECK(h.state.profiles[1].tokenName == "Second");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
    }

    SECTION("an export that moves a connected profile to another token URL drops its credentials") {
        // Reproduced: the page sent the old refresh token and client secret to the new URL twelve
        // seconds later (auto-refresh), unasked.
        oauth::Profile& live = h.selected();
        live.lastToken = json{{"access_token", "at-0"},
                              {"refresh_token", "rt-0"},
                              {"expires_in", 20},
                              {"obtained_at", T0},
                              {"token_type", "Bearer"}};
        live.state = oauth::ProfileState::Connected;
        live.autoRefresh = true;
        oauth::Profile moved = live;
        moved.accessTokenUrl = "https://attacker.example/token";
        REQUIRE(h.platform.choose("profiles.json", oauth::ExportProfiles({moved}, false)));
        CHECK(h.state.status ==
              "Imported 1 profile: 1 updated (" + live.tokenName +
                  "). The token endpoint, client ID or issuer of " + live.tokenName +
                  " changed, so the secret, password and tokens kept from before were dropped.");
        CHECK(h.selected().accessTokenUrl == "https://attacker.example/token");
        CHECK(h.selected().clientSecret == "");
        CHECK(h.selected().lastToken.is_null());
        CHECK(h.selected().state == oauth::ProfileState::None);
        CHECK_FALSE(h.selected().autoRefresh);
        h.at(T0 + 12);
        h.at(T0 + 30);
        CHECK(h.platform.fetches.empty());
        CHECK(h.stored().find("s3cret") == std::string::npos);

        SECTION("Keep Previous Secrets restores them when the person asks") {
            REQUIRE(h.state.droppedOnImport.size() == 1);
            h.intent(Intent::KeepDroppedCredentials);
            CHECK(h.selected().clientSecret == "s3cret");
            CHECK(h.selected().lastToken.at("refresh_token") == "rt-0");
            CHECK(h.state.droppedOnImport.empty());
            CHECK(h.state.status == "Kept the previous secret, password and tokens of 1 imported profile.");
        }
    }

    SECTION("a Postman collection adds a profile") {
        REQUIRE(h.platform.choose("collection.json", FromPostmanCollection()));
        REQUIRE(h.state.profiles.size() == 2);
        CHECK(h.state.profiles[1].tokenName == "From Postman");
        CHECK(h.state.profiles[1].clientId == "client-1");
        CHECK(h.state.profiles[1].accessTokenUrl == "https://id.example.com/token");
        CHECK(h.state.selected == 1);
        CHECK(h.state.nameDraft == "From Postman");
        CHECK(h.stored() == oauth::EncodeDocument(h.state.profiles));
    }

    SECTION("an unreadable file imports nothing") {
        REQUIRE(h.platform.choose("notes.txt", "hello"));
        CHECK(h.state.profiles.size() == 1);
        CHECK(h.state.status.rfind("Nothing imported from notes.txt: ", 0) == 0);
    }

    SECTION("Export all downloads every profile without secrets") {
        h.intent(Intent::ExportAll);
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].fileName == "oauth-setup-profiles.json");
        CHECK(h.platform.downloads[0].text == oauth::ExportProfiles(h.state.profiles, false));
        CHECK(h.platform.downloads[0].text.find("s3cret") == std::string::npos);
        CHECK(h.state.status == "Exported 1 profile (secrets and tokens left out).");
    }
}

// ---- Former bugs ----------------------------------------------------------------------------------------

TEST_CASE("The controller finishes a request for a profile renamed while it was in flight", "[controller]") {
    // Was a bug (fixed: answers are matched to their attempt by id): the Token Name field stays editable
    // while busy, and rename() moves attempt.profileName to the new name, but the fetch completions in
    // sendTokenRequest(), startDeviceGrant() and pollDevice() captured the old name and drop any answer when
    // the names differ. The answer is lost and the attempt stays busy (Exchanging, or DevicePolling with
    // fetchId set, so no further poll is ever sent) until Cancel.
    Harness h;

    SECTION("a token request") {
        h.load({oauth::test::ClientCredentialsProfile()});
        h.intent(Intent::GetToken);
        h.intent(Intent::Rename, -1, "Renamed");
        REQUIRE(h.selected().tokenName == "Renamed");
        CHECK(h.state.attempt.profileName == "Renamed");
        REQUIRE(h.platform.respond(0, 200, kTokenBody));
        CHECK(h.state.attempt.busy == Busy::None);
        CHECK(h.selected().state == oauth::ProfileState::Connected);
    }

    SECTION("a device poll") {
        h.load({DeviceProfile()});
        h.intent(Intent::GetToken);
        REQUIRE(
            h.platform.respond(0, 200,
                               R"({"device_code":"dc-1","user_code":"ABCD-EFGH",)"
                               R"("verification_uri":"https://id.example.com/activate","expires_in":600})"));
        h.at(T0 + 5);
        REQUIRE(h.platform.fetches.size() == 2);
        h.intent(Intent::Rename, -1, "Renamed");
        REQUIRE(h.platform.respond(1, 400, R"({"error":"authorization_pending"})"));
        h.at(T0 + 60);
        CHECK(h.platform.fetches.size() > 2); // polling goes on
    }
}

TEST_CASE("The controller reports what an import did in the status line", "[controller]") {
    // The report must survive the selection change that follows an import (it was cleared by
    // select() before 4b315d0).
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::Import);

    SECTION("an oauth-setup export") {
        oauth::Profile changed = oauth::test::ClientCredentialsProfile();
        changed.scopes = "imported";
        REQUIRE(h.platform.choose(
            "profiles.json",
            oauth::ExportProfiles({changed, Named(oauth::test::PasswordProfile(), "Second")}, false)));
        REQUIRE(h.state.profiles.size() == 2);
        CHECK(h.state.status == "Imported 2 profiles: 1 added (Second), 1 updated (Demo).");
    }
    SECTION("a Postman collection") {
        REQUIRE(h.platform.choose("collection.json", FromPostmanCollection()));
        REQUIRE(h.state.profiles.size() == 2);
        CHECK(h.state.status.rfind(
                  "Imported 1 profile from the Postman collection collection.json: From Postman.", 0) == 0);
    }
}

TEST_CASE("The controller asks for a frame only while a timer runs", "[controller]") {
    Harness h;
    h.load({DeviceProfile()});
    CHECK(h.controller.nextTimerMs() == -1);
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(
        0, 200,
        R"({"device_code":"dc-1","user_code":"U","verification_uri":"https://id.example.com/a",)"
        R"("expires_in":600})"));
    REQUIRE(h.state.attempt.busy == Busy::DevicePolling);
    h.state.now = T0 + 0.5;
    CHECK(h.controller.nextTimerMs() == 505); // the countdown's next second
    h.intent(Intent::Cancel);
    CHECK(h.controller.nextTimerMs() == -1);
}
