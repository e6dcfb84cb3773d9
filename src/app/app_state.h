// Everything the page shows lives in AppState, a plain struct. The UI (src/ui) is a function of it,
// called once per frame: it edits profile fields in place and emits Intents for everything else.
// The Controller (controller.h) turns intents into storage writes, requests and popups.
#pragma once

#include "core/profile.h"
#include "core/token_response.h"

#include <set>
#include <string>
#include <vector>

namespace app {

enum class Busy { None, Authorizing, Exchanging };

// A grant in progress. Only one runs at a time; results of an older attempt are ignored.
struct Attempt {
    Busy busy = Busy::None;
    std::string profileName; // the profile it runs for, by Token Name
    std::string state;        // authorization request's state (RFC 6749 section 10.12)
    std::string codeVerifier; // PKCE (RFC 7636)
    std::string authorizationUrl;
    int fetchId = -1;
    double startedAt = 0;
    bool refreshing = false; // a refresh_token grant (RFC 6749 section 6)
};

struct Intent {
    enum Kind {
        Select,     // index
        New,
        Duplicate,
        Delete,     // index, after confirmation
        Rename,     // text: the Token Name as typed
        Edited,     // a field of the selected profile changed: save
        GetToken,
        Cancel,
        RetryPopup,
        Refresh,
        Copy,       // text
        CopyCurl,
        DownloadPostman,
    };
    Kind kind;
    int index = -1;
    std::string text;
};

struct AppState {
    std::vector<oauth::Profile> profiles;
    int selected = 0;
    std::string nameDraft;    // Token Name as typed; applied to the profile only when valid
    std::string nameError;    // why the draft was not applied
    std::string filter;
    bool showSecret = false;
    bool showPassword = false;
    bool revealInExports = false;
    bool confirmDelete = false;
    std::set<std::string> touched; // fields edited since the profile was selected: show their errors
    bool showAllErrors = false;     // after Get Access Token found problems

    Attempt attempt;
    std::string status;       // one sentence about the latest action, shown under the button
    bool popupBlocked = false;
    oauth::Details errorDetails; // details of the selected profile's last failure (this session)
    std::string rawResponse;     // body of the last token response (this session)

    std::string storageBanner;   // storage problems, shown at the top
    bool darkMode = false;
    double now = 0;              // seconds since 1970, set each frame

    std::vector<Intent> intents; // emitted by the UI during a frame, applied after it

    oauth::Profile* current() {
        return selected >= 0 && selected < static_cast<int>(profiles.size()) ? &profiles[selected] : nullptr;
    }
    void emit(Intent::Kind kind, int index = -1, std::string text = {}) {
        intents.push_back({kind, index, std::move(text)});
    }
};

} // namespace app
