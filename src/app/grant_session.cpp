#include "app/grant_session.h"

#include "core/client_assertion.h"

#include "app/controller_detail.h"

#include "core/authorization_request.h"
#include "core/client_authentication.h"
#include "core/device_authorization.h"
#include "core/discovery.h"
#include "core/dpop.h"
#include "core/exchange_log.h"
#include "core/id_token.h"
#include "core/jwt.h"
#include "core/pushed_authorization.h"
#include "core/token_request.h"
#include "core/transport_failure.h"
#include "core/validation.h"

#include <algorithm>

namespace app {

using oauth::Profile;

// ---- Starting --------------------------------------------------------------------------------

bool GrantSession::MayStart(const Parts& parts, const Profile& profile) {
    AppState& s = parts.state;
    if (s.locked) {
        s.status = "Not sent: the secrets are locked. Type your passphrase and press Unlock first.";
        return false;
    }
    const oauth::UrlReader browser = platform::UrlReaderOf(parts.platform); // the parser fetch() will use
    std::vector<oauth::FieldError> errors =
        oauth::ValidateProfile(profile, OtherNames(s, s.selected), &browser);
    if (errors.empty())
        return true;
    // Nothing is sent: say what is missing. The profile's State is left as it was.
    s.showAllErrors = true;
    s.status =
        "Not sent: " + errors.front().message +
        (errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more, marked above)" : "");
    return false;
}

GrantSession::GrantSession(const Parts& parts, const Profile& profile)
    : parts_(parts), snapshot_(profile), profileName_(profile.tokenName),
      expectedIssuer_(profile.issuer.empty() && !profile.discoveryUrl.empty()
                          ? oauth::ExpectedIssuer(profile.discoveryUrl)
                          : profile.issuer),
      startedAt_(parts.platform.now()) {}

std::shared_ptr<GrantSession> GrantSession::Start(const Parts& parts, const Profile& profile) {
    oauth::BeginAttempt(parts.state.log);
    std::shared_ptr<GrantSession> session(new GrantSession(parts, profile));
    session->issParameterSupported_ =
        parts.state.discovery && parts.state.discovery->metadata.authorizationResponseIssParameterSupported;
    session->par_ = oauth::DecidePar(profile, parts.state.metadataFor(profile));
    // A new grant: what the last one showed of the callback and the nonce no longer holds (what a
    // refresh showed stays: it is the provider's refresh policy).
    oauth::ObservedRun& run = session->observed();
    run.callbackSeen = run.callbackHadIss = false;
    run.nonceSent = run.idTokenReceived = run.nonceMatched = false;
    session->begin();
    return session;
}

std::shared_ptr<GrantSession> GrantSession::StartRefresh(const Parts& parts, const Profile& profile,
                                                         const std::string& refreshToken, bool automatic) {
    oauth::BeginAttempt(parts.state.log);
    std::shared_ptr<GrantSession> session(new GrantSession(parts, profile));
    session->refreshing_ = true;
    session->refreshTokenSent_ = refreshToken;
    session->sendTokenRequest(
        oauth::BuildRefreshTokenRequest(session->snapshot_, refreshToken), oauth::kStepRefresh,
        automatic ? "Refreshing the token before it expires (auto-refresh)…" : "Refreshing the token…");
    return session;
}

void GrantSession::begin() {
    if (snapshot_.grantType == oauth::GrantType::DeviceCode)
        return startDeviceGrant();
    if (snapshot_.grantType == oauth::GrantType::AuthorizationCode)
        return openConsent();
    const oauth::HttpRequest request = snapshot_.grantType == oauth::GrantType::Password
                                           ? oauth::BuildPasswordTokenRequest(snapshot_)
                                           : oauth::BuildClientCredentialsTokenRequest(snapshot_);
    sendTokenRequest(request, oauth::kStepTokenRequest,
                     std::string("Requesting a token (") + detail::grantCaption(snapshot_.grantType) + ")…");
}

// ---- Phases and what the page shows of them ----------------------------------------------------

void GrantSession::enter(Busy busy) {
    busy_ = busy;
    publish();
}

void GrantSession::publish() {
    parts_.state.attempt =
        busy_ == Busy::None ? AttemptView{} : AttemptView{busy_, profileName_, refreshing_, device_};
}

void GrantSession::renamed(const std::string& tokenName) {
    profileName_ = tokenName;
    if (running())
        publish();
}

void GrantSession::end() {
    if (!running())
        return;
    if (fetchId_ >= 0)
        parts_.platform.cancelFetch(fetchId_);
    fetchId_ = -1;
    if (busy_ == Busy::Authorizing)
        parts_.platform.closePopup();
    enter(Busy::None);
}

void GrantSession::close() {
    closedAt_ = parts_.platform.now();
    enter(Busy::None);
}

bool GrantSession::resumable(double now) const {
    return busy_ == Busy::None && closedAt_ > 0 && !requestState_.empty() &&
           now - closedAt_ <= kClosedAttemptLifetimeSeconds;
}

std::function<bool()> GrantSession::whileIn(Busy busy) const {
    return [self = weak_from_this(), busy] {
        auto session = self.lock();
        return session && session->busy_ == busy;
    };
}

Fetcher::Waiter GrantSession::waiterIn(Busy busy) {
    return {whileIn(busy), [self = weak_from_this()](int fetchId) {
                if (auto session = self.lock())
                    session->fetchId_ = fetchId;
            }};
}

Fetcher::AnswerHandler GrantSession::handlerFor(Answer method) {
    return
        [self = weak_from_this(), method](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            if (auto session = self.lock())
                ((*session).*method)(r, context);
        };
}

void GrantSession::tick(double now) {
    consentTimers(now);
    deviceTimers(now);
}

// ---- Token requests --------------------------------------------------------------------------

void GrantSession::sendTokenRequest(const oauth::HttpRequest& request, std::string_view step,
                                    const std::string& status) {
    if (!FindProfile(parts_.state, profileName_))
        return;
    enter(Busy::Exchanging);
    parts_.state.status = status;
    fetchId_ = parts_.fetcher.send(snapshot_, step, request, oauth::kTokenEndpoint,
                                   handlerFor(&GrantSession::onTokenResponse), waiterIn(Busy::Exchanging));
}

void GrantSession::onTokenResponse(const oauth::FetchResult& fetched, const oauth::FetchContext& context) {
    Profile* p = FindProfile(parts_.state, profileName_);
    enter(Busy::None);
    if (!p)
        return;
    AppState& s = parts_.state;
    const oauth::TokenResponse result = oauth::ProcessTokenResponse(fetched, context);
    s.rawResponse = fetched.response.body;
    if (!result.ok()) {
        std::string message = result.error->message;
        s.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
        if (!oauth::IsFetchProblem(*result.error))
            if (std::string basic = oauth::DescribeBasicEncodingSuspect(snapshot_, fetched.response.status);
                !basic.empty()) {
                message += " " + basic;
                s.offerUnencodedRetry = true;
            }
        // RFC 6749 section 5.2: invalid_client is all a provider says of a refused assertion.
        if (result.error->code == "invalid_client" && oauth::UsesClientAssertion(snapshot_))
            message += " " + oauth::DescribeAssertionRefusal(snapshot_);
        if (result.error->code == oauth::kUseDpopNonce)
            message += " " + oauth::DescribeDpopNonceFailure(fetched.response, context.url);
        return Fail(parts_, *p, message, result.error->details);
    }
    // A refresh response may omit the refresh token: the old one stays valid (RFC 6749 section 6).
    oauth::TokenSuccess token = *result.success;
    const bool nonceMatched = nonce_.empty() || token.idToken.empty() ||
                              oauth::IdTokenNonceProblem(oauth::DecodeJwt(token.idToken), nonce_).empty();
    observeTokenResponse(token, nonceMatched);
    if (refreshing_ && token.refreshToken.empty() && p->lastToken.is_object() &&
        p->lastToken.contains("refresh_token") && token.fields.is_object())
        token.fields["refresh_token"] = p->lastToken["refresh_token"];
    if (!token.idToken.empty())
        return checkIdToken(*p, token);
    // A server that takes "openid" as a plain OAuth scope answers without an ID token: nothing to
    // check then (OpenID Connect Core 1.0 section 3.1.3.3 would require one).
    Connect(parts_, *p, token);
}

oauth::ObservedRun& GrantSession::observed() {
    return parts_.state.observed[profileName_];
}

// A token answer: for a refresh, whether it rotated the refresh token (RFC 9700 section 4.14.2)
// and its token_type; for a request that sent a nonce, whether the ID token came with it.
void GrantSession::observeTokenResponse(const oauth::TokenSuccess& token, bool nonceMatched) {
    oauth::ObservedRun& run = observed();
    if (refreshing_) {
        run.refreshed = true;
        run.refreshTokenRotated = !token.refreshToken.empty() && token.refreshToken != refreshTokenSent_;
        run.refreshTokenType = token.tokenType;
    } else if (!nonce_.empty()) {
        run.nonceSent = true;
        run.idTokenReceived = !token.idToken.empty();
        run.nonceMatched = run.idTokenReceived && nonceMatched;
    }
}

// ---- The ID token (OpenID Connect Core 1.0 section 3.1.3.7) ----------------------------------

void GrantSession::checkIdToken(Profile& profile, const oauth::TokenSuccess& token) {
    const oauth::DecodedJwt jwt = oauth::DecodeJwt(token.idToken);
    const oauth::IdTokenExpectations expected{expectedIssuer_, snapshot_.clientId, nonce_, token.accessToken,
                                              parts_.platform.now()};
    if (std::string problem = oauth::CheckIdTokenClaims(jwt, expected); !problem.empty())
        return Fail(parts_, profile, problem,
                    nonce_.empty() ? oauth::Details{} : oauth::Details{{"nonce sent", nonce_}});
    signature_ = oauth::PlanSignatureCheck(jwt, snapshot_.clientSecret.empty());
    if (!signature_.refusal.empty())
        return Fail(parts_, profile, signature_.refusal, {{"alg", signature_.alg}});
    checkedToken_ = token;
    if (!signature_.unsupported.empty())
        return connectChecked(false, "Signature not verified: " + signature_.unsupported);
    if (signature_.usesClientSecret)
        return verifySignature(oauth::ClientSecretJwk(snapshot_.clientSecret));
    const std::string uri = jwksUri();
    if (uri.empty())
        return connectChecked(false, "Signature not verified: the provider's jwks_uri is not known in this "
                                     "page session; press Discover to read the provider's metadata, then get "
                                     "a token again.");
    const oauth::UrlReader browser = platform::UrlReaderOf(parts_.platform);
    if (auto problem = oauth::CheckEndpointUrl(uri, "jwks_uri", &browser))
        return connectChecked(false, "Signature not verified: " + *problem);
    enter(Busy::VerifyingIdToken);
    parts_.state.status = "Checking the ID token's signature with the provider's keys…";
    Profile direct = snapshot_; // the keys are a public GET: never through the relay
    direct.useRelay = false;
    fetchId_ =
        parts_.fetcher.send(direct, oauth::kStepJwks, oauth::BuildJwksRequest(uri), oauth::kJwksEndpoint,
                            handlerFor(&GrantSession::onJwks), waiterIn(Busy::VerifyingIdToken));
}

// The keys of the issuer the ID token names (its iss was checked against the profile's issuer):
// this session's metadata of that issuer.
std::string GrantSession::jwksUri() const {
    const auto& discovery = parts_.state.discovery;
    const std::string iss = oauth::DecodeJwt(checkedToken_.idToken).payload.value("iss", std::string());
    return discovery && !iss.empty() && discovery->metadata.issuer == iss ? discovery->metadata.jwksUri : "";
}

void GrantSession::onJwks(const oauth::FetchResult& fetched, const oauth::FetchContext& context) {
    const oauth::Jwks jwks = oauth::ProcessJwksResponse(fetched, context);
    if (!jwks.ok())
        return connectChecked(false, "Signature not verified: " + jwks.error->message);
    std::string problem;
    const auto jwk = oauth::SelectJwk(jwks, signature_, &problem);
    if (!jwk)
        return connectChecked(false, "Signature not verified: " + problem);
    verifySignature(jwk->dump());
}

void GrantSession::verifySignature(const std::string& jwk) {
    enter(Busy::VerifyingIdToken);
    parts_.state.status = "Checking the ID token's signature…";
    const std::string& idToken = checkedToken_.idToken;
    parts_.platform.verifySignature(signature_.alg, jwk, oauth::SigningInput(idToken),
                                    oauth::SignaturePart(idToken),
                                    [self = weak_from_this()](bool valid, const std::string& problem) {
                                        auto session = self.lock();
                                        if (session && session->busy_ == Busy::VerifyingIdToken)
                                            session->onSignature(valid, problem);
                                    });
}

void GrantSession::onSignature(bool valid, const std::string& problem) {
    if (!problem.empty())
        return connectChecked(false, "Signature not verified: " + problem);
    if (valid)
        return connectChecked(true,
                              oauth::SignatureVerifiedText(signature_.kid, signature_.usesClientSecret));
    enter(Busy::None);
    const std::string message = oauth::SignatureMismatchText(signature_.kid, signature_.usesClientSecret);
    parts_.state.idTokenChecks.push_back({oauth::AccessTokenHash(checkedToken_.idToken), false, message});
    if (Profile* p = FindProfile(parts_.state, profileName_))
        Fail(parts_, *p, message, {{"alg", signature_.alg}, {"kid", signature_.kid}});
}

// The token is kept; the token panel shows `message` about its ID token's signature.
void GrantSession::connectChecked(bool verified, const std::string& message) {
    enter(Busy::None);
    parts_.state.idTokenChecks.push_back({oauth::AccessTokenHash(checkedToken_.idToken), verified, message});
    if (Profile* p = FindProfile(parts_.state, profileName_))
        Connect(parts_, *p, checkedToken_);
}

// ---- Authorization code: the popup and the callback --------------------------------------------

void GrantSession::openConsent() {
    AppState& s = parts_.state;
    // dpop_jkt when the key is known (Controller::prepareDpopKey): the popup cannot wait for it.
    const auto jkt = parts_.state.dpopThumbprints.find(oauth::DpopKeyName(snapshot_));
    oauth::AuthorizationRequest req = oauth::BuildAuthorizationRequest(
        snapshot_, [this](std::uint8_t* out, std::size_t n) { parts_.platform.randomBytes(out, n); },
        snapshot_.useDpop && jkt != parts_.state.dpopThumbprints.end() ? jkt->second : std::string());
    if (!req.ok() || !par_.refusal.empty()) {
        s.status = "Not sent: " + (req.ok() ? par_.refusal : req.errors.front().message);
        return;
    }
    requestState_ = req.state;
    codeVerifier_ = req.codeVerifier;
    nonce_ = req.nonce;
    if (par_.use)
        return pushAuthorizationRequest(req.params);
    showConsent(req.url);
}

bool GrantSession::openPopup(const std::string& url) {
    if (parts_.platform.openPopup(url))
        return true;
    parts_.state.popupBlocked = true;
    parts_.state.status =
        "The browser blocked the consent popup. Allow popups for this page, then press Retry.";
    return false;
}

// Opens the popup at `url` (after a push it is open already, on a blank page, and goes there).
void GrantSession::showConsent(const std::string& url) {
    AppState& s = parts_.state;
    authorizationUrl_ = url;
    oauth::RecordNavigation(s.log, oauth::kStepAuthorizationRequest, url, parts_.platform.now() * 1000);
    if (!openPopup(url))
        return end();
    enter(Busy::Authorizing);
    s.status = "Waiting for you to sign in and consent in the popup window…";
    // The popup opens first and the probe runs beside it: window.open must run while the click
    // still counts as a user gesture (browsers block popups opened later, e.g. after an await),
    // and a probe that waits for a silent host would otherwise hold the consent page back. When
    // nothing answers at the Authorization URL, the popup (showing the browser's own error
    // page) is closed and the page says why. The probe asks the URL as typed, without this
    // attempt's state or code challenge, so it starts no second sign-in.
    parts_.platform.probe(snapshot_.authorizationUrl, s.timeoutSeconds * 1000,
                          [self = weak_from_this()](platform::FetchFailure failure) {
                              if (auto session = self.lock())
                                  session->onAuthorizationUrlProbe(failure);
                          });
}

// RFC 9126 section 2.1: the parameters go to the provider first. The popup opens now, blank, while
// the click still counts as a user gesture, and goes to the authorization endpoint once the push
// answered (section 4).
void GrantSession::pushAuthorizationRequest(const oauth::FormParams& params) {
    if (!openPopup("about:blank"))
        return;
    enter(Busy::Authorizing);
    parts_.state.status = "Pushing the authorization request to the provider (PAR, RFC 9126)…";
    fetchId_ =
        parts_.fetcher.send(snapshot_, oauth::kStepPushedAuthorization,
                            oauth::BuildPushedAuthorizationRequest(snapshot_, par_.endpoint, params),
                            oauth::kPushedAuthorizationEndpoint,
                            handlerFor(&GrantSession::onPushedAuthorization), waiterIn(Busy::Authorizing));
}

void GrantSession::onPushedAuthorization(const oauth::FetchResult& fetched,
                                         const oauth::FetchContext& context) {
    fetchId_ = -1;
    const oauth::PushedAuthorization pushed = oauth::ProcessPushedAuthorizationResponse(fetched, context);
    if (pushed.ok())
        return showConsent(
            oauth::PushedAuthorizationUrl(snapshot_.authorizationUrl, snapshot_.clientId, pushed.requestUri));
    Profile* p = FindProfile(parts_.state, profileName_);
    parts_.state.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
    end(); // closes the blank popup
    if (p)
        Fail(parts_, *p, pushed.error->message, pushed.error->details);
}

void GrantSession::onAuthorizationUrlProbe(platform::FetchFailure failure) {
    if (failure == platform::FetchFailure::None || busy_ != Busy::Authorizing)
        return;
    Profile* p = FindProfile(parts_.state, profileName_);
    const oauth::EndpointError error = oauth::DescribeAuthorizationUrlFailure(
        snapshot_.authorizationUrl,
        failure == platform::FetchFailure::Timeout ? oauth::TransportFailureKind::Timeout
                                                   : oauth::TransportFailureKind::NoAnswer,
        parts_.state.timeoutSeconds);
    end(); // closes the popup
    if (p)
        Fail(parts_, *p, error.message, error.details);
}

namespace {

oauth::Details CallbackErrorDetails(const oauth::Callback& cb) {
    oauth::Details details;
    if (!cb.error.empty())
        details.push_back({"error", cb.error});
    if (!cb.errorDescription.empty())
        details.push_back({"error_description", cb.errorDescription});
    if (!cb.errorUri.empty())
        details.push_back({"error_uri", cb.errorUri});
    return details;
}

constexpr std::string_view kClosedAfterForeignCallback =
    "The consent window closed, and the only callback that arrived carried another state (another tab's "
    "sign-in, or a forged one), so it was ignored (CSRF protection, RFC 6749 section 10.12). Press Get "
    "Access Token to try again.";

} // namespace

// Whether the callback answers this attempt's request; `cb` is then its reading, the issuer checked.
bool GrantSession::acceptedCallback(const std::string& url, oauth::Callback& cb) {
    cb = oauth::ParseCallback(url, requestState_, expectedIssuer_);
    if (cb.outcome == oauth::CallbackOutcome::Rejected && cb.rejection == "no_response_parameters")
        return false;
    // Another tab's sign-in (the callback page falls back to a BroadcastChannel every tab hears) or a
    // stale popup: not this tab's pending request, so it must not cancel it (RFC 6749 section 10.12).
    if (cb.outcome == oauth::CallbackOutcome::Rejected && cb.rejection == "state_mismatch") {
        foreignCallbackSeen_ = true;
        return false;
    }
    if (cb.outcome != oauth::CallbackOutcome::Rejected) {
        // Mix-up defence (RFC 9700 section 4.4): the answer must come from the server the request
        // went to, before its code or its error is believed.
        const oauth::IssuerCheck issuer =
            oauth::CheckCallbackIssuer(expectedIssuer_, issParameterSupported_, cb);
        if (!issuer.ok()) {
            cb.outcome = oauth::CallbackOutcome::Rejected;
            cb.rejection = issuer.rejection;
            cb.message = issuer.message;
        }
    }
    return true;
}

bool GrantSession::onCallback(const std::string& url) {
    oauth::Callback cb;
    if (!acceptedCallback(url, cb))
        return false;
    const bool resumed = busy_ != Busy::Authorizing; // its popup looked closed
    if (resumed && cb.outcome != oauth::CallbackOutcome::Code)
        return false; // nothing pending to fail
    oauth::RecordNavigation(parts_.state.log, oauth::kStepCallback, url, parts_.platform.now() * 1000,
                            cb.outcome != oauth::CallbackOutcome::Code, cb.message);
    observed().callbackSeen = true; // the setup check's iss rule (RFC 9207)
    observed().callbackHadIss = cb.hasIss;
    closedAt_ = 0; // answered: no later callback resumes it
    if (!resumed)
        parts_.platform.closePopup();
    Profile* p = FindProfile(parts_.state, profileName_);
    if (!p || cb.outcome != oauth::CallbackOutcome::Code) {
        enter(Busy::None);
        if (!p)
            return true;
        const std::string unpushed = oauth::DescribeUnpushedRefusal(par_, cb.error);
        Fail(parts_, *p, unpushed.empty() ? cb.message : cb.message + " " + unpushed,
             CallbackErrorDetails(cb));
        return true;
    }
    sendTokenRequest(oauth::BuildAuthorizationCodeTokenRequest(snapshot_, cb.code, codeVerifier_),
                     oauth::kStepTokenRequest, "Exchanging the authorization code for a token…");
    return true;
}

void GrantSession::onPopupClosed() {
    if (busy_ != Busy::Authorizing)
        return;
    Profile* p = FindProfile(parts_.state, profileName_);
    close();
    if (!p)
        return;
    if (foreignCallbackSeen_)
        Fail(parts_, *p, std::string(kClosedAfterForeignCallback));
    else
        Fail(parts_, *p,
             "The consent window was closed before the provider sent you back, so no authorization code "
             "arrived. Press Get Access Token to try again.");
}

// A consent popup that shows the provider's error page never calls back: after a while a hint, and
// after the consent timeout the attempt ends (its popup stays open, so the error page can be read,
// and a late callback may still finish it).
void GrantSession::consentTimers(double now) {
    if (busy_ != Busy::Authorizing)
        return;
    AppState& s = parts_.state;
    const double waited = now - startedAt_;
    if (waited < s.consentTimeoutSeconds) {
        if (waited >= kConsentHintSeconds)
            s.consentHint = true;
        return;
    }
    Profile* p = FindProfile(s, profileName_);
    close();
    s.consentHint = false;
    if (p)
        Fail(parts_, *p,
             "The consent popup did not send you back within " + std::to_string(s.consentTimeoutSeconds) +
                 " s (Consent timeout (s)), so the attempt ended. Look at the popup for the provider's error "
                 "page; " +
                 std::string(kUsualConsentCauses) + ".");
}

// ---- Device Authorization Grant (RFC 8628) -----------------------------------------------------

void GrantSession::startDeviceGrant() {
    if (!FindProfile(parts_.state, profileName_))
        return;
    enter(Busy::DeviceRequesting);
    parts_.state.status = "Requesting a device code…";
    fetchId_ = parts_.fetcher.send(
        snapshot_, oauth::kStepDeviceAuthorization, oauth::BuildDeviceAuthorizationRequest(snapshot_),
        oauth::kDeviceAuthorizationEndpoint, handlerFor(&GrantSession::onDeviceAuthorization),
        waiterIn(Busy::DeviceRequesting));
}

Profile* GrantSession::answeredProfile(const oauth::FetchContext& context) {
    parts_.state.offerRelayRetry = context.relay == oauth::RelayAvailability::Offered;
    return FindProfile(parts_.state, profileName_);
}

void GrantSession::onDeviceAuthorization(const oauth::FetchResult& fetched,
                                         const oauth::FetchContext& context) {
    AppState& s = parts_.state;
    const oauth::DeviceAuthorization da = oauth::ProcessDeviceAuthorizationResponse(fetched, context);
    Profile* profile = answeredProfile(context);
    if (!profile)
        return;
    if (!da.ok()) {
        enter(Busy::None);
        return Fail(parts_, *profile, da.error->message, da.error->details);
    }
    const double now = parts_.platform.now();
    deviceCode_ = da.deviceCode;
    device_.userCode = da.userCode;
    device_.verificationUri = da.verificationUri;
    device_.verificationUriComplete = da.verificationUriComplete;
    device_.interval = std::max<std::int64_t>(1, da.interval);
    device_.expiresAt = now + static_cast<double>(da.expiresIn > 0 ? da.expiresIn : 600);
    device_.nextPollAt = now + static_cast<double>(device_.interval);
    enter(Busy::DevicePolling);
    s.status = "Enter the code below at the verification page; this page checks every " +
               std::to_string(device_.interval) + " s.";
}

void GrantSession::deviceTimers(double now) {
    if (busy_ != Busy::DevicePolling)
        return;
    if (now >= device_.expiresAt) {
        Profile* p = FindProfile(parts_.state, profileName_);
        end(); // cancels a poll still in flight
        if (p)
            Fail(parts_, *p,
                 "The device code expired before it was approved. Press Get Access Token for a new one.");
    } else if (now >= device_.nextPollAt && fetchId_ < 0) {
        pollDevice();
    }
}

void GrantSession::pollDevice() {
    if (!FindProfile(parts_.state, profileName_))
        return;
    device_.nextPollAt = 1e300; // until this poll answers
    publish();
    fetchId_ = parts_.fetcher.send(
        snapshot_, oauth::kStepTokenPoll, oauth::BuildDeviceTokenRequest(snapshot_, deviceCode_),
        oauth::kTokenEndpoint, handlerFor(&GrantSession::onDevicePoll), waiterIn(Busy::DevicePolling));
}

void GrantSession::onDevicePoll(const oauth::FetchResult& fetched, const oauth::FetchContext& context) {
    AppState& s = parts_.state;
    const oauth::DevicePoll poll = oauth::ClassifyDevicePollResponse(fetched, context);
    Profile* profile = answeredProfile(context);
    if (!profile)
        return;
    if (!poll.error || !oauth::IsFetchProblem(*poll.error))
        s.rawResponse = fetched.response.body;
    if (poll.outcome == oauth::DevicePollOutcome::Success) {
        enter(Busy::None);
        return Connect(parts_, *profile, *poll.success);
    }
    if (poll.keepPolling()) {
        device_.interval = oauth::NextPollInterval(device_.interval, poll);
        device_.nextPollAt = parts_.platform.now() + static_cast<double>(device_.interval);
        publish();
        s.status = poll.message;
        return;
    }
    enter(Busy::None);
    Fail(parts_, *profile, poll.message, poll.error ? poll.error->details : oauth::Details{});
}

} // namespace app
