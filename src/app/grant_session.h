// One grant attempt from start to end: the authorization code grant through the consent popup and
// the callback, the password and client credentials grants, the device grant's polling (RFC 8628),
// or a refresh (RFC 6749 section 6).
//
// The session copies the profile when it starts, and every request of the attempt (the code
// exchange after the callback, each device poll, the refresh) is built from that copy: an edit made
// while the popup is open never sends the code, the verifier or the secret elsewhere (issue 11).
// While it runs it publishes what the page shows of it in AppState::attempt; its secrets (state,
// code verifier, nonce, device code) stay here. Its outcome is written into the profile with its
// Token Name (Connect, Fail). Answers that arrive after the session ended, or after it was dropped
// (its handlers hold it weakly), change nothing.
#pragma once

#include "app/parts.h"

#include "core/callback.h"
#include "core/id_token.h"
#include "core/profile.h"
#include "core/pushed_authorization.h"
#include "core/token_response.h"

#include <memory>
#include <string>

namespace app {

// An attempt whose popup looked closed can be resumed by a late callback for this long; then its
// state and code verifier are forgotten.
inline constexpr double kClosedAttemptLifetimeSeconds = 600;
// A consent popup that has not called back after this long gets a hint (look at the popup).
inline constexpr double kConsentHintSeconds = 20;

class GrantSession : public std::enable_shared_from_this<GrantSession> {
  public:
    // Whether `profile` may be sent now: not while the secrets are locked, nor with validation errors.
    // If not, the status says why ("Not sent: ...") and nothing starts.
    static bool MayStart(const Parts& parts, const oauth::Profile& profile);
    // Starts the grant `profile` names, from a copy of it: opens the consent popup, asks for a
    // device code, or sends the token request. The session may have ended already (a blocked popup).
    static std::shared_ptr<GrantSession> Start(const Parts& parts, const oauth::Profile& profile);
    // Redeems `refreshToken` for a new access token (RFC 6749 section 6).
    static std::shared_ptr<GrantSession> StartRefresh(const Parts& parts, const oauth::Profile& profile,
                                                      const std::string& refreshToken, bool automatic);

    Busy busy() const { return busy_; }
    bool running() const { return busy_ != Busy::None; }
    const std::string& profileName() const { return profileName_; }
    // The profile was renamed: the outcome goes to the new name.
    void renamed(const std::string& tokenName);
    // Ends the attempt: its fetch is cancelled, its popup closed; nothing it sent changes anything now.
    void end();

    // The Redirect URL page answered (the whole callback URL). Returns whether it was this attempt's
    // answer: the outcome (a code exchange, or an Error) follows; a callback with another state
    // (another tab's sign-in, RFC 6749 section 10.12) or without parameters is ignored.
    bool onCallback(const std::string& url);
    // The consent popup was closed: an Error, but a late callback may still resume the attempt.
    void onPopupClosed();
    // Timers at `now`: the consent hint and timeout, the device code's expiry and its polls.
    void tick(double now);
    // Closed (its popup looked closed, or the consent timed out) and still resumable at `now`.
    bool resumable(double now) const;

    // The authorization request as sent (tests read it; the page never shows the secrets).
    const std::string& requestState() const { return requestState_; }
    const std::string& codeVerifier() const { return codeVerifier_; }
    const std::string& nonce() const { return nonce_; }
    const std::string& authorizationUrl() const { return authorizationUrl_; }

  private:
    GrantSession(const Parts& parts, const oauth::Profile& profile);

    // Enters `busy` and publishes the attempt in AppState::attempt (None: clears it).
    void enter(Busy busy);
    void publish();
    // The closed state: a late callback may still resume the attempt.
    void close();
    // What the Fetcher needs to hand this session its answers while it is in `busy`, and only then.
    using Answer = void (GrantSession::*)(const oauth::FetchResult&, const oauth::FetchContext&);
    std::function<bool()> whileIn(Busy busy) const;
    Fetcher::Waiter waiterIn(Busy busy);
    Fetcher::AnswerHandler handlerFor(Answer method);
    // A device answer arrived: offers "Retry through the relay" when the relay would carry it, and
    // returns the attempt's profile (nullptr once it was deleted: the answer then changes nothing).
    oauth::Profile* answeredProfile(const oauth::FetchContext& context);

    void begin();
    void openConsent();
    bool openPopup(const std::string& url); // false: blocked, and the page says so
    void showConsent(const std::string& url);
    void pushAuthorizationRequest(const oauth::FormParams& params);
    void onPushedAuthorization(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    void onAuthorizationUrlProbe(platform::FetchFailure failure);
    void consentTimers(double now);
    bool acceptedCallback(const std::string& url, oauth::Callback& cb);
    void sendTokenRequest(const oauth::HttpRequest& request, std::string_view step,
                          const std::string& status);
    void onTokenResponse(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    // OIDC Core 3.1.3.7: the ID token's claims, then its signature (the provider's JWKS and the
    // platform's WebCrypto); the token is kept (Connected) unless a check rejects it.
    void checkIdToken(oauth::Profile& profile, const oauth::TokenSuccess& token);
    std::string jwksUri() const;
    void onJwks(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    void verifySignature(const std::string& jwk);
    void onSignature(bool valid, const std::string& problem);
    void connectChecked(bool verified, const std::string& message);
    void startDeviceGrant();
    void onDeviceAuthorization(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    void deviceTimers(double now);
    void pollDevice();
    void onDevicePoll(const oauth::FetchResult& fetched, const oauth::FetchContext& context);
    // What the setup check reads of this run (AppState::observed, core/setup_check.h).
    oauth::ObservedRun& observed();
    void observeTokenResponse(const oauth::TokenSuccess& token, bool nonceMatched);

    Parts parts_;
    const oauth::Profile snapshot_; // the profile as it was when the attempt began
    std::string profileName_;       // where the outcome goes, by Token Name
    Busy busy_ = Busy::None;
    bool refreshing_ = false;
    std::string refreshTokenSent_; // a refresh's token, to tell whether the answer rotated it
    // Mix-up defence (RFC 9207): the issuer the callback's iss must name (the profile's Issuer, or
    // the one its Issuer / Discovery URL names), and whether the metadata promised an iss.
    std::string expectedIssuer_;
    bool issParameterSupported_ = false;
    oauth::ParDecision par_;   // RFC 9126: whether the authorization request is pushed, and where
    std::string requestState_; // authorization request's state (RFC 6749 section 10.12)
    std::string codeVerifier_; // PKCE (RFC 7636)
    std::string nonce_;        // OpenID Connect nonce, checked in the id_token (empty without openid)
    std::string authorizationUrl_;
    std::string deviceCode_;           // RFC 8628 section 3.2
    DeviceCode device_;                // what the page shows of it
    int fetchId_ = -1;                 // the fetch in flight, cancelled when the attempt ends
    oauth::SignaturePlan signature_;   // the ID token's alg and kid, while it is checked
    oauth::TokenSuccess checkedToken_; // the token whose ID token is being checked
    double startedAt_ = 0;
    double closedAt_ = 0;              // when its popup looked closed (0: not closed)
    bool foreignCallbackSeen_ = false; // a callback with another state arrived and was ignored
};

} // namespace app
