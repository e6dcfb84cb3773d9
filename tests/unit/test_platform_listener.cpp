// The platform seam (src/platform/platform.h): everything that arrives later reaches the app through
// the Platform's one queue, at the start of a frame. Events go to the one Listener (the
// Controller on the page); results run their `done` from the same queue; nothing is delivered
// inside the call that asked for it.
#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include "core/storage.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using app::Intent;
using oauth::test::FakePlatform;
using oauth::test::Field;
using oauth::test::Harness;
using oauth::test::kTokenBody;

namespace {

// Writes down every event, as "callback <url>", "popup closed", "storage <key> <text>".
struct RecordingListener final : platform::Platform::Listener {
    std::vector<std::string> events;
    void onCallback(const std::string& url) override { events.push_back("callback " + url); }
    void onPopupClosed() override { events.push_back("popup closed"); }
    void onStorageChanged(const std::string& key, const std::string& newText) override {
        events.push_back("storage " + key + " " + newText);
    }
};

// A platform without WebCrypto: the Platform interface's own crypto methods, not the fake's.
struct NoCryptoPlatform final : FakePlatform {
    void deriveLockKey(const std::string& passphrase, const std::string& salt, int iterations,
                       std::function<void(bool)> done) override {
        platform::Platform::deriveLockKey(passphrase, salt, iterations, std::move(done));
    }
    void seal(const std::string& plaintext,
              std::function<void(bool, std::string, std::string)> done) override {
        platform::Platform::seal(plaintext, std::move(done));
    }
    void unseal(const std::string& iv, const std::string& ciphertext,
                std::function<void(bool, std::string)> done) override {
        platform::Platform::unseal(iv, ciphertext, std::move(done));
    }
};

} // namespace

TEST_CASE("Events reach the listener from the queue, in the order they arrived", "[platform]") {
    FakePlatform platform;
    RecordingListener listener;
    platform.setListener(&listener);

    platform.callbackArrives("https://app.example.com/callback?code=c&state=s");
    platform.personClosesPopup();
    platform.otherTabSaves("oauth-setup:profiles", "{}");
    CHECK(listener.events.empty()); // not inside the event: at the start of the next frame
    CHECK(platform.queuedCount() == 3);
    CHECK(platform.wakes == 3); // each event asked for that frame

    CHECK(platform.runQueued());
    CHECK(listener.events ==
          std::vector<std::string>{"callback https://app.example.com/callback?code=c&state=s", "popup closed",
                                   "storage oauth-setup:profiles {}"});
    CHECK(platform.queuedCount() == 0);
    CHECK_FALSE(platform.runQueued()); // nothing more arrived: nothing ran
}

TEST_CASE("An event goes to the listener set when it runs, and none is dropped into a stale one",
          "[platform]") {
    FakePlatform platform;
    RecordingListener first, second;
    platform.setListener(&first);
    platform.personClosesPopup();

    SECTION("a new listener receives what was queued before it was set") {
        platform.setListener(&second);
        platform.runQueued();
        CHECK(first.events.empty());
        CHECK(second.events == std::vector<std::string>{"popup closed"});
    }
    SECTION("with no listener the event is dropped") {
        platform.setListener(nullptr);
        CHECK(platform.runQueued());
        CHECK(first.events.empty());
    }
}

TEST_CASE("Work queued while the queue runs waits for the next frame", "[platform]") {
    FakePlatform platform;
    // A result whose handler leads to another event (e.g. closing the popup) must not run it in the
    // same drain: one frame applies what had arrived when it began.
    platform.callbackArrives("first");
    struct Chaining final : platform::Platform::Listener {
        FakePlatform& platform;
        std::vector<std::string> events;
        explicit Chaining(FakePlatform& p) : platform(p) {}
        void onCallback(const std::string& url) override {
            events.push_back(url);
            platform.personClosesPopup();
        }
        void onPopupClosed() override { events.push_back("popup closed"); }
        void onStorageChanged(const std::string&, const std::string&) override {}
    } chaining(platform);
    platform.setListener(&chaining);
    platform.runQueued();
    CHECK(chaining.events == std::vector<std::string>{"first"});
    CHECK(platform.queuedCount() == 1);
    platform.runQueued();
    CHECK(chaining.events == std::vector<std::string>{"first", "popup closed"});
}

TEST_CASE("The Controller is the platform's listener while it lives", "[platform][controller]") {
    FakePlatform platform;
    app::AppState state;
    {
        app::Controller controller(platform, state);
        CHECK(platform.listener() == &controller);
    }
    CHECK(platform.listener() == nullptr);
    platform.personClosesPopup();
    CHECK(platform.runQueued()); // dropped, not sent to the destroyed controller
}

TEST_CASE("The callback and the popup closing reach the Controller through the platform",
          "[platform][controller]") {
    Harness h;
    h.load({oauth::test::AuthorizationCodeProfile()});
    const std::string redirect = "https://app.example.com/callback";
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.popupsOpened.size() == 1);
    const std::string state = h.session().requestState();

    SECTION("the Redirect URL page's answer exchanges the code at the next frame") {
        h.platform.callbackArrives(redirect + "?code=the-code&state=" + state);
        CHECK(h.platform.fetches.empty());
        CHECK(h.state.status == "Waiting for you to sign in and consent in the popup window…");
        h.platform.runQueued();
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(Field(h.request(0).body, "code") == "the-code");
        CHECK(h.state.status == "Exchanging the authorization code for a token…");
        REQUIRE(h.platform.respond(0, 200, kTokenBody));
        CHECK(h.snapshot()["state"] == "Connected");
    }
    SECTION("the popup closing without an answer ends the attempt as an Error") {
        h.platform.personClosesPopup();
        h.platform.runQueued();
        CHECK(h.snapshot()["state"] == "Error");
        CHECK(h.snapshot()["error"] == "The consent window was closed before the provider sent you back, so "
                                       "no authorization code arrived. Press Get Access Token to try again.");
    }
}

TEST_CASE("Another tab's save reaches the Controller through the platform and is merged",
          "[platform][controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::Edited);
    h.idle(); // saves: ids and revisions, the base both tabs share
    oauth::StorageDocument theirs = oauth::DecodeDocument(h.stored());
    REQUIRE(theirs.profiles.size() == 1);
    theirs.profiles[0].clientId = "changed-in-the-other-tab";
    theirs.profiles[0].revision += 1;
    const std::string text = oauth::EncodeDocument(theirs);
    h.platform.storage[app::kStorageKey] = text; // the other tab wrote it, then the event fires

    h.platform.otherTabSaves(app::kStorageKey, text);
    CHECK(h.selected().clientId == "client-1");
    h.platform.runQueued();
    CHECK(h.selected().clientId == "changed-in-the-other-tab");
}

TEST_CASE("Results run from the same queue as events, in arrival order", "[platform][controller]") {
    Harness h;
    h.load({oauth::test::ClientCredentialsProfile()});
    h.intent(Intent::GetToken);
    REQUIRE(h.platform.fetches.size() == 1);
    const int wakesBefore = h.platform.wakes;
    // An event queued first is applied first, in the same frame as the answer.
    h.platform.personClosesPopup();
    REQUIRE(h.platform.respond(0, 200, kTokenBody));
    CHECK(h.platform.queuedCount() == 0);
    CHECK(h.platform.wakes == wakesBefore + 2);
    CHECK(h.snapshot()["state"] == "Connected");
}

TEST_CASE("The default crypto methods answer later, never inside the call", "[platform][lock]") {
    NoCryptoPlatform platform;
    std::vector<std::string> answers;
    platform.deriveLockKey("pass", "c2FsdA==", 1000,
                           [&](bool ok) { answers.push_back(ok ? "derived" : "no key"); });
    platform.seal("text", [&](bool ok, std::string iv, std::string ciphertext) {
        answers.push_back(ok ? "sealed" : "not sealed" + iv + ciphertext);
    });
    platform.unseal("iv", "ct", [&](bool ok, std::string plaintext) {
        answers.push_back(ok ? "unsealed" : "not unsealed" + plaintext);
    });
    CHECK(answers.empty());
    CHECK(platform.wakes == 3);
    CHECK(platform.runQueued());
    CHECK(answers == std::vector<std::string>{"no key", "not sealed", "not unsealed"});
}

TEST_CASE("Without WebCrypto the lock is refused at the next frame, after the call has returned",
          "[platform][lock]") {
    NoCryptoPlatform platform;
    app::AppState state;
    app::Controller controller(platform, state);
    platform.storage[app::kStorageKey] = oauth::EncodeDocument({oauth::test::ClientCredentialsProfile()});
    controller.load();
    state.passphraseInput = state.passphraseRepeat = "correct horse";
    state.emit(Intent::SetPassphrase);
    controller.applyIntents();
    CHECK(state.lockBusy);
    CHECK(state.status == "Deriving a key from the passphrase…");
    platform.runQueued();
    CHECK_FALSE(state.lockBusy);
    CHECK_FALSE(state.lockEnabled);
    CHECK(state.status ==
          "This browser could not derive a key (WebCrypto is unavailable), so nothing was locked.");
    CHECK(platform.storage.at(app::kStorageKey).find("\"lock\"") == std::string::npos);
}
