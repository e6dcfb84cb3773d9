// Running the grants: the authorization code grant through the consent popup and the callback,
// the password and client credentials grants, the device grant's polling, refresh and
// auto-refresh. Every request goes through send(), which logs it and applies the relay.
#include "app/controller.h"
#include "app/controller_detail.h"

#include "core/authorization_request.h"
#include "core/callback.h"
#include "core/device_authorization.h"
#include "core/discovery.h"
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

int Controller::send(const Profile& profile, std::string_view step, const oauth::HttpRequest& request,
                     ResultHandler handler) {
    const std::uint64_t logId = oauth::BeginExchange(state_.log, step, request, platform_.now() * 1000);
    oauth::HttpRequest wire = request;
    if (profile.useRelay) {
        // Same-origin relay (serve.py --relay) for providers whose endpoints refuse browsers.
        wire.url = relayUrl();
        wire.headers.emplace_back("X-OAuth-Setup-Target", request.url);
    }
    const bool relayed = profile.useRelay;
    const std::string stepName(step);
    return platform_.fetch(
        wire, state_.timeoutSeconds * 1000,
        [this, logId, handler, relayed, stepName](platform::FetchResult r) {
            const double now = platform_.now() * 1000;
            if (relayed && r.response.status != 0 &&
                !oauth::FindHeader(r.response.headers, "X-OAuth-Setup-Relay")) {
                // Something other than the relay answered (a static host, serve.py without --relay).
                r.response.status = 502;
                r.response.headers = {{"Content-Type", "application/json"}};
                r.response.body =
                    R"({"error":"relay_unavailable","error_description":"The CORS relay is not running: )"
                    R"(start the page's server with serve.py --relay (./scripts/run.sh --relay), or turn )"
                    R"(off Use CORS relay."})";
            }
            if (r.response.status == 0)
                oauth::FailExchange(state_.log, logId, r.transportError, now);
            else
                oauth::CompleteExchange(state_.log, logId, r.response, now, failedStep(stepName, r.response));
            handler(r.response, r.transportError);
        });
}

void Controller::startGrant(bool automatic) {
    Profile* p = state_.current();
    if (!p)
        return;
    if (state_.attempt.busy != Busy::None)
        endAttempt();
    state_.popupBlocked = false;
    state_.errorDetails.clear();
    state_.rawResponse.clear();
    closedAttempt_ = Attempt{};

    if (state_.locked) {
        state_.status = "Not sent: the secrets are locked. Type your passphrase and press Unlock first.";
        return;
    }
    std::vector<oauth::FieldError> errors = oauth::ValidateProfile(*p, otherNames(state_.selected));
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
    const std::string tokenUrl = request.url;
    const std::uint64_t id = state_.attempt.id;
    state_.attempt.fetchId = send(state_.attempt.profile, step, request,
                                  [this, tokenUrl, id](const oauth::HttpResponse& r, const std::string& err) {
                                      if (state_.attempt.busy != Busy::Exchanging || state_.attempt.id != id)
                                          return;
                                      state_.attempt.fetchId = -1;
                                      onTokenResponse(r, err, tokenUrl);
                                  });
}

void Controller::onTokenResponse(const oauth::HttpResponse& response, const std::string& transportError,
                                 const std::string& tokenUrl) {
    Profile* p = attemptProfile();
    Attempt finished = state_.attempt;
    state_.attempt = Attempt{};
    if (!p)
        return;
    oauth::TokenResponse result;
    if (response.status == 0)
        result.error = oauth::DescribeTransportFailure(tokenUrl, transportError);
    else
        result = oauth::ProcessTokenResponse(response, tokenUrl);
    state_.rawResponse = response.body;
    if (!result.ok()) {
        std::string message = result.error->message;
        if (response.status == 0 && !finished.profile.useRelay)
            message +=
                " If the provider refuses browsers, turn on \"Use CORS relay\" (needs serve.py --relay).";
        fail(*p, message, result.error->details);
        return;
    }
    // A refresh response may omit the refresh token: the old one stays valid (RFC 6749 section 6).
    oauth::TokenSuccess token = *result.success;
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
    Profile* p = attemptProfile();
    if (!p)
        return;
    state_.attempt.busy = Busy::DeviceRequesting;
    state_.status = "Requesting a device code…";
    const std::uint64_t id = state_.attempt.id;
    const Profile& snapshot = state_.attempt.profile;
    const std::string url = snapshot.deviceAuthorizationUrl;
    state_.attempt.fetchId =
        send(snapshot, oauth::kStepDeviceAuthorization, oauth::BuildDeviceAuthorizationRequest(snapshot),
             [this, id, url](const oauth::HttpResponse& r, const std::string& err) {
                 if (state_.attempt.busy != Busy::DeviceRequesting || state_.attempt.id != id)
                     return;
                 state_.attempt.fetchId = -1;
                 Profile* profile = attemptProfile();
                 if (!profile)
                     return;
                 oauth::DeviceAuthorization da;
                 if (r.status == 0)
                     da.error = oauth::DescribeTransportFailure(url, err);
                 else
                     da = oauth::ProcessDeviceAuthorizationResponse(r, url);
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
             });
}

void Controller::pollDevice() {
    Profile* p = attemptProfile();
    if (!p)
        return;
    const std::uint64_t id = state_.attempt.id;
    const Profile& snapshot = state_.attempt.profile;
    const std::string url = snapshot.accessTokenUrl;
    state_.attempt.device.nextPollAt = 1e300; // until this poll answers
    state_.attempt.fetchId =
        send(snapshot, oauth::kStepTokenPoll,
             oauth::BuildDeviceTokenRequest(snapshot, state_.attempt.device.deviceCode),
             [this, id, url](const oauth::HttpResponse& r, const std::string& err) {
                 if (state_.attempt.busy != Busy::DevicePolling || state_.attempt.id != id)
                     return;
                 state_.attempt.fetchId = -1;
                 Profile* profile = attemptProfile();
                 if (!profile)
                     return;
                 if (r.status == 0) {
                     oauth::TokenError e = oauth::DescribeTransportFailure(url, err);
                     state_.attempt = Attempt{};
                     fail(*profile, e.message, e.details);
                     return;
                 }
                 oauth::DevicePoll poll = oauth::ClassifyDevicePollResponse(r, url);
                 state_.rawResponse = r.body;
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
             });
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
