// Everything the page shows lives in AppState, a plain struct. The UI (src/ui) is a function of it,
// called once per frame: it edits profile fields in place and emits Intents for everything else.
// The Controller (controller.h) turns intents into storage writes, requests and popups.
#pragma once

#include "core/discovery.h"
#include "core/exchange_log.h"
#include "core/profile.h"
#include "core/profiles_export.h"
#include "core/pushed_authorization.h"
#include "core/setup_check.h"
#include "core/token_response.h"

#include <optional>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace app {

enum class Busy {
    None,
    Authorizing,      // consent popup open
    Exchanging,       // a token request in flight
    DeviceRequesting, // device authorization request in flight (RFC 8628 section 3.1)
    DevicePolling,    // waiting for the user to approve the device code (section 3.4)
    VerifyingIdToken, // the ID token's keys fetched and its signature checked (OIDC Core 3.1.3.7)
};

// The device code being shown while the user approves it elsewhere (RFC 8628 section 3.2).
struct DeviceCode {
    std::string userCode;
    std::string verificationUri;
    std::string verificationUriComplete;
    double expiresAt = 0;  // seconds since 1970
    double nextPollAt = 0; // when the next token poll is due
    std::int64_t interval = 5;
};

// What the page shows of the grant in progress. Only one runs at a time. The GrantSession that runs
// it (grant_session.h) publishes this; the attempt's own values (its copy of the profile, the
// state, the code verifier, the nonce, the device code) stay in the session.
struct AttemptView {
    Busy busy = Busy::None;
    std::string profileName; // the profile it runs for, by Token Name
    bool refreshing = false; // a refresh_token grant (RFC 6749 section 6)
    DeviceCode device;       // while busy is DevicePolling
};

// What this session found of an ID token's signature (OIDC Core 1.0 section 3.1.3.7), kept by the
// token's fingerprint (its SHA-256 half, never the token itself).
struct IdTokenCheck {
    std::string fingerprint;
    bool verified = false;
    std::string message; // "Signature verified with key k1." or "Signature not verified: ..."
};

inline constexpr std::string_view kIdTokenNotChecked =
    "Signature not verified: it was not checked in this page session (get a token again to check it).";

// Why a consent popup never calls back (an error page at the provider).
inline constexpr std::string_view kUsualConsentCauses =
    "the usual causes are a mistyped Authorization URL (a 404 page), a wrong Client ID, or a Redirect URL "
    "that "
    "is not registered with the provider";

// Shown while the consent popup has not called back for a while (AppState::consentHint).
inline std::string ConsentHintText() {
    return "Still waiting for the provider to send you back. Look at the popup: an error page there never "
           "returns to this page; " +
           std::string(kUsualConsentCauses) + ".";
}

struct Intent {
    enum Kind {
        Select, // index
        New,
        Duplicate,
        Delete, // index, after confirmation
        Rename, // text: the Token Name as typed
        GetToken,
        Cancel,
        RetryPopup,
        Refresh,
        Copy, // text
        CopyCurl,
        DownloadPostman,
        NewFromPreset, // text: preset id
        Discover,
        AddScope, // text
        Revoke,   // text: "access_token" or "refresh_token"
        Introspect,
        CallUserinfo, // the UserInfo endpoint of the discovered metadata, with the access token
        SignOut,      // the discovered end_session_endpoint in the popup, with the ID token
        OpenUrl,      // text: opened in a new tab
        ExportAll,
        Import,           // asks the browser for a file
        CopyExchangeCurl, // index: exchange log entry id
        DownloadBackup,   // the stored text the page could not read
        TimeoutChanged,
        ConsentTimeoutChanged,
        RetryThroughRelay, // after a CORS refusal: tick "Use CORS relay" and run the grant again
        RetryUnencoded,    // after a refusal of form-encoded Basic credentials: send them as typed
        SetPassphrase,     // from passphraseInput / passphraseRepeat
        Unlock,            // from passphraseInput
        LockNow,
        RemovePassphrase,
        KeepDroppedCredentials, // the person confirms keeping what the last import dropped
        Edited,                 // a field of the selected profile changed: save
        FillPlaceholders,       // the placeholder form's Apply: placeholderDrafts into every URL
        GenerateSigningKey,     // private_key_jwt: a new key pair for the selected profile
        ShowPublicKey,          // private_key_jwt: the public JWK and JWKS of the selected profile's key
    };
    Kind kind;
    std::int64_t index = -1;
    std::string text;
};

// Long texts (a 5 MB error page in the exchange log) are shown and reported cut at `max` bytes.
inline std::string ClipForDisplay(std::string text, std::size_t max = 20000) {
    if (text.size() <= max)
        return text;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    const std::size_t more = text.size() - cut;
    text.resize(cut);
    return text + "\n… (" + std::to_string(more) + " more bytes not shown)";
}

// Intent::Copy's index: what is copied, for the confirmation ("Copied the access token ...").
inline constexpr std::int64_t kCopyRedirectUrl = 1;
inline constexpr std::int64_t kCopyAccessToken = 2;
inline constexpr std::int64_t kCopyPublicJwk = 3;
inline constexpr std::int64_t kCopyJwks = 4;
// Set in Profile::lastToken when the access token was revoked (RFC 7009): seconds since 1970.
inline constexpr const char* kRevokedAtKey = "revoked_at";

struct AppState {
    std::vector<oauth::Profile> profiles;
    int selected = 0;
    std::string nameDraft; // Token Name as typed; applied to the profile only when valid
    std::string nameError; // why the draft was not applied
    std::string filter;
    bool showSecret = false;
    bool showPassword = false;
    bool revealInExports = false;
    bool confirmDelete = false;
    std::set<std::string> touched; // fields edited since the profile was selected: show their errors
    bool showAllErrors = false;    // after Get Access Token found problems

    AttemptView attempt; // the grant in progress, as GrantSession publishes it
    std::string status;  // one sentence about the latest action, shown under the button
    bool popupBlocked = false;
    bool offerRelayRetry = false;     // the last failure was a CORS refusal the page's relay can work around
    bool offerUnencodedRetry = false; // the last failure may be a server that does not decode Basic
    bool consentHint = false;         // the consent popup has not called back for a while
    oauth::Details errorDetails;      // details of the selected profile's last failure (this session)
    std::string rawResponse;          // body of the last token response (this session)

    oauth::ExchangeLog log; // every request and response of this session's attempts
    bool revealLog = false;
    bool includeSecretsInExportAll = false;
    bool discovering = false;
    std::optional<oauth::Discovery> discovery; // of the selected profile, this session
    std::string discoveredFor;                 // the Token Name `discovery` was read for
    std::vector<std::string> discoveryWarnings;
    std::string introspectionText;
    std::string userinfoText;                // the claims the last Call UserInfo returned (JSON, indented)
    std::string signOutState;                // the state of the sign-out in the popup, until it returns
    std::vector<IdTokenCheck> idTokenChecks; // this session's, newest last
    std::string relayNote;                   // why the relay could not be used, if so
    // Secrets, passwords and tokens the last import dropped because it moved their profile to another
    // token endpoint, client or issuer; restored only when the person asks ("Keep Previous Secrets").
    std::vector<oauth::DroppedCredentials> droppedOnImport;

    // The private_key_jwt key section: the public half of the selected profile's key, to register.
    struct SigningKeyView {
        std::string profileId; // whose key it describes; another profile shows none
        std::string keyText;   // the key it was read from: an edited key shows none
        std::string publicJwk; // RegistrationJwk, pretty-printed
        std::string jwks;      // {"keys":[publicJwk]}
        std::string message;   // why the key could not be read, or is being generated
        bool busy = false;
        bool showKey = false; // the Private Key field shows the key as typed
    } signingKey;

    // DPoP (RFC 9449, core/dpop.h), this session: each server's latest DPoP-Nonce by
    // DpopServerOf (section 8), and each profile's key thumbprint (RFC 7638) by DpopKeyName.
    std::map<std::string, std::string> dpopNonces;
    std::map<std::string, std::string> dpopThumbprints;

    std::string storageBanner; // storage problems, shown at the top
    bool hasBackup = false;
    int timeoutSeconds = 30;         // for every request; stored under oauth-setup:timeout
    int consentTimeoutSeconds = 300; // how long the consent popup may take; stored, separate from the above
    bool lockEnabled = false;        // secrets are stored encrypted with a passphrase
    bool locked = false;             // ... and not unlocked in this tab yet
    bool lockBusy = false;           // a key derivation or decryption is running
    std::string passphraseInput;     // never stored
    std::string passphraseRepeat;    // never stored
    bool darkMode = false;
    double now = 0; // seconds since 1970, set each frame

    // Presets, outcomes and copies (issue 9).
    std::map<std::string, std::string> placeholderDrafts; // "tenant" -> the value typed above the fields
    std::string placeholderError;                         // why Apply filled nothing
    int flowHiddenUpTo = 0;                  // the flow diagram shows only attempts after this one
    std::map<std::string, double> outcomeAt; // Token Name -> when its State last changed (this session)
    // Token Name -> what its last run showed (the callback, the ID token's nonce, a refresh), for the
    // setup check (core/setup_check.h); this session only.
    std::map<std::string, oauth::ObservedRun> observed;
    std::string copied;   // the copy button last confirmed ("Copy Token"), until the next action
    bool wasBusy = false; // the UI saw an attempt running last frame: scroll to its outcome when it ends
    bool scrollToToken = false; // ... and that outcome is a token
    float listWidth = 230;

    // The one sentence under Get Access Token: the latest action's status, or else the selected
    // profile's last error. An error is shown there only, once; a "Not sent" or a new attempt
    // replaces the older error instead of sitting under it.
    std::string outcomeText() const {
        if (!status.empty() || selected < 0 || selected >= static_cast<int>(profiles.size()))
            return status;
        const oauth::Profile& p = profiles[static_cast<std::size_t>(selected)];
        return p.state == oauth::ProfileState::Error ? p.lastError : std::string();
    }

    // When the profile's State was decided (this session's outcome, else when its token was
    // obtained), 0 when unknown: the State badge's time.
    double outcomeTime(const oauth::Profile& p) const {
        if (auto at = outcomeAt.find(p.tokenName); at != outcomeAt.end())
            return at->second;
        if (p.state == oauth::ProfileState::Connected && p.lastToken.is_object())
            return p.lastToken.value("obtained_at", 0.0);
        return 0;
    }

    std::vector<Intent> intents; // emitted by the UI during a frame, applied after it

    // The grant the flow diagram describes: a refresh draws as its own flow (RFC 6749 section 6).
    std::string flowGrantType() const {
        const bool refreshed = !log.entries.empty() && log.entries.back().attempt == log.attempt &&
                               log.entries.back().step == oauth::kStepRefresh;
        if (refreshed)
            return "refresh_token";
        return selected >= 0 && selected < static_cast<int>(profiles.size())
                   ? std::string(oauth::ToText(profiles[static_cast<std::size_t>(selected)].grantType))
                   : "";
    }

    // The metadata this session's Discover read for `p`, or nullptr.
    const oauth::DiscoveryMetadata* metadataFor(const oauth::Profile& p) const {
        return discovery && discoveredFor == p.tokenName ? &discovery->metadata : nullptr;
    }

    // The setup check of the selected profile: its metadata only when discovered for it.
    std::vector<oauth::SetupCheckRow> setupCheck() const {
        if (selected < 0 || selected >= static_cast<int>(profiles.size()))
            return {};
        const oauth::Profile& p = profiles[static_cast<std::size_t>(selected)];
        const auto run = observed.find(p.tokenName);
        return oauth::SetupCheck(p, metadataFor(p),
                                 run == observed.end() ? oauth::ObservedRun{} : run->second);
    }

    // What the form says under Use PAR for the selected profile (RFC 9126), "" for nothing.
    std::string parNote() const {
        if (selected < 0 || selected >= static_cast<int>(profiles.size()))
            return {};
        const oauth::Profile& p = profiles[static_cast<std::size_t>(selected)];
        return oauth::DecidePar(p, metadataFor(p)).note;
    }

    // The selected profile's UserInfo endpoint: from metadata discovered for it, else empty.
    std::string userinfoUrl() const {
        if (selected < 0 || selected >= static_cast<int>(profiles.size()) || !discovery ||
            discoveredFor != profiles[static_cast<std::size_t>(selected)].tokenName)
            return {};
        return discovery->metadata.userinfoEndpoint;
    }

    // The selected profile's end_session_endpoint (RP-Initiated Logout): from its metadata, else empty.
    std::string endSessionUrl() const {
        if (selected < 0 || selected >= static_cast<int>(profiles.size()))
            return {};
        const oauth::DiscoveryMetadata* m = metadataFor(profiles[static_cast<std::size_t>(selected)]);
        return m ? m->endSessionEndpoint : std::string();
    }

    // This session's check of `idToken`'s signature, or nullptr when it was not checked.
    const IdTokenCheck* idTokenCheckFor(const std::string& fingerprint) const {
        for (auto it = idTokenChecks.rbegin(); it != idTokenChecks.rend(); ++it)
            if (it->fingerprint == fingerprint)
                return &*it;
        return nullptr;
    }

    oauth::Profile* current() {
        return selected >= 0 && selected < static_cast<int>(profiles.size())
                   ? &profiles[static_cast<std::size_t>(selected)]
                   : nullptr;
    }
    void emit(Intent::Kind kind, std::int64_t index = -1, std::string text = {}) {
        intents.push_back({kind, index, std::move(text)});
    }
};

} // namespace app
