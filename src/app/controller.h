// Applies the UI's intents and the platform's asynchronous results to AppState: profile
// management, saving to browser storage, and running each grant through src/core.
#pragma once

#include "app/app_state.h"
#include "platform/platform.h"

#include <string>

namespace app {

inline constexpr const char* kStorageKey = "oauth-setup:profiles";
inline constexpr const char* kBackupKey = "oauth-setup:backup";
inline constexpr const char* kSelectedKey = "oauth-setup:selected";
inline constexpr int kTokenTimeoutMs = 30000;

class Controller {
  public:
    Controller(platform::Platform& platform, AppState& state) : platform_(platform), state_(state) {}

    // Reads the stored profiles (or starts with one blank profile).
    void load();
    // Applies and clears state.intents. Call after each frame.
    void applyIntents();

    // The Redirect URL page answered (the whole callback URL).
    void onCallback(const std::string& url);
    // The consent popup was closed.
    void onPopupClosed();
    // Another tab of this page changed browser storage (the 'storage' event).
    void onStorageChanged(const std::string& key, const std::string& newText);

    // window.oauthSetup.snapshot() as JSON text.
    std::string snapshotJson() const;
    // Milliseconds until a timer needs a frame (token countdown), or -1.
    int nextTimerMs() const;

    oauth::Profile newProfile(const std::string& name) const;
    std::string defaultRedirectUrl() const;

  private:
    void apply(const Intent& intent);
    void select(int index);
    void rename(const std::string& typed);
    void save();
    void startGrant();
    void refresh();
    void sendTokenRequest(const oauth::HttpRequest& request, const std::string& step);
    void onTokenResponse(const platform::FetchResult& result, const std::string& tokenUrl);
    void fail(oauth::Profile& profile, const std::string& message, oauth::Details details = {});
    void endAttempt();
    oauth::Profile* attemptProfile();
    std::string uniqueName(const std::string& base) const;
    std::vector<std::string> otherNames(int index) const;

    platform::Platform& platform_;
    AppState& state_;
    bool mayOverwrite_ = true; // false while stored data that could not be read is not backed up
    std::string lastStoredText_; // the document as this tab last read or wrote it: the merge base
};

} // namespace app
