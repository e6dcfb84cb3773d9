// The passphrase lock of the ProfileStore: secrets, passwords and tokens encrypted at rest with a
// key the browser derives from the person's passphrase (platform: WebCrypto PBKDF2-SHA-256,
// AES-256-GCM).
#include "app/profile_store.h"

#include "core/encoding.h"
#include "core/storage.h"

#include <array>

namespace app {

void ProfileStore::setPassphrase() {
    if (state_.lockBusy)
        return;
    if (state_.passphraseInput.size() < 8) {
        state_.status = "Choose a passphrase of at least 8 characters.";
        return;
    }
    if (state_.passphraseInput != state_.passphraseRepeat) {
        state_.status = "The two passphrases differ; type the same one twice.";
        return;
    }
    std::array<std::uint8_t, 16> salt{};
    platform_.randomBytes(salt.data(), salt.size());
    oauth::LockParams params;
    params.salt =
        oauth::Base64Encode(std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()));
    state_.lockBusy = true;
    state_.status = "Deriving a key from the passphrase…";
    const std::string passphrase = state_.passphraseInput;
    state_.passphraseInput.clear();
    state_.passphraseRepeat.clear();
    platform_.deriveLockKey(passphrase, params.salt, params.iterations, [this, params](bool ok) {
        state_.lockBusy = false;
        if (!ok) {
            state_.status =
                "This browser could not derive a key (WebCrypto is unavailable), so nothing was locked.";
            return;
        }
        lock_ = params;
        state_.lockEnabled = true;
        state_.locked = false;
        save();
        sealClearBackups(); // no copy in clear stays while the lock is set
        state_.status = "Client secrets, passwords and tokens are now stored encrypted with your passphrase. "
                        "Without it they cannot be recovered.";
    });
}

void ProfileStore::unlock() {
    if (!lock_ || !state_.locked || state_.lockBusy)
        return;
    state_.lockBusy = true;
    state_.status = "Unlocking…";
    const std::string passphrase = state_.passphraseInput;
    state_.passphraseInput.clear();
    const oauth::LockParams lock = *lock_;
    auto wrong = [this] {
        platform_.forgetLockKey();
        state_.lockBusy = false;
        state_.status = "Wrong passphrase: nothing was unlocked or changed.";
    };
    platform_.deriveLockKey(passphrase, lock.salt, lock.iterations, [this, lock, wrong](bool ok) {
        if (!ok)
            return wrong();
        platform_.unseal(lock.iv, lock.ciphertext, [this, wrong](bool ok2, std::string plaintext) {
            if (!ok2 || !state_.locked)
                return wrong();
            // Secrets sealed before profiles had ids are found under the Token Name they were sealed with.
            std::vector<oauth::Profile> keyed = state_.profiles;
            for (oauth::Profile& p : keyed)
                if (auto name = sealedNames_.find(p.id); name != sealedNames_.end())
                    p.tokenName = name->second;
            if (!oauth::RestoreSecrets(keyed, plaintext))
                return wrong();
            for (std::size_t i = 0; i < keyed.size(); ++i) {
                state_.profiles[i].clientSecret = keyed[i].clientSecret;
                state_.profiles[i].password = keyed[i].password;
                state_.profiles[i].privateKey = keyed[i].privateKey;
                state_.profiles[i].lastToken = keyed[i].lastToken;
            }
            state_.locked = false;
            state_.lockBusy = false;
            state_.status = "Unlocked: secrets and tokens are available in this tab.";
            if (unsealedBackup_)
                sealBackup();
        });
    });
}

void ProfileStore::lockNow() {
    if (!lock_ || state_.locked)
        return;
    save(); // seals what is in memory before it is dropped
    state_.profiles = oauth::WithoutSecrets(state_.profiles);
    state_.locked = true;
    platform_.forgetLockKey();
    state_.status = "Locked: secrets and tokens are hidden until you unlock.";
}

void ProfileStore::removePassphrase() {
    if (!lock_ || state_.locked)
        return;
    lock_.reset();
    ++saveSeq_; // an encrypted save still on its way must not write the lock back
    state_.lockEnabled = false;
    platform_.forgetLockKey();
    save();
    state_.status = "The passphrase lock is off: secrets are stored unencrypted in this browser again.";
}

} // namespace app
