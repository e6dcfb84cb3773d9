// Applies the UI's intents and the platform's asynchronous results to AppState by routing them to
// the parts that own each concern: profile management (controller.cpp), the attempt in progress
// (a GrantSession, grant_session.h; started and timed in grants.cpp), and the tools around them,
// functions over the parts: discovery, revocation, introspection, import and export (tools.h). Storage,
// backups, the tab merge and the passphrase lock are the ProfileStore's (profile_store.h, lock.cpp); every
// request goes out through the Fetcher (fetcher.h).
#pragma once

#include "app/app_state.h"
#include "app/fetcher.h"
#include "app/grant_session.h"
#include "app/parts.h"
#include "app/profile_store.h"
#include "platform/platform.h"

#include <memory>
#include <set>
#include <string>

namespace app {

inline constexpr const char* kTimeoutKey = "oauth-setup:timeout";
inline constexpr const char* kConsentTimeoutKey = "oauth-setup:consent-timeout";
// Consent timeout (s): the attempt ends as an Error when the popup has not called back by then.
inline constexpr int kMinConsentTimeout = 5;
inline constexpr int kMaxConsentTimeout = 3600;
// Auto-refresh runs this long before the token expires (or at 10% of a shorter lifetime).
inline constexpr double kAutoRefreshLeadSeconds = 60;
// Edits typed without a pause (the frame loop never idle) are written at least this often.
inline constexpr double kMaxUnsavedSeconds = 2;

// The platform's one Listener: the callback, the popup closing and other tabs' saves arrive
// through it, from the platform's queue at the start of a frame.
class Controller final : public platform::Platform::Listener {
  public:
    Controller(platform::Platform& platform, AppState& state) : platform_(platform), state_(state) {
        store_.onSelectionMoved = [this](int index) { SelectProfile(parts_, index); };
        platform_.setListener(this);
    }
    ~Controller() override {
        if (platform_.listener() == this)
            platform_.setListener(nullptr);
    }
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    // Reads the stored profiles (or starts with one blank profile).
    void load();
    // Applies and clears state.intents. Call after each frame.
    void applyIntents();
    // Timers: device polling, expiry of the device code, auto-refresh, edits unsaved for
    // kMaxUnsavedSeconds. Call before each frame.
    void tick();
    // Writes the edits typed since the last save (ProfileStore::markEdited), once per burst: the
    // frame loop calls it when it goes idle, the page host when the page is hidden or closed
    // (pagehide, visibilitychange), where no idle frame may come. True when the save changed
    // what the page shows (a storage banner), which then wants a frame.
    bool flushEdits();

    // The Redirect URL page answered (the whole callback URL).
    void onCallback(const std::string& url) override;
    // The consent popup was closed.
    void onPopupClosed() override;
    // Another tab of this page changed browser storage (the 'storage' event).
    void onStorageChanged(const std::string& key, const std::string& newText) override;

    // window.oauthSetup.snapshot() as JSON text.
    std::string snapshotJson() const;
    // Milliseconds until a timer needs a frame (countdowns, polling, auto-refresh), or -1.
    int nextTimerMs() const;

    oauth::Profile newProfile(const std::string& name) const { return store_.newProfile(name); }
    std::string defaultRedirectUrl() const { return store_.defaultRedirectUrl(); }
    std::string relayUrl() const { return fetcher_.relayUrl(); }
    // The latest attempt (running, or ended), if any: tests read its request values.
    const GrantSession* session() const { return session_.get(); }

  private:
    // controller.cpp
    void apply(const Intent& intent);
    // Each returns whether the intent was its kind.
    bool applyProfileIntent(const Intent& intent);
    bool applyGrantIntent(const Intent& intent);
    bool applyToolIntent(const Intent& intent);
    bool applySettingIntent(const Intent& intent);
    void addProfile(const oauth::Profile& profile); // appended, selected, saved
    void deleteProfile(std::int64_t index);
    void openVerificationPage(const std::string& url);
    void select(int index) { SelectProfile(parts_, index); }
    void rename(const std::string& typed);
    void save() { store_.save(); }
    void lockNow();

    // grants.cpp: starting, ending and timing the attempt (the GrantSession runs it)
    bool running() const { return session_ && session_->running(); }
    void endAttempt();
    void startGrant();
    void refresh(bool automatic = false);
    // The attempt a callback may answer: the one waiting for consent, else a closed one still resumable.
    std::shared_ptr<GrantSession> waitingForCallback();
    // A session whose popup looked closed moves aside: a late callback may resume it.
    void keepIfClosed();
    bool signedOut(const std::string& url); // a return from RP-initiated logout, handled
    double tokenExpiresAt(const oauth::Profile& profile) const;
    void autoRefreshIfDue();
    // With DPoP on, the selected profile's key is made (or read) ahead, so its thumbprint is known
    // when Get Access Token opens the popup (dpop_jkt, RFC 9449 section 10), which cannot wait.
    void prepareDpopKey();

    platform::Platform& platform_;
    AppState& state_;
    ProfileStore store_{platform_, state_};
    Fetcher fetcher_{platform_, state_};
    Parts parts_{platform_, state_, store_, fetcher_};
    std::shared_ptr<GrantSession> session_; // the latest attempt: running, or ended
    std::shared_ptr<GrantSession> closed_;  // one whose popup looked closed: a late callback may resume it
    std::int64_t autoRefreshTriedFor_ = -1; // obtained_at of the token auto-refresh last tried
    std::set<std::string> dpopKeysAsked_;   // DpopKeyName of each key asked for this session
};

} // namespace app
