#include "app/profile_store.h"

#include "core/encoding.h"
#include "core/json_depth.h"
#include "core/profile_merge.h"
#include "core/sha256.h"
#include "core/storage.h"

#include <algorithm>
#include <utility>

namespace app {

using oauth::Profile;

namespace {

constexpr const char* kSealedNamesKey = "sealedNames";

std::string Sha256Base64(std::string_view text) {
    const oauth::Sha256Digest digest = oauth::Sha256(text);
    return oauth::Base64Encode(oauth::AsBytes(digest.data(), digest.size()));
}

} // namespace

// "Connected" means this profile holds a token: one stored or imported without its token is
// Default (empty), never Connected.
void ClearConnectedWithoutToken(Profile& p) {
    if (p.state == oauth::ProfileState::Connected && !p.lastToken.is_object())
        p.state = oauth::ProfileState::None;
}

std::string ProfileStore::defaultRedirectUrl() const {
    std::string page = platform_.pageUrl();
    auto slash = page.rfind('/');
    return (slash == std::string::npos ? page + "/" : page.substr(0, slash + 1)) + "callback.html";
}

Profile ProfileStore::newProfile(const std::string& name) const {
    Profile p;
    p.tokenName = name;
    p.redirectUrl = defaultRedirectUrl();
    return p;
}

// ---- Loading -----------------------------------------------------------------------------------

void ProfileStore::load() {
    std::optional<std::string> text = platform_.loadText(kStorageKey);
    oauth::StorageDocument doc = oauth::DecodeDocument(text.value_or(""));
    state_.profiles = doc.profiles;
    lastStoredText_ = text.value_or("");
    if (auto lock = doc.unknownKeys.find("lock"); lock != doc.unknownKeys.end()) {
        lock_ = oauth::LockFromJson(*lock);
        if (lock_) {
            state_.lockEnabled = state_.locked = true;
            if (auto names = lock->find(kSealedNamesKey); names != lock->end() && names->is_object())
                for (const auto& [id, name] : names->items())
                    if (name.is_string())
                        sealedNames_[id] = name.get<std::string>();
            // Ids now, not at the first save: secrets sealed before profiles had ids are keyed by
            // the Token Name, which a rename while locked would otherwise lose.
            std::vector<std::string> namesBefore;
            for (const Profile& p : state_.profiles)
                namesBefore.push_back(p.id.empty() ? p.tokenName : std::string());
            assignIds();
            for (std::size_t i = 0; i < state_.profiles.size(); ++i)
                if (!namesBefore[i].empty())
                    sealedNames_[state_.profiles[i].id] = namesBefore[i];
        } else {
            // Never replace sealed secrets the page cannot read.
            mayOverwrite_ = false;
            state_.storageBanner = "The stored passphrase lock is unreadable, so this page does not save "
                                   "changes; the stored text is left as it is.";
        }
        doc.unknownKeys.erase("lock");
    }
    storedUnknownKeys_ = doc.unknownKeys;
    if (oauth::MustNotOverwrite(doc) || !doc.problems.empty())
        backUpUnreadable(doc);
    for (Profile& p : state_.profiles)
        if (!lock_) // locked: the tokens are sealed, not missing
            ClearConnectedWithoutToken(p);
    if (state_.profiles.empty())
        state_.profiles.push_back(newProfile("New Profile"));
    state_.selected = 0;
    if (std::optional<std::string> name = platform_.loadText(kSelectedKey)) {
        for (size_t i = 0; i < state_.profiles.size(); ++i)
            if (state_.profiles[i].tokenName == *name)
                state_.selected = static_cast<int>(i);
    }
    state_.nameDraft = state_.profiles[static_cast<std::size_t>(state_.selected)].tokenName;
}

// Whatever could not be read as it was (broken, newer, wrong types) is backed up before the first
// save may replace it. A backup key never gets overwritten with other text, and the same text is
// not backed up twice. While a lock is set the backup is sealed: never a copy in clear.
void ProfileStore::backUpUnreadable(const oauth::StorageDocument& doc) {
    const bool unreadable = oauth::MustNotOverwrite(doc);
    bool backedUp = findBackup(doc.rawText);
    if (!backedUp && lock_) {
        unsealedBackup_ = doc.rawText;
        unreadableMessage_ = doc.message;
        state_.hasBackup = false;
        state_.storageBanner =
            doc.message + " While the passphrase lock is on, the stored text is not copied in clear: unlock, "
                          "and it is kept under a backup key, sealed with your passphrase. Until then "
                          "changes are not saved.";
        return;
    }
    if (!backedUp) {
        backupKey_ = freeBackupKey();
        backedUp = platform_.saveText(backupKey_, doc.rawText).ok;
    }
    if (unreadable)
        mayOverwrite_ = backedUp;
    state_.hasBackup = backedUp;
    state_.storageBanner =
        doc.message + (!backedUp ? (unreadable ? " It could not be backed up, so changes are not saved." : "")
                       : backupSealed_ ? " The stored text was kept under the key \"" + backupKey_ +
                                             "\", sealed with your passphrase; unlock to download it."
                                       : " The stored text was kept under the key \"" + backupKey_ +
                                             "\"; download it below.");
}

// A backup of this text already kept, in clear or sealed (known by its SHA-256).
bool ProfileStore::findBackup(const std::string& rawText) {
    std::vector<std::string> keys = platform_.storageKeys(kBackupKey);
    keys.insert(keys.begin(), kBackupKey);
    std::optional<std::string> hash;
    for (const std::string& key : keys) {
        std::optional<std::string> existing = platform_.loadText(key);
        if (!existing)
            continue;
        bool sealed = false;
        if (*existing != rawText) {
            const nlohmann::json backup = oauth::ParseUntrustedJson(*existing);
            if (!hash)
                hash = Sha256Base64(rawText);
            sealed = backup.is_object() && backup.value("sealed", false) == true &&
                     backup.value("sha256", "") == *hash;
            if (!sealed)
                continue;
        }
        backupKey_ = key;
        backupSealed_ = sealed;
        return true;
    }
    return false;
}

std::string ProfileStore::freeBackupKey() {
    if (!platform_.loadText(kBackupKey))
        return kBackupKey;
    return std::string(kBackupKey) + ":" + std::to_string(static_cast<std::int64_t>(platform_.now()));
}

namespace {

// A backup sealed with the lock's key, with the salt and iterations that derive that key again.
nlohmann::json SealedBackup(const oauth::LockParams& lock, const std::string& iv,
                            const std::string& ciphertext, const std::string& text) {
    return {
        {"sealed", true}, {"kdf", lock.kdf},          {"iterations", lock.iterations}, {"salt", lock.salt},
        {"iv", iv},       {"ciphertext", ciphertext}, {"sha256", Sha256Base64(text)}};
}

bool IsSealedBackup(const std::string& text) {
    const nlohmann::json backup = oauth::ParseUntrustedJson(text);
    return backup.is_object() && backup.value("sealed", false) == true;
}

} // namespace

void ProfileStore::sealClearBackups() {
    std::vector<std::string> keys = platform_.storageKeys(kBackupKey);
    if (std::find(keys.begin(), keys.end(), kBackupKey) == keys.end())
        keys.insert(keys.begin(), kBackupKey);
    const oauth::LockParams lock = *lock_;
    for (const std::string& key : keys) {
        const std::optional<std::string> text = platform_.loadText(key);
        if (!text || text->empty() || IsSealedBackup(*text))
            continue;
        platform_.seal(
            *text, [this, key, text = *text, lock](bool ok, std::string iv, std::string ciphertext) {
                // Sealing failed, or the key holds other text by now: the backup stays as it is.
                if (!ok || platform_.loadText(key) != text)
                    return;
                if (!platform_.saveText(key, oauth::DumpJson(SealedBackup(lock, iv, ciphertext, text))).ok)
                    return;
                if (key == backupKey_) {
                    backupSealed_ = true;
                    const std::string kept = "The stored text was kept under the key \"" + key + "\"";
                    if (auto at = state_.storageBanner.find(kept); at != std::string::npos)
                        state_.storageBanner = state_.storageBanner.substr(0, at) + kept +
                                               ", sealed with your passphrase; unlock to download it.";
                }
            });
    }
}

// Unlocked with unreadable text waiting: it is sealed with the lock's key and kept under a backup key,
// with the salt and iterations that derive that key again from the passphrase.
void ProfileStore::sealBackup() {
    const std::string text = *unsealedBackup_;
    const oauth::LockParams lock = *lock_;
    platform_.seal(text, [this, text, lock](bool ok, std::string iv, std::string ciphertext) {
        if (!unsealedBackup_ || *unsealedBackup_ != text)
            return;
        const std::string key = freeBackupKey();
        const nlohmann::json backup = SealedBackup(lock, iv, ciphertext, text);
        if (!ok || !platform_.saveText(key, oauth::DumpJson(backup)).ok) {
            state_.storageBanner =
                unreadableMessage_ + " It could not be backed up sealed, so changes are not saved.";
            return;
        }
        unsealedBackup_.reset();
        backupKey_ = key;
        backupSealed_ = true;
        state_.hasBackup = true;
        state_.storageBanner = unreadableMessage_ + " The stored text was kept under the key \"" + key +
                               "\", sealed with your passphrase; unlock to download it.";
    });
}

void ProfileStore::downloadBackup() {
    std::optional<std::string> raw = platform_.loadText(backupKey_);
    if (!raw)
        return;
    auto download = [this](const std::string& text) {
        platform_.downloadFile("oauth-setup-unreadable-storage.txt", "text/plain", text);
    };
    if (!backupSealed_)
        return download(*raw);
    if (state_.locked) {
        state_.status = "Unlock first: the backup is sealed with your passphrase.";
        return;
    }
    const nlohmann::json backup = oauth::ParseUntrustedJson(*raw);
    platform_.unseal(backup.value("iv", ""), backup.value("ciphertext", ""),
                     [this, download](bool ok, std::string text) {
                         if (ok)
                             download(text);
                         else
                             state_.status = "The backup could not be unsealed: it was sealed with another "
                                             "passphrase.";
                     });
}

// ---- Saving ------------------------------------------------------------------------------------

void ProfileStore::assignIds() {
    oauth::AssignProfileIds(state_.profiles,
                            [this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); });
}

void ProfileStore::markEdited() {
    if (!unsavedSince_)
        unsavedSince_ = platform_.now();
    assignIds(); // as a save would: a new profile's DPoP key is named by its id
}

bool ProfileStore::flush() {
    if (!unsavedSince_)
        return false;
    save();
    return true;
}

void ProfileStore::save() {
    unsavedSince_.reset(); // written now, or never while the stored text must be kept
    if (!mayOverwrite_ || unsealedBackup_)
        return;
    assignIds();
    bumpRevisions();
    if (!lock_) {
        // Another tab may have saved since this one last did (its 'storage' event can still be on
        // its way): merge it first, so this write never drops the other tab's changes.
        std::optional<std::string> current = platform_.loadText(kStorageKey);
        if (current && *current != lastStoredText_) {
            mergeStored(*current);
            lastStoredText_ = *current;
        }
    }
    if (!lock_ || state_.locked) {
        // Locked: the profiles in memory carry no secrets; the sealed ones stay as they were.
        writeDocument(lock_ ? oauth::WithoutSecrets(state_.profiles) : state_.profiles);
        return;
    }
    const int seq = ++saveSeq_;
    const std::vector<Profile> profiles = state_.profiles;
    platform_.seal(oauth::SecretsOf(profiles), [this, seq, stripped = oauth::WithoutSecrets(profiles)](
                                                   bool ok, std::string iv, std::string ciphertext) {
        if (seq != saveSeq_ || !lock_)
            return; // a newer save is on its way
        if (!ok) {
            state_.storageBanner =
                "Changes are not saved: the secrets could not be encrypted in this browser.";
            return;
        }
        lock_->iv = std::move(iv);
        lock_->ciphertext = std::move(ciphertext);
        sealedNames_.clear(); // sealed by id now
        writeDocument(stripped);
    });
}

void ProfileStore::writeDocument(const std::vector<Profile>& profiles) {
    oauth::StorageDocument doc;
    doc.profiles = profiles;
    doc.unknownKeys = storedUnknownKeys_;
    if (lock_) {
        doc.unknownKeys["lock"] = oauth::LockToJson(*lock_);
        if (!sealedNames_.empty())
            doc.unknownKeys["lock"][kSealedNamesKey] = sealedNames_;
    }
    std::string text = oauth::EncodeDocument(doc);
    platform::StorageWrite w = platform_.saveText(kStorageKey, text);
    if (w.ok)
        lastStoredText_ = std::move(text);
    if (const Profile* p = state_.current())
        platform_.saveText(kSelectedKey, p->tokenName);
    if (!w.ok)
        state_.storageBanner = "Changes are not saved: the browser refused to store them (" + w.error +
                               "). They stay on this page until it is closed.";
    else if (state_.storageBanner.rfind("Changes are not saved", 0) == 0)
        state_.storageBanner.clear();
}

// ---- Several tabs ------------------------------------------------------------------------------

// A three-way merge by Token Name against what this tab last stored: a profile only the other tab
// changed takes its version, one only this tab changed keeps ours, one both changed keeps ours and
// is reported (then saved, so the other tab sees it too).
void ProfileStore::onStorageChanged(const std::string& key, const std::string& newText) {
    if (key != kStorageKey || newText == lastStoredText_)
        return;
    oauth::StorageDocument theirs = oauth::DecodeDocument(newText);
    if (lock_ || theirs.unknownKeys.contains("lock")) {
        // Sealed secrets cannot be merged without the other tab's key: stop saving here rather
        // than overwrite what the other tab stored.
        mayOverwrite_ = false;
        state_.storageBanner = "Another tab changed the stored profiles while the passphrase lock is on. "
                               "This tab no longer saves: reload it to see and keep editing them.";
        return;
    }
    bumpRevisions(); // edits not saved yet (markEdited) count as this tab's changes
    // Saved back when this tab has changes the other lacks, and always with edits still unsaved:
    // they are written now, merged, rather than at the next idle frame over the other tab's text.
    if (mergeStored(newText) || unsaved())
        save();
}

// Merges a document another tab stored into this tab's profiles (oauth::MergeProfiles). Returns
// true when this tab has changes the stored document lacks (they must be saved back).
bool ProfileStore::mergeStored(const std::string& newText) {
    oauth::StorageDocument theirs = oauth::DecodeDocument(newText);
    if (theirs.status != oauth::DocumentStatus::Ok && theirs.status != oauth::DocumentStatus::Empty)
        return false;
    oauth::StorageDocument base = oauth::DecodeDocument(lastStoredText_);
    const std::string selectedName = state_.current() ? state_.current()->tokenName : "";
    oauth::MergeResult merged = oauth::MergeProfiles(base.profiles, state_.profiles, theirs.profiles);
    if (merged.profiles.empty())
        merged.profiles.push_back(newProfile("New Profile"));
    state_.profiles = std::move(merged.profiles);
    lastStoredText_ = newText;
    state_.selected = 0;
    for (size_t i = 0; i < state_.profiles.size(); ++i)
        if (state_.profiles[i].tokenName == selectedName)
            state_.selected = static_cast<int>(i);
    if (state_.current() && state_.current()->tokenName != selectedName && onSelectionMoved)
        onSelectionMoved(state_.selected);
    if (!merged.conflicts.empty()) {
        std::string names;
        for (const std::string& n : merged.conflicts)
            names += (names.empty() ? "\"" : ", \"") + n + "\"";
        state_.storageBanner =
            "Changed in another tab at the same time: " + names + ". This tab's version was kept and saved.";
    }
    return merged.mineKept || !merged.conflicts.empty();
}

// Every profile this tab changed since it last read or wrote storage gets the next revision.
void ProfileStore::bumpRevisions() {
    oauth::BumpRevisions(state_.profiles, oauth::DecodeDocument(lastStoredText_).profiles);
}

} // namespace app
