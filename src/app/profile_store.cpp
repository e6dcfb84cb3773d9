#include "app/profile_store.h"

#include "core/profile_merge.h"
#include "core/storage.h"

#include <utility>

namespace app {

using oauth::Profile;

// "Connected" means this profile holds a token: one stored or imported without its token is
// Default (empty), never Connected.
void ClearConnectedWithoutToken(Profile& p) {
    if (p.state == oauth::kStateConnected && !p.lastToken.is_object())
        p.state.clear();
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
    state_.nameDraft = state_.profiles[state_.selected].tokenName;
}

// Whatever could not be read as it was (broken, newer, wrong types) is backed up before the first
// save may replace it. A backup key never gets overwritten with other text, and the same text is
// not backed up twice.
void ProfileStore::backUpUnreadable(const oauth::StorageDocument& doc) {
    const bool unreadable = oauth::MustNotOverwrite(doc);
    bool backedUp = false;
    backupKey_.clear();
    std::vector<std::string> keys = platform_.storageKeys(kBackupKey);
    keys.insert(keys.begin(), kBackupKey);
    for (const std::string& key : keys) {
        std::optional<std::string> existing = platform_.loadText(key);
        if (existing && *existing == doc.rawText) {
            backupKey_ = key;
            backedUp = true;
            break;
        }
    }
    if (!backedUp) {
        backupKey_ = kBackupKey;
        if (platform_.loadText(backupKey_))
            backupKey_ += ":" + std::to_string(static_cast<std::int64_t>(platform_.now()));
        backedUp = platform_.saveText(backupKey_, doc.rawText).ok;
    }
    if (unreadable)
        mayOverwrite_ = backedUp;
    state_.hasBackup = backedUp;
    state_.storageBanner =
        doc.message +
        (backedUp     ? " The stored text was kept under the key \"" + backupKey_ + "\"; download it below."
         : unreadable ? " It could not be backed up, so changes are not saved."
                      : "");
}

void ProfileStore::downloadBackup() {
    if (std::optional<std::string> raw = platform_.loadText(backupKey_))
        platform_.downloadFile("oauth-setup-unreadable-storage.txt", "text/plain", *raw);
}

// ---- Saving ------------------------------------------------------------------------------------

void ProfileStore::assignIds() {
    oauth::AssignProfileIds(state_.profiles,
                            [this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); });
}

void ProfileStore::save() {
    if (!mayOverwrite_)
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
        writeDocument(stripped);
    });
}

void ProfileStore::writeDocument(const std::vector<Profile>& profiles) {
    oauth::StorageDocument doc;
    doc.profiles = profiles;
    doc.unknownKeys = storedUnknownKeys_;
    if (lock_)
        doc.unknownKeys["lock"] = oauth::LockToJson(*lock_);
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
    bumpRevisions(); // edits of this frame not saved yet count as this tab's changes
    if (mergeStored(newText))
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
