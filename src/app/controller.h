// Applies the UI's intents and the platform's asynchronous results to AppState: profile
// management (controller.cpp), running the grants (grants.cpp), and the tools around them:
// discovery, revocation, introspection, import and export (tools.cpp). Storage, backups, the tab
// merge and the passphrase lock are the ProfileStore's (profile_store.h, lock.cpp).
#pragma once

#include "app/app_state.h"
#include "app/profile_store.h"
#include "core/device_authorization.h"
#include "core/passphrase_lock.h"
#include "core/transport_failure.h"
#include "platform/platform.h"

#include <functional>
#include <string>

namespace app {

inline constexpr const char* kTimeoutKey = "oauth-setup:timeout";
inline constexpr const char* kConsentTimeoutKey = "oauth-setup:consent-timeout";
// A consent popup that has not called back after this long gets a hint (look at the popup).
inline constexpr double kConsentHintSeconds = 20;
// Consent timeout (s): the attempt ends as an Error when the popup has not called back by then.
inline constexpr int kMinConsentTimeout = 5;
inline constexpr int kMaxConsentTimeout = 3600;
// Auto-refresh runs this long before the token expires (or at 10% of a shorter lifetime).
inline constexpr double kAutoRefreshLeadSeconds = 60;
// An attempt whose popup looked closed can be resumed by a late callback for this long; then its
// state and code verifier are forgotten.
inline constexpr double kClosedAttemptLifetimeSeconds = 600;

// The platform's one Listener: the callback, the popup closing and other tabs' saves arrive
// through it, from the platform's queue at the start of a frame.
class Controller final : public platform::Platform::Listener {
  public:
    Controller(platform::Platform& platform, AppState& state) : platform_(platform), state_(state) {
        store_.onSelectionMoved = [this](int index) { select(index); };
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
    // Timers: device polling, expiry of the device code, auto-refresh. Call before each frame.
    void tick();

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
    std::string relayUrl() const;

  private:
    using FetchHandler = std::function<void(const platform::FetchResult&)>;
    // An endpoint's whole fetch result and what the one answer handler knows about it.
    using AnswerHandler = std::function<void(const oauth::FetchResult&, const oauth::FetchContext&)>;

    // controller.cpp
    void apply(const Intent& intent);
    void select(int index);
    void rename(const std::string& typed);
    void save() { store_.save(); }
    void lockNow();
    std::string uniqueName(const std::string& base) const;
    std::vector<std::string> otherNames(int index) const;

    // grants.cpp
    void startGrant(bool automatic = false);
    void refresh(bool automatic = false);
    void startDeviceGrant();
    void onDeviceAuthorization(const oauth::DeviceAuthorization& authorization);
    void pollDevice();
    void onDevicePoll(const oauth::FetchResult& fetched, const oauth::DevicePoll& poll);
    void sendTokenRequest(const oauth::HttpRequest& request, std::string_view step,
                          const std::string& status);
    void onTokenResponse(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    int askRelay(const std::string& targetUrl, std::function<void(oauth::RelayAvailability)> then);
    void onAuthorizationUrlProbe(std::uint64_t attemptId, platform::FetchFailure failure);
    void consentTimers();
    void connect(oauth::Profile& profile, const oauth::TokenSuccess& token);
    void fail(oauth::Profile& profile, const std::string& message, oauth::Details details = {});
    void endAttempt();
    oauth::Profile* attemptProfile();
    double tokenExpiresAt(const oauth::Profile& profile) const;
    void autoRefreshIfDue();
    // The one answer handler: sends a request to `endpoint` (through the relay when `snapshot` asks
    // for it) and logs it; after a CORS refusal asks this page's relay whether it could help; then
    // calls `handler` with the whole result and its context, which the endpoint's Process* reads.
    // With `attemptCurrent`, the fetches are the attempt's (state_.attempt.fetchId) and `handler`
    // runs only while it returns true. Returns the fetch id.
    int fetchAnswer(const oauth::Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                    oauth::Endpoint endpoint, AnswerHandler handler,
                    std::function<bool()> attemptCurrent = {});
    // Sends a request (through the relay when the profile asks for it), logs it, and calls
    // `handler` with the platform's whole result at the start of a later frame.
    int sendFetch(const oauth::Profile& profile, std::string_view step, const oauth::HttpRequest& request,
                  FetchHandler handler);

    // tools.cpp
    void discover();
    void onDiscovery(oauth::Profile& profile, oauth::Discovery discovery);
    void revoke(const std::string& which);
    void introspect();
    void exportAll();
    void importFile(const std::string& name, const std::string& text);
    void keepDroppedCredentials();
    void copyCurl();
    void newFromPreset(const std::string& id);
    void fillPlaceholders();
    void markRevoked(oauth::Profile& profile, const std::string& which, const std::string& token);

    // controller.cpp: outcomes and copies (issue 9)
    // The failure sentence with the provider's fix for its error code appended (provider_errors.h).
    std::string withProviderFix(const oauth::Profile& profile, const std::string& message,
                                const oauth::Details& details) const;
    void stampOutcome(const oauth::Profile& profile); // the State badge's time
    void copy(std::int64_t what, const std::string& text);

    platform::Platform& platform_;
    AppState& state_;
    ProfileStore store_{platform_, state_};
    std::uint64_t attemptCounter_ = 0;
    std::int64_t autoRefreshTriedFor_ = -1; // obtained_at of the token auto-refresh last tried
    Attempt closedAttempt_; // an attempt whose popup looked closed: a late callback may resume it
};

} // namespace app
