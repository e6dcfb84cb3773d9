// The passphrase lock (src/app/lock.cpp) against FakePlatform's stand-in for WebCrypto: what is
// sealed, what a locked page still shows, and what survives a rename or a reload.
#include "controller_harness.h"
#include "test_helpers.h"

#include "core/exchange_log.h"

#include <catch2/catch.hpp>

using app::Intent;
using oauth::test::Harness;
using oauth::test::kTokenBody;
using oauth::test::T0;

namespace {

// A connected client-credentials profile, with the lock set to `passphrase`.
void ConnectAndLock(Harness& h, const std::string& passphrase = "correct horse") {
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.respond(0, 200, kTokenBody));
    REQUIRE(h.selected().state == oauth::ProfileState::Connected);
    h.state.passphraseInput = passphrase;
    h.state.passphraseRepeat = passphrase;
    h.intent(Intent::SetPassphrase);
    h.platform.runCrypto();
    REQUIRE(h.state.lockEnabled);
    REQUIRE(h.state.status == "Client secrets, passwords and tokens are now stored encrypted with your "
                              "passphrase. Without it they cannot be recovered.");
}

void Unlock(Harness& h, const std::string& passphrase = "correct horse") {
    h.state.passphraseInput = passphrase;
    h.intent(Intent::Unlock);
    h.platform.runCrypto();
}

} // namespace

TEST_CASE("The lock stores no secret or token in plain text", "[lock]") {
    Harness h;
    ConnectAndLock(h);
    CHECK(h.stored().find("s3cret") == std::string::npos);
    CHECK(h.stored().find("at-1") == std::string::npos);
    CHECK(h.stored().find("\"lock\"") != std::string::npos);
}

TEST_CASE("Lock Now hides every secret the page can show, the exchange log included", "[lock]") {
    // Reproduced: after Lock Now, "Reveal secrets in the log" showed the client secret and both tokens.
    Harness h;
    ConnectAndLock(h);
    REQUIRE_FALSE(h.state.log.entries.empty());
    h.state.rawResponse = kTokenBody;
    h.state.introspectionText = R"({"active":true})";
    h.intent(Intent::LockNow);
    h.platform.runCrypto();
    CHECK(h.state.locked);
    CHECK(h.state.status == "Locked: secrets and tokens are hidden until you unlock.");
    CHECK(h.state.log.entries.empty());
    CHECK_FALSE(h.state.revealLog);
    CHECK(h.state.rawResponse.empty());
    CHECK(h.state.introspectionText.empty());
    CHECK(h.selected().clientSecret.empty());
    CHECK(h.selected().lastToken.is_null());
    h.state.revealLog = true;
    const std::string snapshot = h.controller.snapshotJson();
    CHECK(snapshot.find("s3cret") == std::string::npos);
    CHECK(snapshot.find("at-1") == std::string::npos);
    CHECK(snapshot.find("rt-1") == std::string::npos);

    SECTION("the right passphrase brings the secret and the token back") {
        Unlock(h);
        CHECK(h.state.status == "Unlocked: secrets and tokens are available in this tab.");
        CHECK(h.selected().clientSecret == "s3cret");
        CHECK(h.selected().lastToken.at("access_token") == "at-1");
    }
    SECTION("a wrong passphrase changes nothing") {
        Unlock(h, "wrong horse");
        CHECK(h.state.status == "Wrong passphrase: nothing was unlocked or changed.");
        CHECK(h.state.locked);
        CHECK(h.selected().clientSecret.empty());
    }
}

TEST_CASE("A profile renamed while locked keeps its secrets", "[lock]") {
    // Reproduced: rename while locked, unlock, and the secret was empty.
    Harness h;
    ConnectAndLock(h);
    h.intent(Intent::LockNow);
    h.platform.runCrypto();
    h.intent(Intent::Rename, -1, "Renamed while locked");
    REQUIRE(h.selected().tokenName == "Renamed while locked");

    SECTION("in this tab") {
        Unlock(h);
        CHECK(h.selected().clientSecret == "s3cret");
        CHECK(h.selected().lastToken.at("access_token") == "at-1");
    }
    SECTION("after a reload") {
        h.controller.flushEdits(); // the page is closed: pagehide writes the rename
        Harness reloaded;
        reloaded.platform.storage = h.platform.storage;
        reloaded.controller.load();
        REQUIRE(reloaded.state.locked);
        REQUIRE(reloaded.selected().tokenName == "Renamed while locked");
        Unlock(reloaded);
        CHECK(reloaded.selected().clientSecret == "s3cret");
    }
}

TEST_CASE("Profiles get stable ids that survive renames and are unique", "[lock][profile]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::Edited);
    const std::string id = h.selected().id;
    CHECK(id.size() == 16);
    h.intent(Intent::Rename, -1, "Another name");
    CHECK(h.selected().id == id);
    h.intent(Intent::Duplicate);
    REQUIRE(h.state.profiles.size() == 2);
    CHECK(h.state.profiles[1].id.size() == 16);
    CHECK(h.state.profiles[1].id != id);
    (void)T0;
}

TEST_CASE("Setting the lock refuses a short passphrase and two that differ", "[lock]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    SECTION("shorter than 8 characters") {
        h.state.passphraseInput = h.state.passphraseRepeat = "short";
        h.intent(Intent::SetPassphrase);
        CHECK(h.state.status == "Choose a passphrase of at least 8 characters.");
    }
    SECTION("the repeat differs") {
        h.state.passphraseInput = "correct horse";
        h.state.passphraseRepeat = "correct horsf";
        h.intent(Intent::SetPassphrase);
        CHECK(h.state.status == "The two passphrases differ; type the same one twice.");
    }
    h.platform.runCrypto();
    CHECK_FALSE(h.state.lockEnabled);
    CHECK(h.stored().find("\"lock\"") == std::string::npos);
}

TEST_CASE("Lock Now ends the attempt and forgets a closed one, so no callback redeems its code", "[lock]") {
    const std::string redirect = "https://app.example.com/callback";
    Harness h(oauth::test::AuthorizationCodeProfile());
    h.state.passphraseInput = h.state.passphraseRepeat = "correct horse";
    h.intent(Intent::SetPassphrase);
    h.platform.runCrypto();
    REQUIRE(h.state.lockEnabled);
    h.intent(Intent::GetToken);
    REQUIRE(h.state.attempt.busy == app::Busy::Authorizing);
    const std::string state = h.session().requestState();

    SECTION("while its popup is open") {
        h.intent(Intent::LockNow);
        h.platform.runCrypto();
        CHECK(h.state.attempt.busy == app::Busy::None);
        CHECK(h.platform.popupCloses == 1);
    }
    SECTION("after its popup looked closed") {
        h.controller.onPopupClosed();
        REQUIRE(h.state.attempt.busy == app::Busy::None);
        h.intent(Intent::LockNow);
        h.platform.runCrypto();
    }
    CHECK(h.state.locked);
    h.controller.onCallback(redirect + "?code=late-code&state=" + state);
    CHECK(h.platform.fetches.empty());
    CHECK(h.state.attempt.busy == app::Busy::None);
}

TEST_CASE("Removing the passphrase stores the secrets in clear again", "[lock]") {
    Harness h;
    ConnectAndLock(h);
    h.intent(Intent::RemovePassphrase);
    h.platform.runCrypto();
    CHECK(h.state.status ==
          "The passphrase lock is off: secrets are stored unencrypted in this browser again.");
    CHECK_FALSE(h.state.lockEnabled);
    CHECK(oauth::DecodeDocument(h.stored()).profiles[0].clientSecret == "s3cret");
    CHECK(h.stored().find("\"lock\"") == std::string::npos);
}
