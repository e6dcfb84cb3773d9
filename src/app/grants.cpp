// Running the grants: the authorization code grant through the consent popup and the callback,
// the password and client credentials grants, the device grant's polling, refresh and
// auto-refresh. Every request goes through send(), which logs it and applies the relay.
#include "app/controller.h"
#include "app/controller_detail.h"

#include "core/authorization_request.h"
#include "core/callback.h"
#include "core/client_authentication.h"
#include "core/device_authorization.h"
#include "core/discovery.h"
#include "core/jwt.h"
#include "core/token_request.h"
#include "core/transport_failure.h"
#include "core/validation.h"

#include <algorithm>
#include <cmath>

namespace app {

using detail::grantCaption;
using oauth::Profile;

Profile* Controller::attemptProfile() {
    for (Profile& p : state_.profiles)
        if (p.tokenName == state_.attempt.profileName)
            return &p;
    return nullptr;
}

void Controller::endAttempt() {
    if (state_.attempt.fetchId >= 0)
        platform_.cancelFetch(state_.attempt.fetchId);
    if (state_.attempt.busy == Busy::Authorizing)
        platform_.closePopup();
    state_.attempt = Attempt{};
}

void Controller::fail(Profile& profile, const std::string& message, oauth::Details details) {
    profile.state = std::string(oauth::kStateError);
    profile.lastError = withProviderFix(profile, message, details);
    state_.status = profile.lastError;
    stampOutcome(profile);
    state_.errorDetails = std::move(details);
    save();
}

std::string Controller::relayUrl() const {
    std::string page = platform_.pageUrl();
    auto slash = page.rfind('/');
    return (slash == std::string::npos ? page + "/" : page.substr(0, slash + 1)) + "relay";
}

// An HTTP error answer is a failed step, except a device poll's "not yet" (RFC 8628 section 3.5).
static bool failedStep(const std::string& step, const oauth::HttpResponse& response) {
    if (response.status < 400)
        return false;
    if (step == oauth::kStepTokenPoll)
        return !oauth::ClassifyDevicePollResponse(response).keepPolling();
    return true;
}

int Controller::sendFetch(const Profile& profile, std::string_view step, const oauth::HttpRequest& request,
                          FetchHandler handler) {
    const std::uint64_t logId = oauth::BeginExchange(state_.log, step, request, platform_.now() * 1000);
    oauth::HttpRequest wire = request;
    if (profile.useRelay) {
        // Same-origin relay (serve.py --relay) for providers whose endpoints refuse browsers.
        wire.url = relayUrl();
        wire.headers.emplace_back("X-OAuth-Setup-Target", request.url);
    }
    const std::string stepName(step);
    return platform_.fetch(
        wire, state_.timeoutSeconds * 1000, [this, logId, handler, stepName](platform::FetchResult r) {
            const double now = platform_.now() * 1000;
            if (r.response.status == 0)
                oauth::FailExchange(state_.log, logId, r.transportError, now);
            else
                oauth::CompleteExchange(state_.log, logId, r.response, now, failedStep(stepName, r.response));
            handler(r);
        });
}

// ---- The one answer handler ------------------------------------------------------------------

int Controller::fetchAnswer(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                            oauth::Endpoint endpoint, AnswerHandler handler,
                            std::function<bool()> attemptCurrent) {
    const bool attempt = static_cast<bool>(attemptCurrent);
    auto current = attempt ? attemptCurrent : [] { return true; };
    const std::string url = request.url;
    const bool viaRelay = snapshot.useRelay;
    auto answer = [this, handler, url, endpoint, viaRelay](const platform::FetchResult& r,
                                                           oauth::RelayAvailability relay) {
        oauth::FetchContext context;
        context.url = url;
        context.endpoint = endpoint;
        context.viaRelay = viaRelay;
        context.timeoutSeconds = state_.timeoutSeconds;
        context.relay = relay;
        handler(r, context);
    };
    return sendFetch(
        snapshot, step, request,
        [this, attempt, current, answer, url, viaRelay, endpoint](const platform::FetchResult& r) {
            if (!current())
                return;
            if (attempt)
                state_.attempt.fetchId = -1;
            if (r.response.status != 0 || r.failure != platform::FetchFailure::Cors || viaRelay ||
                !endpoint.relayable) {
                answer(r, oauth::RelayAvailability::Unknown);
                return;
            }
            const int asked =
                askRelay(url, [this, attempt, current, answer, r](oauth::RelayAvailability relay) {
                    if (!current())
                        return;
                    if (attempt)
                        state_.attempt.fetchId = -1;
                    answer(r, relay);
                });
            if (attempt)
                state_.attempt.fetchId = asked;
        });
}

// A CORS refusal's next step depends on this page's own relay: ask it (GET <page folder>/relay)
// whether it runs and forwards to the target's host. Returns the fetch id.
int Controller::askRelay(const std::string& targetUrl, std::function<void(oauth::RelayAvailability)> then) {
    oauth::HttpRequest status;
    status.method = "GET";
    status.url = relayUrl();
    return platform_.fetch(status, 5000, [targetUrl, then](platform::FetchResult r) {
        then(r.response.status == 0
                 ? oauth::RelayAvailability::Unknown
                 : oauth::RelayAvailabilityFor(oauth::ReadRelayStatus(r.response), targetUrl));
    });
}

void Controller::startGrant(bool automatic) {
    Profile* p = state_.current();
    if (!p)
        return;
    if (state_.attempt.busy != Busy::None)
        endAttempt();
    state_.popupBlocked = false;
    state_.offerRelayRetry = false;
    state_.offerUnencodedRetry = false;
    state_.consentHint = false;
    state_.errorDetails.clear();
    state_.rawResponse.clear();
    closedAttempt_ = Attempt{};

    if (state_.locked) {
        state_.status = "Not sent: the secrets are locked. Type your passphrase and press Unlock first.";
        return;
    }
    const oauth::UrlReader browser = platform::UrlReaderOf(platform_); // the parser fetch() will use
    std::vector<oauth::FieldError> errors = oauth::ValidateProfile(*p, otherNames(state_.selected), &browser);
    if (!errors.empty()) {
        // Nothing is sent: say what is missing. The profile's State is left as it was.
        state_.showAllErrors = true;
        state_.status =
            "Not sent: " + errors.front().message +
            (errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more, marked above)" : "");
        return;
    }
    oauth::BeginAttempt(state_.log);
    state_.attempt.id = ++attemptCounter_;
    state_.attempt.profileName = p->tokenName;
    state_.attempt.profile = *p;
    state_.attempt.expectedIssuer =
        p->issuer.empty() && !p->discoveryUrl.empty() ? oauth::ExpectedIssuer(p->discoveryUrl) : p->issuer;
    state_.attempt.issParameterSupported =
        state_.discovery && state_.discovery->metadata.authorizationResponseIssParameterSupported;
    state_.attempt.startedAt = platform_.now();
    state_.attempt.automatic = automatic;

    if (p->grantType == oauth::kGrantDeviceCode) {
        startDeviceGrant();
        return;
    }
    if (p->grantType == oauth::kGrantAuthorizationCode) {
        oauth::AuthorizationRequest req = oauth::BuildAuthorizationRequest(
            state_.attempt.profile,
            [this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); });
        if (!req.ok()) {
            state_.status = "Not sent: " + req.errors.front().message;
            state_.attempt = Attempt{};
            return;
        }
        state_.attempt.state = req.state;
        state_.attempt.codeVerifier = req.codeVerifier;
        state_.attempt.nonce = req.nonce;
        state_.attempt.authorizationUrl = req.url;
        oauth::RecordNavigation(state_.log, oauth::kStepAuthorizationRequest, req.url,
                                platform_.now() * 1000);
        if (!platform_.openPopup(req.url)) {
            state_.popupBlocked = true;
            state_.status =
                "The browser blocked the consent popup. Allow popups for this page, then press Retry.";
            state_.attempt = Attempt{};
            return;
        }
        state_.attempt.busy = Busy::Authorizing;
        state_.status = "Waiting for you to sign in and consent in the popup window…";
        // The popup opens first and the probe runs beside it: window.open must run while the click
        // still counts as a user gesture (browsers block popups opened later, e.g. after an await),
        // and a probe that waits for a silent host would otherwise hold the consent page back. When
        // nothing answers at the Authorization URL, the popup (showing the browser's own error
        // page) is closed and the page says why. The probe asks the URL as typed, without this
        // attempt's state or code challenge, so it starts no second sign-in.
        const std::uint64_t id = state_.attempt.id;
        platform_.probe(state_.attempt.profile.authorizationUrl, state_.timeoutSeconds * 1000,
                        [this, id](platform::FetchFailure failure) { onAuthorizationUrlProbe(id, failure); });
        return;
    }
    const Profile& snapshot = state_.attempt.profile;
    oauth::HttpRequest request = snapshot.grantType == oauth::kGrantPassword
                                     ? oauth::BuildPasswordTokenRequest(snapshot)
                                     : oauth::BuildClientCredentialsTokenRequest(snapshot);
    sendTokenRequest(request, oauth::kStepTokenRequest,
                     std::string("Requesting a token (") + grantCaption(p->grantType) + ")…");
}

void Controller::refresh(bool automatic) {
    Profile* p = state_.current();
    if (!p || !p->lastToken.is_object())
        return;
    auto it = p->lastToken.find("refresh_token");
    if (it == p->lastToken.end() || !it->is_string() || it->get<std::string>().empty()) {
        state_.status = "This token came without a refresh token.";
        return;
    }
    // The Access Token URL may have been edited since the token came: the refresh token and the
    // client's credentials go only where the same rules as for a new grant allow.
    const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
    if (auto refused = oauth::CheckEndpointUrl(p->accessTokenUrl, "Access Token URL", &browser)) {
        state_.status = "Not sent: " + *refused;
        return;
    }
    if (state_.attempt.busy != Busy::None)
        endAttempt();
    state_.errorDetails.clear();
    oauth::BeginAttempt(state_.log);
    state_.attempt.id = ++attemptCounter_;
    state_.attempt.profileName = p->tokenName;
    state_.attempt.profile = *p;
    state_.attempt.startedAt = platform_.now();
    state_.attempt.refreshing = true;
    state_.attempt.automatic = automatic;
    sendTokenRequest(
        oauth::BuildRefreshTokenRequest(state_.attempt.profile, it->get<std::string>()), oauth::kStepRefresh,
        automatic ? "Refreshing the token before it expires (auto-refresh)…" : "Refreshing the token…");
}

void Controller::sendTokenRequest(const oauth::HttpRequest& request, std::string_view step,
                                  const std::string& status) {
    if (!attemptProfile())
        return;
    state_.attempt.busy = Busy::Exchanging;
    state_.status = status;
    const std::uint64_t id = state_.attempt.id;
    auto current = [this, id] { return state_.attempt.busy == Busy::Exchanging && state_.attempt.id == id; };
    state_.attempt.fetchId = fetchAnswer(
        state_.attempt.profile, step, request, oauth::kTokenEndpoint,
        [this](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            onTokenResponse(r, context);
        },
        current);
}

void Controller::onTokenResponse(const oauth::FetchResult& fetched, const oauth::FetchContext& context) {
    Profile* p = attemptProfile();
    Attempt finished = state_.attempt;
    state_.attempt = Attempt{};
    if (!p)
        return;
    const oauth::TokenResponse result = oauth::ProcessTokenResponse(fetched, context);
    state_.rawResponse = fetched.response.body;
    if (!result.ok()) {
        std::string message = result.error->message;
        state_.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
        if (!oauth::IsFetchProblem(*result.error))
            if (std::string basic =
                    oauth::DescribeBasicEncodingSuspect(finished.profile, fetched.response.status);
                !basic.empty()) {
                message += " " + basic;
                state_.offerUnencodedRetry = true;
            }
        fail(*p, message, result.error->details);
        return;
    }
    // A refresh response may omit the refresh token: the old one stays valid (RFC 6749 section 6).
    oauth::TokenSuccess token = *result.success;
    if (!finished.nonce.empty()) {
        // OpenID Connect Core 1.0 section 3.1.3.7: the ID token must carry the nonce this page sent.
        if (std::string problem = oauth::CheckIdTokenNonce(token.idToken, finished.nonce); !problem.empty()) {
            fail(*p, problem, {{"nonce sent", finished.nonce}});
            return;
        }
    }
    if (finished.refreshing && token.refreshToken.empty() && p->lastToken.is_object() &&
        p->lastToken.contains("refresh_token") && token.fields.is_object())
        token.fields["refresh_token"] = p->lastToken["refresh_token"];
    connect(*p, token);
}

void Controller::connect(Profile& profile, const oauth::TokenSuccess& token) {
    nlohmann::json kept = token.fields.is_object() ? token.fields : nlohmann::json::object();
    kept["obtained_at"] = static_cast<std::int64_t>(std::floor(platform_.now()));
    profile.lastToken = kept;
    profile.state = std::string(oauth::kStateConnected);
    stampOutcome(profile);
    profile.lastError.clear();
    state_.errorDetails.clear();
    state_.introspectionText.clear();
    state_.status = "Connected: " + (token.tokenType.empty() ? std::string("a") : token.tokenType) +
                    " token was issued" +
                    (token.expiresIn ? ", valid for " + std::to_string(*token.expiresIn) + " s." : ".");
    save();
}

// ---- Authorization code: the popup and the callback --------------------------------------------

namespace {
constexpr std::string_view kClosedAfterForeignCallback =
    "The consent window closed, and the only callback that arrived carried another state (another tab's "
    "sign-in, or a forged one), so it was ignored (CSRF protection, RFC 6749 section 10.12). Press Get "
    "Access Token to try again.";
} // namespace

void Controller::onCallback(const std::string& url) {
    Attempt* pending = &state_.attempt;
    if (state_.attempt.busy != Busy::Authorizing) {
        // A popup that looked closed (providers may sever window.opener) can still answer.
        if (state_.attempt.busy != Busy::None || closedAttempt_.state.empty())
            return; // stray or replayed
        if (platform_.now() - closedAttempt_.closedAt > kClosedAttemptLifetimeSeconds) {
            closedAttempt_ = Attempt{}; // its state and verifier are forgotten
            return;
        }
        pending = &closedAttempt_;
    }
    Profile* p = nullptr;
    for (Profile& candidate : state_.profiles)
        if (candidate.tokenName == pending->profileName)
            p = &candidate;
    oauth::Callback cb = oauth::ParseCallback(url, pending->state, pending->expectedIssuer);
    if (cb.outcome == oauth::CallbackOutcome::Rejected && cb.rejection == "no_response_parameters")
        return;
    // Another tab's sign-in (the callback page falls back to a BroadcastChannel every tab hears) or a
    // stale popup: not this tab's pending request, so it must not cancel it (RFC 6749 section 10.12).
    if (cb.outcome == oauth::CallbackOutcome::Rejected && cb.rejection == "state_mismatch") {
        pending->foreignCallbackSeen = true;
        return;
    }
    if (cb.outcome != oauth::CallbackOutcome::Rejected) {
        // Mix-up defence (RFC 9700 section 4.4): the answer must come from the server the request
        // went to, before its code or its error is believed.
        const oauth::IssuerCheck issuer =
            oauth::CheckCallbackIssuer(pending->expectedIssuer, pending->issParameterSupported, cb);
        if (!issuer.ok()) {
            cb.outcome = oauth::CallbackOutcome::Rejected;
            cb.rejection = issuer.rejection;
            cb.message = issuer.message;
        }
    }
    const bool resumed = pending == &closedAttempt_;
    if (resumed && cb.outcome != oauth::CallbackOutcome::Code)
        return; // nothing pending to fail
    oauth::RecordNavigation(state_.log, oauth::kStepCallback, url, platform_.now() * 1000,
                            cb.outcome != oauth::CallbackOutcome::Code, cb.message);
    Attempt attempt = *pending;
    closedAttempt_ = Attempt{};
    if (!resumed)
        platform_.closePopup();
    if (!p) {
        state_.attempt = Attempt{};
        return;
    }
    if (cb.outcome != oauth::CallbackOutcome::Code) {
        state_.attempt = Attempt{};
        oauth::Details details;
        if (!cb.error.empty())
            details.push_back({"error", cb.error});
        if (!cb.errorDescription.empty())
            details.push_back({"error_description", cb.errorDescription});
        if (!cb.errorUri.empty())
            details.push_back({"error_uri", cb.errorUri});
        fail(*p, cb.message, details);
        return;
    }
    state_.attempt = attempt;
    state_.attempt.busy = Busy::Exchanging;
    sendTokenRequest(
        oauth::BuildAuthorizationCodeTokenRequest(attempt.profile, cb.code, attempt.codeVerifier),
        oauth::kStepTokenRequest, "Exchanging the authorization code for a token…");
}

void Controller::onAuthorizationUrlProbe(std::uint64_t attemptId, platform::FetchFailure failure) {
    if (failure == platform::FetchFailure::None || state_.attempt.busy != Busy::Authorizing ||
        state_.attempt.id != attemptId)
        return;
    Profile* p = attemptProfile();
    const oauth::EndpointError error = oauth::DescribeAuthorizationUrlFailure(
        state_.attempt.profile.authorizationUrl,
        failure == platform::FetchFailure::Timeout ? oauth::TransportFailureKind::Timeout
                                                   : oauth::TransportFailureKind::NoAnswer,
        state_.timeoutSeconds);
    endAttempt(); // closes the popup
    if (p)
        fail(*p, error.message, error.details);
}

// A consent popup that shows the provider's error page never calls back: after a while a hint, and
// after the consent timeout the attempt ends (its popup stays open, so the error page can be read).
void Controller::consentTimers() {
    if (state_.attempt.busy != Busy::Authorizing)
        return;
    const double waited = state_.now - state_.attempt.startedAt;
    if (waited >= state_.consentTimeoutSeconds) {
        Profile* p = attemptProfile();
        closedAttempt_ = state_.attempt; // a late callback may still finish it
        closedAttempt_.closedAt = platform_.now();
        state_.attempt = Attempt{};
        state_.consentHint = false;
        if (p)
            fail(*p,
                 "The consent popup did not send you back within " +
                     std::to_string(state_.consentTimeoutSeconds) +
                     " s (Consent timeout (s)), so the attempt ended. Look at the popup for the provider's "
                     "error page; " +
                     std::string(kUsualConsentCauses) + ".");
        return;
    }
    if (waited >= kConsentHintSeconds)
        state_.consentHint = true;
}

void Controller::onPopupClosed() {
    if (state_.attempt.busy != Busy::Authorizing)
        return;
    Profile* p = attemptProfile();
    closedAttempt_ = state_.attempt;
    closedAttempt_.closedAt = platform_.now();
    state_.attempt = Attempt{};
    if (!p)
        return;
    if (closedAttempt_.foreignCallbackSeen)
        fail(*p, std::string(kClosedAfterForeignCallback));
    else
        fail(*p, "The consent window was closed before the provider sent you back, so no authorization code "
                 "arrived. Press Get Access Token to try again.");
}

// ---- Device Authorization Grant (RFC 8628) -----------------------------------------------------

void Controller::startDeviceGrant() {
    if (!attemptProfile())
        return;
    state_.attempt.busy = Busy::DeviceRequesting;
    state_.status = "Requesting a device code…";
    const std::uint64_t id = state_.attempt.id;
    auto current = [this, id] {
        return state_.attempt.busy == Busy::DeviceRequesting && state_.attempt.id == id;
    };
    const Profile& snapshot = state_.attempt.profile;
    state_.attempt.fetchId = fetchAnswer(
        snapshot, oauth::kStepDeviceAuthorization, oauth::BuildDeviceAuthorizationRequest(snapshot),
        oauth::kDeviceAuthorizationEndpoint,
        [this](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            state_.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
            onDeviceAuthorization(oauth::ProcessDeviceAuthorizationResponse(r, context));
        },
        current);
}

void Controller::onDeviceAuthorization(const oauth::DeviceAuthorization& da) {
    Profile* profile = attemptProfile();
    if (!profile)
        return;
    if (!da.ok()) {
        state_.attempt = Attempt{};
        fail(*profile, da.error->message, da.error->details);
        return;
    }
    DeviceCode& d = state_.attempt.device;
    d.deviceCode = da.deviceCode;
    d.userCode = da.userCode;
    d.verificationUri = da.verificationUri;
    d.verificationUriComplete = da.verificationUriComplete;
    d.interval = std::max<std::int64_t>(1, da.interval);
    d.expiresAt = platform_.now() + static_cast<double>(da.expiresIn > 0 ? da.expiresIn : 600);
    d.nextPollAt = platform_.now() + static_cast<double>(d.interval);
    state_.attempt.busy = Busy::DevicePolling;
    state_.status = "Enter the code below at the verification page; this page checks every " +
                    std::to_string(d.interval) + " s.";
}

void Controller::pollDevice() {
    if (!attemptProfile())
        return;
    const std::uint64_t id = state_.attempt.id;
    auto current = [this, id] {
        return state_.attempt.busy == Busy::DevicePolling && state_.attempt.id == id;
    };
    const Profile& snapshot = state_.attempt.profile;
    state_.attempt.device.nextPollAt = 1e300; // until this poll answers
    state_.attempt.fetchId = fetchAnswer(
        snapshot, oauth::kStepTokenPoll,
        oauth::BuildDeviceTokenRequest(snapshot, state_.attempt.device.deviceCode), oauth::kTokenEndpoint,
        [this](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            state_.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
            onDevicePoll(r, oauth::ClassifyDevicePollResponse(r, context));
        },
        current);
}

void Controller::onDevicePoll(const oauth::FetchResult& fetched, const oauth::DevicePoll& poll) {
    Profile* profile = attemptProfile();
    if (!profile)
        return;
    if (!poll.error || !oauth::IsFetchProblem(*poll.error))
        state_.rawResponse = fetched.response.body;
    if (poll.outcome == oauth::DevicePollOutcome::Success) {
        state_.attempt = Attempt{};
        connect(*profile, *poll.success);
        return;
    }
    if (poll.keepPolling()) {
        DeviceCode& d = state_.attempt.device;
        d.interval = oauth::NextPollInterval(d.interval, poll);
        d.nextPollAt = platform_.now() + static_cast<double>(d.interval);
        state_.status = poll.message;
        return;
    }
    state_.attempt = Attempt{};
    fail(*profile, poll.message, poll.error ? poll.error->details : oauth::Details{});
}

// ---- Timers ----------------------------------------------------------------------------------

double Controller::tokenExpiresAt(const Profile& profile) const {
    if (!profile.lastToken.is_object() || profile.lastToken.contains(kRevokedAtKey))
        return 0; // revoked: no countdown, no auto-refresh
    auto obtained = profile.lastToken.find("obtained_at");
    auto expires = profile.lastToken.find("expires_in");
    if (obtained == profile.lastToken.end() || !obtained->is_number() || expires == profile.lastToken.end())
        return 0;
    double expiresIn = expires->is_number()   ? expires->get<double>()
                       : expires->is_string() ? std::atof(expires->get<std::string>().c_str())
                                              : 0;
    return expiresIn > 0 ? obtained->get<double>() + expiresIn : 0;
}

void Controller::tick() {
    const double now = state_.now;
    consentTimers();
    if (state_.attempt.busy == Busy::DevicePolling) {
        if (now >= state_.attempt.device.expiresAt) {
            Profile* p = attemptProfile();
            endAttempt(); // cancels a poll still in flight
            if (p)
                fail(*p,
                     "The device code expired before it was approved. Press Get Access Token for a new one.");
        } else if (now >= state_.attempt.device.nextPollAt && state_.attempt.fetchId < 0) {
            pollDevice();
        }
    }
    autoRefreshIfDue();
}

// Opt-in: shortly before the selected profile's token expires, refresh it, or run the grant
// again where there is no refresh token and no person is needed (client credentials, password).
void Controller::autoRefreshIfDue() {
    Profile* p = state_.current();
    if (!p || !p->autoRefresh || state_.attempt.busy != Busy::None || p->state != oauth::kStateConnected)
        return;
    const double expiresAt = tokenExpiresAt(*p);
    if (expiresAt <= 0)
        return;
    const std::int64_t obtained = p->lastToken.value("obtained_at", std::int64_t{0});
    const double lead = std::min(kAutoRefreshLeadSeconds, (expiresAt - static_cast<double>(obtained)) / 10);
    if (state_.now < expiresAt - lead || autoRefreshTriedFor_ == obtained)
        return;
    autoRefreshTriedFor_ = obtained; // one try per token: a failure is shown, not retried in a loop
    const bool hasRefresh = p->lastToken.contains("refresh_token");
    if (hasRefresh)
        refresh(true);
    else if (p->grantType == oauth::kGrantClientCredentials || p->grantType == oauth::kGrantPassword)
        startGrant(true);
}

int Controller::nextTimerMs() const {
    const double now = state_.now;
    double due = -1;
    auto consider = [&](double at) {
        if (at > now && (due < 0 || at < due))
            due = at;
    };
    if (state_.attempt.busy == Busy::DevicePolling) {
        consider(state_.attempt.device.nextPollAt);
        consider(std::floor(now) + 1); // the code's time left counts down
    }
    if (state_.attempt.busy != Busy::None)
        consider(std::floor(now) + 1);
    const Profile* p = const_cast<AppState&>(state_).current();
    if (p) {
        const double expiresAt = tokenExpiresAt(*p);
        if (expiresAt > now)
            consider(std::floor(now) + 1); // the token's countdown
    }
    if (due < 0)
        return -1;
    return static_cast<int>((due - now) * 1000) + 5;
}

} // namespace app
