// Typing with many profiles: the Controller marks each edit and the ProfileStore writes the whole
// document once per burst of frames (when the frame loop goes idle, Harness::idle), at least every
// kMaxUnsavedSeconds while typing goes on, and before any other intent acts on the stored state.
#include "controller_harness.h"
#include "fake_platform.h"
#include "test_helpers.h"

#include "core/storage.h"

#include <catch2/catch.hpp>

#include <string>

using app::Intent;
using oauth::test::Harness;
using oauth::test::T0;

namespace {

// One keystroke into Client ID: the field changes in a frame, and the UI emits Edited.
void TypeKey(Harness& h, char c) {
    h.selected().clientId += c;
    h.intent(Intent::Edited);
}

std::string StoredClientId(const Harness& h) {
    return oauth::DecodeDocument(h.stored()).profiles.at(0).clientId;
}

} // namespace

TEST_CASE("Typing writes the document once the frame loop goes idle, not on every keystroke",
          "[controller][typing]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    const std::size_t writes = h.platform.writesTo(app::kStorageKey);
    for (const char c : std::string("-typed"))
        TypeKey(h, c);
    CHECK(h.platform.writesTo(app::kStorageKey) == writes);
    CHECK(StoredClientId(h) == "client-1");

    h.idle();
    CHECK(h.platform.writesTo(app::kStorageKey) == writes + 1);
    CHECK(StoredClientId(h) == "client-1-typed");
    h.idle(); // nothing new: no write
    CHECK(h.platform.writesTo(app::kStorageKey) == writes + 1);
}

TEST_CASE("Renaming key by key is written once as well, with the selection", "[controller][typing]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    const std::size_t writes = h.platform.writesTo(app::kStorageKey);
    for (const char* typed : {"Demo ", "Demo 2", "Demo 22"})
        h.intent(Intent::Rename, -1, typed);
    CHECK(h.platform.writesTo(app::kStorageKey) == writes);
    h.idle();
    CHECK(h.platform.writesTo(app::kStorageKey) == writes + 1);
    CHECK(oauth::DecodeDocument(h.stored()).profiles.at(0).tokenName == "Demo 22");
    CHECK(h.platform.storage.at(app::kSelectedKey) == "Demo 22");
}

TEST_CASE("Typing without a pause is still written every kMaxUnsavedSeconds", "[controller][typing]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    TypeKey(h, 'a');
    h.at(T0 + app::kMaxUnsavedSeconds - 0.5);
    TypeKey(h, 'b');
    CHECK(StoredClientId(h) == "client-1");
    h.at(T0 + app::kMaxUnsavedSeconds);
    CHECK(StoredClientId(h) == "client-1ab");
    TypeKey(h, 'c');
    h.at(T0 + app::kMaxUnsavedSeconds + 1); // counted from the first edit since that save
    CHECK(StoredClientId(h) == "client-1ab");
    h.at(T0 + 2 * app::kMaxUnsavedSeconds);
    CHECK(StoredClientId(h) == "client-1abc");
}

TEST_CASE("Any other intent writes the typed edits before it acts", "[controller][typing]") {
    Harness h(oauth::test::ClientCredentialsProfile());
    TypeKey(h, 'x');
    REQUIRE(StoredClientId(h) == "client-1");

    SECTION("Get Access Token") {
        h.intent(Intent::GetToken);
        CHECK(StoredClientId(h) == "client-1x");
        CHECK(h.platform.fetches.size() == 1);
    }
    SECTION("Export all") {
        h.intent(Intent::ExportAll);
        CHECK(StoredClientId(h) == "client-1x");
        REQUIRE(h.platform.downloads.size() == 1);
        CHECK(h.platform.downloads[0].text.find("\"client-1x\"") != std::string::npos);
    }
    SECTION("a new profile") {
        h.intent(Intent::New);
        const oauth::StorageDocument doc = oauth::DecodeDocument(h.stored());
        REQUIRE(doc.profiles.size() == 2);
        CHECK(doc.profiles[0].clientId == "client-1x");
    }
    SECTION("setting a passphrase") {
        h.state.passphraseInput = h.state.passphraseRepeat = "correct horse";
        h.intent(Intent::SetPassphrase);
        CHECK(StoredClientId(h) == "client-1x");
    }
}
