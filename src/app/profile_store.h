// The stored profiles: loading and saving the document in browser storage, backups of what could
// not be read, the merge with other tabs of the page, and the passphrase lock that seals secrets
// at rest. Works on AppState's profiles and its storage and lock fields; knows nothing of grants.
#pragma once

#include "app/app_state.h"
#include "core/passphrase_lock.h"
#include "core/storage.h"
#include "platform/platform.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace app {

inline constexpr const char* kStorageKey = "oauth-setup:profiles";
inline constexpr const char* kBackupKey = "oauth-setup:backup";
inline constexpr const char* kSelectedKey = "oauth-setup:selected";

// A profile stored or imported as "Connected" without a token is Default (empty).
void ClearConnectedWithoutToken(oauth::Profile& profile);

class ProfileStore {
  public:
    ProfileStore(platform::Platform& platform, AppState& state) : platform_(platform), state_(state) {}

    // Called when a merge moved the selection to another profile (the Controller resets its view).
    std::function<void(int index)> onSelectionMoved;

    // Reads the stored profiles (or starts with one blank profile) and the selected one; whatever
    // could not be read is backed up before a save may replace it.
    void load();
    // Writes the profiles, merged first with what another tab stored since; while the lock is on the
    // secrets are sealed first. Does nothing while the stored text must be kept. Takes the edits
    // marked so far with it.
    void save();
    // Typing in a field: the profiles changed, but the document is not written on every keystroke
    // (a save decodes the merge base and encodes every profile: ~25 ms with 1,000 of them). The
    // edits of a burst are written once by flush(), which the Controller calls when the frame loop
    // goes idle, when the page is hidden or closed, and before any other intent.
    void markEdited();
    // Writes the edits marked since the last save, if any (save()); true when there were some.
    bool flush();
    bool unsaved() const { return unsavedSince_.has_value(); }
    // platform.now() of the first edit not saved yet.
    double unsavedSince() const { return unsavedSince_.value_or(0); }
    // Another tab of this page changed browser storage (the 'storage' event).
    void onStorageChanged(const std::string& key, const std::string& newText);
    // Downloads the backup of unreadable stored text.
    void downloadBackup();

    // The passphrase lock (from state.passphraseInput / passphraseRepeat).
    void setPassphrase();
    void unlock();
    void lockNow(); // seals what is in memory, then drops the secrets from memory
    void removePassphrase();
    bool lockSet() const { return lock_.has_value(); }

    oauth::Profile newProfile(const std::string& name) const;
    std::string defaultRedirectUrl() const;

    // Gives every profile without one its stable id (AssignProfileIds); saving does it too. The DPoP
    // key is named by the id, so a profile gets it before its first proof.
    void assignIds();

  private:
    void backUpUnreadable(const oauth::StorageDocument& doc);
    bool findBackup(const std::string& rawText);
    std::string freeBackupKey();
    // A lock just set: each backup kept in clear (from before the lock) is sealed in place.
    void sealClearBackups();
    void sealBackup();
    bool mergeStored(const std::string& newText);
    void bumpRevisions();
    void writeDocument(const std::vector<oauth::Profile>& profiles);

    platform::Platform& platform_;
    AppState& state_;
    bool mayOverwrite_ = true;              // false while stored data that could not be read is not backed up
    std::string lastStoredText_;            // the document as this tab last read or wrote it: the merge base
    std::optional<oauth::LockParams> lock_; // set while the passphrase lock is on
    int saveSeq_ = 0;                       // drops an encrypted save overtaken by a newer one
    std::optional<double> unsavedSince_;    // edits marked and not saved yet: since when
    nlohmann::json storedUnknownKeys_ = nlohmann::json::object(); // top-level keys of a newer page, kept
    std::string backupKey_ = kBackupKey;                          // where unreadable stored text was kept
    bool backupSealed_ = false; // the backup under backupKey_ is sealed with the lock's key
    // Unreadable text found while locked: kept out of storage in clear, and sealed into a backup once
    // unlocked. Nothing is saved while it waits, so the stored original is never lost.
    std::optional<std::string> unsealedBackup_;
    std::string unreadableMessage_; // what was unreadable, for the banner once it is sealed
    // Profiles whose sealed secrets are keyed by an old Token Name (sealed before profiles had ids):
    // id -> that name. Stored in the lock object until the secrets are sealed again by id.
    std::map<std::string, std::string> sealedNames_;
};

} // namespace app
