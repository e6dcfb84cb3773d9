// The ProfileStore alone (src/app/profile_store.h, lock.cpp) against FakePlatform: loading and
// saving the document, the merge with another tab, and the passphrase lock, with no Controller.
#include "app/profile_store.h"

#include "core/storage.h"

#include "fake_platform.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <functional>

using app::kStorageKey;
using oauth::Profile;
using oauth::test::FakePlatform;

namespace {

struct Store {
    FakePlatform platform;
    app::AppState state;
    app::ProfileStore store{platform, state};
    std::vector<int> moved; // onSelectionMoved calls

    Store() {
        store.onSelectionMoved = [this](int index) { moved.push_back(index); };
    }
    void load(const std::vector<Profile>& profiles) {
        platform.storage[kStorageKey] = oauth::EncodeDocument(profiles);
        store.load();
    }
    oauth::StorageDocument stored() const { return oauth::DecodeDocument(platform.storage.at(kStorageKey)); }
    void setPassphrase(const std::string& passphrase = "correct horse") {
        state.passphraseInput = state.passphraseRepeat = passphrase;
        store.setPassphrase();
        platform.runCrypto();
    }
    // A save, and the sealing of its secrets when the lock is on (the fake's crypto answers now).
    void saveSealed() {
        store.save();
        platform.runCrypto();
    }
    void unlock(const std::string& passphrase = "correct horse") {
        state.passphraseInput = passphrase;
        store.unlock();
        platform.runCrypto();
    }
};

Profile Named(const std::string& name) {
    Profile p = oauth::test::ClientCredentialsProfile();
    p.tokenName = name;
    return p;
}

} // namespace

TEST_CASE("The store starts with one blank profile and saves it with an id and a revision", "[store]") {
    Store s;
    s.store.load();
    REQUIRE(s.state.profiles.size() == 1);
    CHECK(s.state.profiles[0].tokenName == "New Profile");
    CHECK(s.state.profiles[0].redirectUrl == "http://127.0.0.1:8000/callback.html");
    CHECK(s.state.nameDraft == "New Profile");
    CHECK(s.platform.writes.empty()); // loading writes nothing
    s.store.save();
    const oauth::StorageDocument doc = s.stored();
    REQUIRE(doc.profiles.size() == 1);
    CHECK(doc.profiles[0].id == "0001020304050607");
    CHECK(doc.profiles[0].revision == 1);
    CHECK(s.platform.storage.at(app::kSelectedKey) == "New Profile");
    SECTION("a save without changes keeps the revision") {
        s.store.save();
        CHECK(s.stored().profiles[0].revision == 1);
    }
    SECTION("a change raises it") {
        s.state.profiles[0].clientId = "changed";
        s.store.save();
        CHECK(s.stored().profiles[0].revision == 2);
    }
}

TEST_CASE("The store restores the selected profile by its Token Name", "[store]") {
    Store s;
    s.platform.storage[app::kSelectedKey] = "B";
    s.load({Named("A"), Named("B")});
    CHECK(s.state.selected == 1);
    CHECK(s.state.nameDraft == "B");
    CHECK(s.state.storageBanner.empty());
}

TEST_CASE("The store backs up unreadable text before it saves over it", "[store]") {
    Store s;
    s.platform.storage[kStorageKey] = "{not json";
    s.store.load();
    CHECK(s.platform.storage.at(app::kBackupKey) == "{not json");
    CHECK(s.state.hasBackup);
    CHECK(s.state.storageBanner ==
          "The saved profiles are not valid JSON; the text was kept as it is and will "
          "not be overwritten. The stored text was kept under the key "
          "\"oauth-setup:backup\"; download it below.");
    s.store.downloadBackup();
    REQUIRE(s.platform.downloads.size() == 1);
    CHECK(s.platform.downloads[0].text == "{not json");
    s.store.save();
    CHECK(s.stored().profiles.size() == 1);
    CHECK(s.platform.storage.at(app::kBackupKey) == "{not json");
}

TEST_CASE("The store merges what another tab stored", "[store]") {
    Store s;
    s.load({Named("A"), Named("B")});
    s.store.save(); // ids and revisions: the base both tabs share
    std::vector<Profile> theirs = s.stored().profiles;

    SECTION("the other tab's change is taken and not written back") {
        theirs[1].clientId = "theirs";
        theirs[1].revision = 2;
        const std::size_t writes = s.platform.writesTo(kStorageKey);
        s.store.onStorageChanged(kStorageKey, oauth::EncodeDocument(theirs));
        CHECK(s.state.profiles[1].clientId == "theirs");
        CHECK(s.platform.writesTo(kStorageKey) == writes);
        CHECK(s.moved.empty());
    }
    SECTION("the selected profile deleted there moves the selection") {
        s.state.selected = 1;
        theirs.pop_back();
        s.store.onStorageChanged(kStorageKey, oauth::EncodeDocument(theirs));
        REQUIRE(s.state.profiles.size() == 1);
        CHECK(s.moved == std::vector<int>{0});
    }
    SECTION("a save merges another tab's write whose storage event has not arrived yet") {
        theirs.push_back(Named("From the other tab"));
        theirs.back().revision = 1;
        s.platform.storage[kStorageKey] = oauth::EncodeDocument(theirs);
        s.state.profiles[0].clientId = "mine";
        s.store.save();
        const oauth::StorageDocument doc = s.stored();
        REQUIRE(doc.profiles.size() == 3);
        CHECK(doc.profiles[0].clientId == "mine");
        CHECK(doc.profiles[2].tokenName == "From the other tab");
    }
    SECTION("with the lock on, another tab's write stops this tab's saves") {
        s.setPassphrase();
        const std::size_t writes = s.platform.writesTo(kStorageKey);
        theirs[0].clientId = "theirs";
        s.store.onStorageChanged(kStorageKey, oauth::EncodeDocument(theirs));
        CHECK(s.state.storageBanner ==
              "Another tab changed the stored profiles while the passphrase lock is on. "
              "This tab no longer saves: reload it to see and keep editing them.");
        s.state.profiles[0].clientId = "mine";
        s.saveSealed();
        CHECK(s.platform.writesTo(kStorageKey) == writes);
    }
}

TEST_CASE("The store's lock seals secrets, hides them when locked and restores them", "[store][lock]") {
    Store s;
    s.load({Named("A")});
    s.state.passphraseInput = "short";
    s.state.passphraseRepeat = "short";
    s.store.setPassphrase();
    CHECK(s.state.status == "Choose a passphrase of at least 8 characters.");
    s.state.passphraseInput = "correct horse";
    s.state.passphraseRepeat = "correct horsf";
    s.store.setPassphrase();
    CHECK(s.state.status == "The two passphrases differ; type the same one twice.");
    CHECK_FALSE(s.state.lockEnabled);

    s.setPassphrase();
    CHECK(s.state.lockEnabled);
    CHECK_FALSE(s.state.locked);
    CHECK(s.state.passphraseInput.empty());
    CHECK(s.state.passphraseRepeat.empty());
    CHECK(s.platform.storage.at(kStorageKey).find("s3cret") == std::string::npos);
    CHECK(s.stored().unknownKeys.contains("lock"));

    s.store.lockNow();
    s.platform.runCrypto();
    CHECK(s.state.locked);
    CHECK(s.state.profiles[0].clientSecret.empty());
    CHECK_FALSE(s.platform.lockKey.has_value());
    CHECK(s.state.status == "Locked: secrets and tokens are hidden until you unlock.");

    SECTION("a wrong passphrase changes nothing") {
        s.unlock("wrong horse");
        CHECK(s.state.locked);
        CHECK_FALSE(s.state.lockBusy);
        CHECK(s.state.status == "Wrong passphrase: nothing was unlocked or changed.");
        CHECK(s.state.profiles[0].clientSecret.empty());
        CHECK_FALSE(s.platform.lockKey.has_value());
    }
    SECTION("the right one restores the secrets, also after a reload") {
        Store reloaded;
        reloaded.platform.storage = s.platform.storage;
        reloaded.store.load();
        CHECK(reloaded.state.locked);
        CHECK(reloaded.state.lockEnabled);
        reloaded.unlock();
        CHECK_FALSE(reloaded.state.locked);
        CHECK(reloaded.state.status == "Unlocked: secrets and tokens are available in this tab.");
        CHECK(reloaded.state.profiles[0].clientSecret == "s3cret");
    }
    SECTION("an edit while locked is saved without touching the sealed secrets") {
        s.state.profiles[0].scopes = "edited while locked";
        s.store.save();
        CHECK(s.stored().profiles[0].scopes == "edited while locked");
        s.unlock();
        CHECK(s.state.profiles[0].clientSecret == "s3cret");
        CHECK(s.state.profiles[0].scopes == "edited while locked");
    }
    SECTION("removing the passphrase stores the secrets in clear again") {
        s.unlock();
        s.store.removePassphrase();
        CHECK_FALSE(s.state.lockEnabled);
        CHECK(s.state.status ==
              "The passphrase lock is off: secrets are stored unencrypted in this browser again.");
        CHECK_FALSE(s.stored().unknownKeys.contains("lock"));
        CHECK(s.stored().profiles[0].clientSecret == "s3cret");
    }
}

TEST_CASE("An encrypted save overtaken by a newer one or by removing the lock is dropped", "[store][lock]") {
    Store s;
    s.load({Named("A")});
    s.setPassphrase();
    s.state.profiles[0].scopes = "first";
    s.store.save(); // its seal answers later
    SECTION("a newer save") {
        s.state.profiles[0].scopes = "second";
        s.saveSealed();
        CHECK(s.stored().profiles[0].scopes == "second");
    }
    SECTION("removing the passphrase: the lock is not written back") {
        s.store.removePassphrase();
        s.platform.runCrypto();
        CHECK_FALSE(s.stored().unknownKeys.contains("lock"));
        CHECK(s.stored().profiles[0].scopes == "first");
    }
}

TEST_CASE("The store does not save over a lock it cannot read, nor when sealing fails", "[store][lock]") {
    SECTION("an unreadable lock") {
        Store s;
        s.platform.storage[kStorageKey] =
            R"({"version":1,"lock":{"kdf":"unknown"},"profiles":[{"tokenName":"A"}]})";
        s.store.load();
        CHECK(s.state.storageBanner == "The stored passphrase lock is unreadable, so this page does not save "
                                       "changes; the stored text is left as it is.");
        CHECK_FALSE(s.state.lockEnabled);
        s.store.save();
        CHECK(s.platform.writesTo(kStorageKey) == 0);
    }
    SECTION("sealing fails (the key is gone)") {
        Store s;
        s.load({Named("A")});
        s.setPassphrase();
        s.platform.lockKey.reset();
        s.state.profiles[0].scopes = "not sealed";
        s.saveSealed();
        CHECK(s.state.storageBanner ==
              "Changes are not saved: the secrets could not be encrypted in this browser.");
        CHECK(s.stored().profiles[0].scopes != "not sealed");
    }
}

// ---- Issue 11: what the lock seals ---------------------------------------------------------------

namespace {

// A stored document sealed by FakePlatform's stand-in for WebCrypto with "correct horse".
std::string LockedDocument(const nlohmann::json& profiles, const nlohmann::json& secrets) {
    const nlohmann::json doc = {
        {"version", 1},
        {"profiles", profiles},
        {"lock",
         {{"kdf", "PBKDF2-SHA-256"},
          {"iterations", 600000},
          {"salt", "c2FsdHNhbHRzYWx0c2FsdA=="},
          {"iv", "iv"},
          {"ciphertext", oauth::Base64UrlEncode("correct horse\n" + secrets.dump())}}}};
    return doc.dump();
}

bool WrittenAnywhere(const FakePlatform& platform, const std::string& text) {
    for (const FakePlatform::Write& w : platform.writes)
        if (w.value.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("Unreadable stored text is backed up sealed, never in clear, while a lock is set",
          "[store][lock]") {
    Store s;
    // A locked document with a value of the wrong type (scopes) next to text in clear that only the
    // stored document holds: the backup must not copy it in clear.
    const std::string text =
        LockedDocument({{{"tokenName", "A"}, {"scopes", 42}, {"note", "plain-note-of-a-newer-page"}}},
                       nlohmann::json::object());
    s.platform.storage[kStorageKey] = text;
    s.store.load();
    REQUIRE(s.state.locked);
    CHECK_FALSE(WrittenAnywhere(s.platform, "plain-note-of-a-newer-page"));
    CHECK_FALSE(s.state.hasBackup);
    CHECK(
        s.state.storageBanner ==
        "Some saved values could not be read and took their defaults; see the details. While the passphrase "
        "lock is on, the stored text is not copied in clear: unlock, and it is kept under a backup key, "
        "sealed with your passphrase. Until then changes are not saved.");
    s.state.profiles[0].clientId = "edited while locked";
    s.store.save();
    CHECK(s.platform.storage.at(kStorageKey) == text); // never lost

    s.unlock();
    REQUIRE_FALSE(s.state.locked);
    REQUIRE(s.platform.storage.count(app::kBackupKey) == 1);
    const std::string sealed = s.platform.storage.at(app::kBackupKey);
    CHECK(sealed.find("plain-note-of-a-newer-page") == std::string::npos);
    CHECK(nlohmann::json::parse(sealed).at("sealed") == true);
    CHECK_FALSE(WrittenAnywhere(s.platform, "plain-note-of-a-newer-page"));
    CHECK(s.state.hasBackup);
    CHECK(s.state.storageBanner ==
          "Some saved values could not be read and took their defaults; see the details. The stored text was "
          "kept under the key \"oauth-setup:backup\", sealed with your passphrase; unlock to download it.");

    SECTION("downloaded while unlocked, it is the text as it was") {
        s.store.downloadBackup();
        s.platform.runCrypto();
        REQUIRE(s.platform.downloads.size() == 1);
        CHECK(s.platform.downloads[0].text == text);
    }
    SECTION("saves go on once it is kept") {
        s.saveSealed();
        CHECK(s.stored().profiles[0].clientId == "edited while locked");
        CHECK(s.platform.storage.at(app::kBackupKey) == sealed);
    }
    SECTION("after a reload the sealed backup is recognised, not written again") {
        Store reloaded;
        reloaded.platform.storage = s.platform.storage;
        reloaded.platform.storage[kStorageKey] = text;
        reloaded.store.load();
        CHECK(reloaded.platform.writes.empty());
        CHECK(reloaded.state.hasBackup);
        CHECK(
            reloaded.state.storageBanner ==
            "Some saved values could not be read and took their defaults; see the details. The stored text "
            "was kept under the key \"oauth-setup:backup\", sealed with your passphrase; unlock to download "
            "it.");
        reloaded.store.downloadBackup();
        CHECK(reloaded.state.status == "Unlock first: the backup is sealed with your passphrase.");
        CHECK(reloaded.platform.downloads.empty());
    }
}

TEST_CASE("Unreadable text that cannot be sealed is never overwritten", "[store][lock]") {
    Store s;
    const std::string text = LockedDocument({{{"tokenName", "A"}, {"scopes", 42}}}, nlohmann::json::object());
    s.platform.storage[kStorageKey] = text;
    s.platform.failingKeys = {app::kBackupKey};
    s.store.load();
    s.unlock();
    CHECK(s.state.storageBanner ==
          "Some saved values could not be read and took their defaults; see the details. "
          "It could not be backed up sealed, so changes are not saved.");
    s.state.profiles[0].clientId = "edited";
    s.saveSealed();
    CHECK(s.platform.storage.at(kStorageKey) == text);
}

TEST_CASE("A document sealed before profiles had ids keeps its secrets through a rename while locked",
          "[store][lock]") {
    // Reproduced: written before ids, locked, renamed while locked before its first save: the sealed
    // secrets were keyed by the old Token Name and the renamed profile lost them on unlock.
    Store s;
    s.platform.storage[kStorageKey] = LockedDocument(
        {{{"tokenName", "Legacy"}, {"clientId", "c"}}},
        {{"Legacy", {{"clientSecret", "legacy-s3cret"}, {"password", ""}, {"lastToken", nullptr}}}});
    s.store.load();
    REQUIRE(s.state.locked);
    CHECK(s.state.profiles[0].id.size() == 16); // assigned at load
    s.state.profiles[0].tokenName = "Renamed while locked";
    s.store.save();

    SECTION("in this tab") {
        s.unlock();
        CHECK(s.state.profiles[0].clientSecret == "legacy-s3cret");
    }
    SECTION("after a reload") {
        Store reloaded;
        reloaded.platform.storage = s.platform.storage;
        reloaded.store.load();
        REQUIRE(reloaded.state.profiles[0].tokenName == "Renamed while locked");
        CHECK(reloaded.state.profiles[0].id == s.state.profiles[0].id);
        reloaded.unlock();
        CHECK(reloaded.state.profiles[0].clientSecret == "legacy-s3cret");
        SECTION("and once sealed again by id, the old name is no longer needed") {
            reloaded.saveSealed();
            CHECK(reloaded.platform.storage.at(kStorageKey).find("Legacy") == std::string::npos);
            Store third;
            third.platform.storage = reloaded.platform.storage;
            third.store.load();
            third.unlock();
            CHECK(third.state.profiles[0].clientSecret == "legacy-s3cret");
        }
    }
}

TEST_CASE("A backup kept in clear before the lock was set is sealed in place when it is set",
          "[store][lock]") {
    Store s;
    s.platform.storage[kStorageKey] = "{not json, secret-looking-text";
    s.store.load();
    REQUIRE(s.platform.storage.at(app::kBackupKey) == "{not json, secret-looking-text");
    s.platform.storage["oauth-setup:backup:1700000000"] = "an older backup in clear";
    s.setPassphrase();
    REQUIRE(s.state.lockEnabled);
    for (const char* key : {app::kBackupKey, "oauth-setup:backup:1700000000"}) {
        const nlohmann::json sealed = nlohmann::json::parse(s.platform.storage.at(key));
        CHECK(sealed.at("sealed") == true);
    }
    CHECK(s.platform.storage.at(app::kBackupKey).find("secret-looking-text") == std::string::npos);
    CHECK(s.platform.storage.at("oauth-setup:backup:1700000000").find("older backup") == std::string::npos);
    CHECK(
        s.state.storageBanner ==
        "The saved profiles are not valid JSON; the text was kept as it is and will not be overwritten. The "
        "stored text was kept under the key \"oauth-setup:backup\", sealed with your passphrase; unlock to "
        "download it.");
    s.store.downloadBackup();
    s.platform.runCrypto();
    REQUIRE(s.platform.downloads.size() == 1);
    CHECK(s.platform.downloads[0].text == "{not json, secret-looking-text");
}

// ---- Typing: edits written once a burst ---------------------------------------------------------

TEST_CASE("Edits are marked, not written, until flush: one write for a burst of keystrokes",
          "[store][typing]") {
    Store s;
    s.load({Named("A"), Named("B")});
    s.store.save(); // ids and revisions: the base
    const std::size_t writes = s.platform.writesTo(kStorageKey);
    for (const char c : std::string("typed")) {
        s.state.profiles[0].clientId += c;
        s.store.markEdited();
        s.platform.clock += 0.05;
    }
    CHECK(s.platform.writesTo(kStorageKey) == writes);
    CHECK(s.stored().profiles[0].clientId == "client-1");
    REQUIRE(s.store.unsaved());
    CHECK(s.store.unsavedSince() == 1'700'000'000); // the first keystroke's time
    // Another tab stores the document with profile `index` changed, and its 'storage' event arrives.
    const auto otherTabChanges = [&s](const std::string& stored, std::size_t index,
                                      const std::function<void(Profile&)>& change) {
        oauth::StorageDocument theirs = oauth::DecodeDocument(stored);
        change(theirs.profiles[index]);
        theirs.profiles[index].revision += 1;
        const std::string text = oauth::EncodeDocument(theirs);
        s.platform.storage[kStorageKey] = text;
        s.store.onStorageChanged(kStorageKey, text);
    };

    SECTION("flush writes them once, with the next revision") {
        CHECK(s.store.flush());
        CHECK(s.platform.writesTo(kStorageKey) == writes + 1);
        CHECK(s.stored().profiles[0].clientId == "client-1typed");
        CHECK(s.stored().profiles[0].revision == 2);
        CHECK_FALSE(s.store.unsaved());
        CHECK_FALSE(s.store.flush()); // nothing left: no write
        CHECK(s.platform.writesTo(kStorageKey) == writes + 1);
    }
    SECTION("a save for another reason takes them with it") {
        s.store.save();
        CHECK(s.stored().profiles[0].clientId == "client-1typed");
        CHECK_FALSE(s.store.unsaved());
        CHECK_FALSE(s.store.flush());
    }
    SECTION("another tab's save is merged, and the unsaved edits are written with it") {
        otherTabChanges(s.platform.storage.at(kStorageKey), 1,
                        [](Profile& p) { p.clientSecret = "changed-in-the-other-tab"; });
        const oauth::StorageDocument merged = s.stored();
        CHECK(merged.profiles[0].clientId == "client-1typed");
        CHECK(merged.profiles[1].clientSecret == "changed-in-the-other-tab");
        CHECK(s.state.profiles[1].clientSecret == "changed-in-the-other-tab");
        CHECK_FALSE(s.store.unsaved());
    }
    SECTION("another tab saving the same profile: this tab's typing is kept and reported") {
        otherTabChanges(s.platform.storage.at(kStorageKey), 0, [](Profile& p) { p.clientId = "theirs"; });
        CHECK(s.stored().profiles[0].clientId == "client-1typed");
        CHECK(s.state.storageBanner ==
              "Changed in another tab at the same time: \"A\". This tab's version was kept and saved.");
    }
}
